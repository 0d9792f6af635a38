/**
 * What the cost model reads of an organization configuration (`-c org=<file>`, the file
 * `cdk synth -c org=...` reads: docs/organization.md): the home region, the target regions and
 * which accounts measure each region's facts. Only these fields are read and checked here; the
 * CDK app's reader checks the whole file. Bad values: one ConfigError line naming the key path.
 */
import { readFileSync } from 'node:fs';
import { BEDROCK_REGIONS, ConfigError } from '../lib/config';

export interface OrgCostConfig {
  readonly homeRegion: string;
  readonly regions: readonly string[];
  /** The probe account of each target region. */
  readonly probeAccounts: Readonly<Record<string, string>>;
  /** Accounts that run the full matrix in every target region too. */
  readonly fullMatrixAccounts: readonly string[];
}

type Json = Record<string, unknown>;

const ACCOUNT = /^\d{12}$/;

const region = (key: string, value: unknown): string => {
  if (typeof value !== 'string' || !BEDROCK_REGIONS.includes(value))
    throw new ConfigError(
      key,
      value,
      `${JSON.stringify(value)} is not an AWS region where Amazon Bedrock runs`,
    );
  return value;
};

const account = (key: string, value: unknown): string => {
  if (typeof value !== 'string' || !ACCOUNT.test(value))
    throw new ConfigError(key, value, `${JSON.stringify(value)} is not a 12-digit account id`);
  return value;
};

/** The fields the cost model needs of a parsed organization configuration. Throws ConfigError. */
export function parseOrgCostConfig(json: unknown): OrgCostConfig {
  const root = (typeof json === 'object' && json !== null ? json : {}) as Json;
  const home = (root.home ?? {}) as Json;
  const targets = (root.targets ?? {}) as Json;
  const homeRegion = region('org.home.region', home.region);
  const list = targets.regions;
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigError('org.targets.regions', list, `${JSON.stringify(list)} names no region`);
  const regions = list.map((r, i) => region(`org.targets.regions[${i}]`, r));
  const probes = (root.probeAccounts ?? {}) as Json;
  const probeAccounts: Record<string, string> = {};
  for (const r of regions) probeAccounts[r] = account(`org.probeAccounts.${r}`, probes[r]);
  for (const r of Object.keys(probes))
    if (!regions.includes(r))
      throw new ConfigError(`org.probeAccounts.${r}`, probes[r], `"${r}" is not a target region`);
  const full = root.fullMatrixAccounts ?? [];
  if (!Array.isArray(full))
    throw new ConfigError(
      'org.fullMatrixAccounts',
      full,
      `${JSON.stringify(full)} is not a list of accounts`,
    );
  const fullMatrixAccounts = full.map((a, i) => account(`org.fullMatrixAccounts[${i}]`, a));
  return { homeRegion, regions, probeAccounts, fullMatrixAccounts };
}

/** Reads and checks the organization configuration file at `path` (relative to the cwd). */
export function readOrgCostConfig(path: string): OrgCostConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError('org', path, `cannot read "${path}"`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('org', path, `"${path}" is not JSON: ${(err as Error).message}`);
  }
  return parseOrgCostConfig(json);
}

/** The accounts that measure region facts in some target region (probe or full-matrix accounts). */
export const regionFactAccounts = (org: OrgCostConfig): ReadonlySet<string> =>
  new Set([...Object.values(org.probeAccounts), ...org.fullMatrixAccounts]);

/** Members (account x region) that measure their region's facts: each region's probe account and every full-matrix account. */
export const probeMembersOf = (org: OrgCostConfig): number =>
  org.regions.reduce(
    (sum, r) => sum + new Set([org.probeAccounts[r] as string, ...org.fullMatrixAccounts]).size,
    0,
  );
