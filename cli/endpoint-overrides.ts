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
