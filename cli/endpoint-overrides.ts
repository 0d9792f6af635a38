/**
 * The endpoint override variables (README.md contract), checked before any work: a bad value
 * would otherwise surface mid-run as the SDK's `TypeError: Invalid URL`, naming nothing.
 */
import { ENDPOINT_OVERRIDE_ENV } from '../lambda/shared/names';
import { UsageError } from './options';

export type OverrideKind = keyof typeof ENDPOINT_OVERRIDE_ENV;

/** Every override in `kinds` that is set must be an absolute http or https URL. */
export function checkEndpointOverrides(
  env: NodeJS.ProcessEnv,
  kinds: readonly OverrideKind[] = Object.keys(ENDPOINT_OVERRIDE_ENV) as OverrideKind[],
): void {
  for (const kind of kinds) {
    const name = ENDPOINT_OVERRIDE_ENV[kind];
    const value = env[name];
    if (value === undefined || value === '') continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UsageError(`${name}: "${value}" is not a URL (expected e.g. http://127.0.0.1:4010)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`${name}: "${value}" must be an http:// or https:// URL, not ${url.protocol}`);
    if (url.username || url.password)
      // A password in the URL would be echoed by every error that quotes the endpoint.
      throw new UsageError(`${name}: credentials in the URL are not supported; use the AWS credential chain`);
  }
}

/** The three Bedrock hosts' overrides: all or none, so a run never mixes the simulator and AWS. */
export const BEDROCK_OVERRIDES: readonly string[] = [
  ENDPOINT_OVERRIDE_ENV.runtime,
  ENDPOINT_OVERRIDE_ENV.mantle,
  ENDPOINT_OVERRIDE_ENV.control,
];

/**
 * Some of the Bedrock overrides set and not the others sends part of the run to real AWS (and its
 * credentials) and part to wherever the set ones point: name the missing ones before any work.
 */
export function checkOverridesComplete(env: NodeJS.ProcessEnv): void {
  const set = BEDROCK_OVERRIDES.filter((v) => (env[v] ?? '') !== '');
  if (set.length === 0 || set.length === BEDROCK_OVERRIDES.length) return;
  const missing = BEDROCK_OVERRIDES.filter((v) => !set.includes(v));
  throw new UsageError(
    `${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set but ${missing.join(' and ')} ${
      missing.length === 1 ? 'is' : 'are'
    } not: set all three (the export lines \`bedrock-matrix simulate\` prints) or none to use real AWS`,
  );
}
