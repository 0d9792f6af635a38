/**
 * CLI flag validation: every bad value fails with one line naming the flag and the value
 * (exit code 2), before anything is probed or stored.
 */
import { APIS, type Api } from '../lambda/core/model';
import { DEFAULTS } from '../lambda/shared/names';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const FORMATS = ['table', 'json', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];
export const STORES = ['none', 'dynamodb'] as const;
export type StoreKind = (typeof STORES)[number];

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$/;

export function parseRegions(values: readonly string[] | undefined): string[] {
  const regions = (values ?? []).flatMap(splitList);
  if (regions.length === 0) throw new UsageError('--region is required (e.g. --region us-east-1)');
  for (const r of regions) {
    if (!REGION.test(r)) throw new UsageError(`--region: "${r}" is not an AWS region name (e.g. us-east-1)`);
  }
  return [...new Set(regions)];
}

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

export function parseApis(value: string | undefined): Api[] | undefined {
  if (value === undefined) return undefined;
  const apis = splitList(value);
  if (apis.length === 0) throw new UsageError('--apis: empty list');
  for (const a of apis) {
    if (!(APIS as readonly string[]).includes(a)) {
      throw new UsageError(`--apis: unknown api "${a}" (expected ${APIS.join(', ')})`);
    }
  }
  return apis as Api[];
}

export function parseGlobs(flag: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  const globs = splitList(value);
  for (const g of globs) {
    if (!/^[A-Za-z0-9.*?:_-]+$/.test(g)) {
      throw new UsageError(`${flag}: "${g}" is not a model glob (letters, digits, . - _ : and * ? only)`);
    }
  }
  return globs;
}

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

export function parseGuardrail(flags: GuardrailFlags): { id: string; version: string } | null {
  const { guardrailId: id, guardrailVersion: version } = flags;
  if (!id && !version) return null;
  if (!id) throw new UsageError('--guardrail-version needs --guardrail-id');
  if (!version) throw new UsageError(`--guardrail-id "${id}" needs --guardrail-version (a number or DRAFT)`);
  // Real IDs are [a-z0-9]+; a dash is allowed too, so local scenarios can use readable ones.
  if (!/^[a-z0-9-]{1,64}$/i.test(id) && !/^arn:aws[a-z-]*:bedrock:/.test(id)) {
    throw new UsageError(`--guardrail-id: "${id}" is not a guardrail ID or ARN`);
  }
  if (!/^(\d+|DRAFT)$/.test(version)) {
    throw new UsageError(`--guardrail-version: "${version}" is not a version number or DRAFT`);
  }
  return { id, version };
}

export function parseCanary(value: string | undefined): string {
  const canary = value ?? DEFAULTS.canary;
  // Same rule as the stack's `canary` context, so a phrase that deploys also probes.
  if (!/^[A-Za-z0-9 _-]{6,100}$/.test(canary)) {
    throw new UsageError(`--canary: "${canary}" must be 6-100 letters, digits, spaces, _ or -`);
  }
  return canary;
}

export function parsePort(flag: string, value: string | undefined): number {
  return parseInteger(flag, value, 0, 65_535, 0);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
