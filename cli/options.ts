/**
 * CLI flag validation: every bad value fails with one line naming the flag and the value
 * (exit code 2), before anything is probed or stored.
 */
import type { Api } from '../lambda/core/model';
import { FORMATS, type Format } from '../lambda/core/render';
import { parseSetting, type SettingKey, type SettingValue, splitList } from '../lambda/shared/settings';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export { FORMATS, type Format };
export const STORES = ['none', 'dynamodb'] as const;
export type StoreKind = (typeof STORES)[number];

/**
 * Parses one setting of the spec (lambda/shared/settings.ts) given as `value` under `name`: the
 * flag, or the environment variable it came from, so the message names what the user typed.
 */
export function parseSettingAs<K extends SettingKey>(
  key: K,
  name: string,
  value: string | undefined,
): SettingValue<K> {
  const parsed = parseSetting(key, value);
  if (!parsed.ok) throw new UsageError(`${name}: ${parsed.reason}`);
  return parsed.value;
}

export function parseRegions(values: readonly string[] | undefined): string[] {
  const regions = (values ?? []).flatMap(splitList);
  if (regions.length === 0) throw new UsageError('--region is required (e.g. --region us-east-1)');
  return [...parseSettingAs('regions', '--region', regions.join(','))];
}

/** What `report` and `demo` show: the matrix per region, or models x regions per endpoint/api. */
export const VIEWS = ['matrix', 'regions'] as const;
export type View = (typeof VIEWS)[number];

export function parseView(value: string | undefined): View {
  const v = value ?? 'matrix';
  if (!(VIEWS as readonly string[]).includes(v))
    throw new UsageError(`--view: "${v}" is not one of ${VIEWS.join(', ')}`);
  return v as View;
}

/** `--format` of probe, demo and report (and diff, which narrows it): one list, the renderers'. */
export function parseFormat(value: string | undefined): Format {
  const v = value ?? 'table';
  if (!(FORMATS as readonly string[]).includes(v)) {
    throw new UsageError(`--format: "${v}" is not one of ${FORMATS.join(', ')}`);
  }
  return v as Format;
}

export function parseStore(value: string | undefined): StoreKind {
  const v = value ?? 'none';
  if (!(STORES as readonly string[]).includes(v)) {
    throw new UsageError(`--store: "${v}" is not one of ${STORES.join(', ')}`);
  }
  return v as StoreKind;
}

export function parseApis(value: string | undefined, name = '--apis'): Api[] | undefined {
  if (value === undefined) return undefined;
  // On the command line an empty list is a slip, not "every api" as in the stack's context.
  if (splitList(value).length === 0) throw new UsageError(`${name}: empty list`);
  return [...parseSettingAs('apis', name, value)];
}

export function parseGlobs(flag: '--models' | '--exclude-models', value: string | undefined): string[] {
  const key = flag === '--models' ? 'includeModels' : 'excludeModels';
  return [...parseSettingAs(key, flag, value)];
}

/** A whole number in min..max under `flag`; for flags outside the settings spec (ports). */
export function parseInteger(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag}: "${value}" is not a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag}: ${n} is out of range (${min} to ${max})`);
  return n;
}

export interface GuardrailFlags {
  readonly guardrailId?: string;
  readonly guardrailVersion?: string;
}

/** Where each guardrail value came from (a flag or an environment variable), for the messages. */
export interface GuardrailNames {
  readonly id: string;
  readonly version: string;
}

export function parseGuardrail(
  flags: GuardrailFlags,
  names: GuardrailNames = { id: '--guardrail-id', version: '--guardrail-version' },
): { id: string; version: string } | null {
  const { guardrailId: id, guardrailVersion: version } = flags;
  if (!id && !version) return null;
  if (!id) throw new UsageError(`${names.version} needs --guardrail-id`);
  if (!version) throw new UsageError(`${names.id} "${id}" needs --guardrail-version (a number or DRAFT)`);
  return {
    id: parseSettingAs('guardrailId', names.id, id) ?? id,
    version: parseSettingAs('guardrailVersion', names.version, version) ?? version,
  };
}

export function parseCanary(value: string | undefined, name = '--canary'): string {
  // The same rule as the stack's `canary` context, so a phrase that deploys also probes.
  return parseSettingAs('canary', name, value);
}

export function parsePort(flag: string, value: string | undefined): number {
  return parseInteger(flag, value, 0, 65_535, 0);
}
