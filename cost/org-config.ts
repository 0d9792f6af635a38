/**
 * What the cost model counts of an organization configuration. The file itself is read and
 * checked by the CDK app's reader (lib/org/org-config.ts `readOrgConfig`, one definition): the cost
 * model prices the organization `cdk synth -c org=<file>` builds.
 */
import type { OrgConfig } from '../lib/org/org-config';

/** The parts of an organization configuration the cost model counts. */
export type OrgCostConfig = Pick<OrgConfig, 'home' | 'targets' | 'probeAccounts' | 'fullMatrixAccounts'>;

/** The accounts that measure region facts in some target region (probe or full-matrix accounts). */
export const regionFactAccounts = (org: OrgCostConfig): ReadonlySet<string> =>
  new Set([...Object.values(org.probeAccounts), ...org.fullMatrixAccounts]);

/** Members (account x region) that measure their region's facts: each region's probe account and every full-matrix account. */
export const probeMembersOf = (org: OrgCostConfig): number =>
  org.targets.regions.reduce(
    (sum, r) => sum + new Set([org.probeAccounts[r] as string, ...org.fullMatrixAccounts]).size,
    0,
  );
