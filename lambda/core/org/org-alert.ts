/**
 * The organization's alerts: one per change, naming every account it touched. Org changes that
 * wait in the org outbox are grouped by model and by what moved (from -> to), so a model removed
 * in twelve accounts is one alert listing twelve accounts, not twelve alerts. Pure.
 */
import { ALERT_ATTRIBUTES } from '../../shared/names';
import { type Alert, MESSAGE_MAX_BYTES, SUBJECT_MAX, toSubject } from '../alert-message';
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
    // A move of the model's access is one change however its apis moved; a move inside a model
    // that stays as it was (a guardrail verdict, one api) is one change per what moved.
    const key = `${change.model}|${change.from ?? ''}|${change.to}|${change.from === change.to ? change.apis.join(';') : ''}`;
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

/** An account as the alert names it: `Sandbox (222222222222, Workloads)`, or the id alone. */
export const accountLabel = (id: string, accounts: readonly OrgAccount[]): string => {
  const a = accounts.find((x) => x.id === id);
  if (!a) return id;
  return `${a.name} (${id}${a.ou ? `, ${a.ou.name}` : ''})`;
};

/** A guardrail that stopped a request and no longer does is as grave as losing a model. */
const severityOf = (group: OrgChangeGroup, inside: readonly string[]): 'high' | 'medium' | 'low' =>
  inside.some((m) => /guardrail: enforced -> /.test(m))
    ? 'high'
    : inside.length > 0
      ? 'medium'
      : SEVERITY[group.to];

/** A change of a guardrail verdict, for the GuardrailChanges series. */
export const isGuardrailChange = (c: OrgChange): boolean => c.apis.some((m) => m.includes(' guardrail: '));

export function buildOrgAlert(group: OrgChangeGroup, accounts: readonly OrgAccount[], at: string): Alert {
  const changes = safeDeep(group.changes).map((c) => scrubDeep(c));
  const accountIds = [...new Set(changes.map((c) => c.account))];
  const regions = [...new Set(changes.map((c) => c.region))];
  // Access that stayed while something inside moved (a guardrail verdict): say what moved.
  const inside = group.from === group.to ? (changes[0]?.apis ?? []) : [];
  const moved = inside.length > 0 ? inside.join(', ') : `${group.from ?? 'new'} -> ${group.to}`;
  const n = accountIds.length;
  const counts = `${n} ${n === 1 ? 'account' : 'accounts'}, ${regions.length} ${regions.length === 1 ? 'region' : 'regions'}`;
  // A long model key is cut, not the counts after it: they say how far the change reaches.
  const head = 'bedrock-matrix: ';
  const tail = ` ${moved} in ${counts}`;
  const room = SUBJECT_MAX - head.length - tail.length;
  const model = group.model.length <= room ? group.model : `${group.model.slice(0, room - 3)}...`;
  const subject = toSubject(`${head}${model}${tail}`);
  const lines = changes.map((c) => {
    const apis = c.apis.length > 0 ? ` [${c.apis.join('; ')}]` : '';
    return `- ${c.region} ${accountLabel(c.account, accounts)}: ${c.reason}${apis}`;
  });
  // A model retired across an organization touches hundreds of accounts x regions: the alert lists
  // as many as SNS takes and says how many it left out (the org view lists them all).
  const messageOf = (shown: number): string => {
    const left = changes.length - shown;
    const text = scrubSecrets(
      [
        `bedrock-matrix organization change, ${at}:`,
        `${group.model}: ${moved} in ${n} ${n === 1 ? 'account' : 'accounts'} (${regions.join(', ')})`,
        ...lines.slice(0, shown),
        ...(left > 0 ? [`... and ${left} more not listed here (the organization view shows them all)`] : []),
      ].join('\n'),
    );
    const json = JSON.stringify({
      model: group.model,
      from: group.from,
      to: group.to,
      changeCount: changes.length,
      truncated: left > 0,
      changes: changes.slice(0, shown),
    });
    return JSON.stringify({ default: text, email: text, sqs: json, lambda: json });
  };
  let shown = changes.length;
  let message = messageOf(shown);
  while (Buffer.byteLength(message) > MESSAGE_MAX_BYTES && shown > 1) {
    shown = Math.max(1, Math.floor(shown / 2));
    message = messageOf(shown);
  }
  return {
    subject,
    message,
    messageStructure: 'json',
    attributes: {
      [ALERT_ATTRIBUTES.severity]: { DataType: 'String', StringValue: severityOf(group, inside) },
      [ALERT_ATTRIBUTES.changeCount]: { DataType: 'Number', StringValue: String(changes.length) },
    },
  };
}
