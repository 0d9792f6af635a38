/**
 * A member's own variables (ORG_ENV, set by lib/org/member-stack.ts): whether the prober is an
 * organization member, and whether this account measures its region's facts (the region's probe
 * account, or one set to run the full matrix).
 */
import { ORG_ENV } from '../shared/org-names';

export interface MemberConfig {
  readonly role: 'probe' | 'member';
}

/** null when the prober is not a member (a single-account region stack). */
export function readMemberConfig(env: NodeJS.ProcessEnv, account: string): MemberConfig | null {
  const flag = env[ORG_ENV.member]?.trim();
  if (!flag || flag === '0') return null;
  if (flag !== '1') throw new Error(`${ORG_ENV.member}: "${flag}" is not 1 or 0`);
  const probe = env[ORG_ENV.probeAccount]?.trim() === account || env[ORG_ENV.fullMatrix]?.trim() === '1';
  return { role: probe ? 'probe' : 'member' };
}
