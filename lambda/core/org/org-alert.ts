/**
 * The organization's alerts: one per change, naming every account it touched. Org changes that
 * wait in the org outbox are grouped by model and by what moved (from -> to), so a model removed
 * in twelve accounts is one alert listing twelve accounts, not twelve alerts. Pure.
 */
import { ALERT_ATTRIBUTES } from '../../shared/names';
import { type Alert, toSubject } from '../alert-message';
import { safeDeep } from '../safe-text';
import { scrubDeep, scrubSecrets } from '../scrub';
import type { PendingOrgChange } from './ports';
import type { OrgAccess, OrgAccount, OrgChange } from './types';

/** One alert's worth: the same model moving the same way, in every account and region it did. */
export interface OrgChangeGroup {
  readonly model: string;
  readonly from: OrgAccess | null;
  readonly to: OrgAccess;
  /** The outbox ids the alert carries (taken out once SNS accepted it). */
  readonly ids: readonly string[];
  readonly changes: readonly OrgChange[];
}

/** Groups the outbox, oldest group first; within a group, by region then account. */
export function groupOrgChanges(pending: readonly PendingOrgChange[]): OrgChangeGroup[] {
  const groups = new Map<string, { ids: string[]; changes: OrgChange[] }>();
  for (const { id, change } of pending) {
    const key = `${change.model}|${change.from ?? ''}|${change.to}`;
    const group = groups.get(key) ?? { ids: [], changes: [] };
    group.ids.push(id);
    group.changes.push(change);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ ids, changes }) => {
    const first = changes[0] as OrgChange;
    const sorted = [...changes].sort(
      (a, b) => a.region.localeCompare(b.region) || a.account.localeCompare(b.account),
    );
    return { model: first.model, from: first.from, to: first.to, ids, changes: sorted };
  });
}

const SEVERITY: Record<OrgAccess, 'high' | 'medium' | 'low'> = {
  usable: 'low',
  'no-access': 'high',
  denied: 'high',
  'not-offered': 'high',
  broken: 'high',
  unknown: 'medium',
};

/** An account as the alert names it: `Sandbox (222222222222, ou Workloads)`, or the id alone. */
export const accountLabel = (id: string, accounts: readonly OrgAccount[]): string => {
  const a = accounts.find((x) => x.id === id);
  if (!a) return id;
  return `${a.name} (${id}${a.ou ? `, ${a.ou.name}` : ''})`;
};

export function buildOrgAlert(group: OrgChangeGroup, accounts: readonly OrgAccount[], at: string): Alert {
  const changes = safeDeep(group.changes).map((c) => scrubDeep(c));
  const accountIds = [...new Set(changes.map((c) => c.account))];
  const regions = [...new Set(changes.map((c) => c.region))];
  const moved = `${group.from ?? 'new'} -> ${group.to}`;
  const n = accountIds.length;
  const subject = toSubject(
    `bedrock-matrix: ${group.model} ${moved} in ${n} ${n === 1 ? 'account' : 'accounts'}, ${regions.length} ${regions.length === 1 ? 'region' : 'regions'}`,
  );
  const lines = changes.map((c) => {
    const apis = c.apis.length > 0 ? ` [${c.apis.join('; ')}]` : '';
    return `- ${c.region} ${accountLabel(c.account, accounts)}: ${c.reason}${apis}`;
  });
  const text = scrubSecrets(
    [
      `bedrock-matrix organization change, ${at}:`,
      `${group.model}: ${moved} in ${n} ${n === 1 ? 'account' : 'accounts'} (${regions.join(', ')})`,
      ...lines,
    ].join('\n'),
  );
  const json = JSON.stringify({ model: group.model, from: group.from, to: group.to, changes });
  return {
    subject,
    message: JSON.stringify({ default: text, email: text, sqs: json, lambda: json }),
    messageStructure: 'json',
    attributes: {
      [ALERT_ATTRIBUTES.severity]: { DataType: 'String', StringValue: SEVERITY[group.to] },
      [ALERT_ATTRIBUTES.changeCount]: { DataType: 'Number', StringValue: String(changes.length) },
    },
  };
}
