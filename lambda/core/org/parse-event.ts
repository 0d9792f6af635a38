/**
 * What the home accepts from the org bus. The envelope's `account` and `region` are EventBridge's
 * (the account that put the event, the region it was put in), so a member can only speak for
 * itself: a detail naming another account is refused. Anything malformed is refused with one line
 * naming the bad field and stores nothing.
 */

import { MEMBER_DETAIL_TYPES, MEMBER_EVENT_SOURCE } from '../../shared/org-names';
import { APIS, ENDPOINTS, STATUSES, VARIANTS } from '../model';
import type { MemberDetail } from './events';

/** The EventBridge envelope a rule hands to Lambda. */
export interface BusEnvelope {
  readonly id?: string;
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly account?: string;
  readonly region?: string;
  readonly detail?: unknown;
}

export class InvalidMemberEvent extends Error {
  override readonly name = 'InvalidMemberEvent';
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const KINDS: Record<string, MemberDetail['kind']> = {
  [MEMBER_DETAIL_TYPES.heartbeat]: 'heartbeat',
  [MEMBER_DETAIL_TYPES.accountFacts]: 'account-facts',
  [MEMBER_DETAIL_TYPES.regionFacts]: 'region-facts',
};

export const isMemberEnvelope = (e: unknown): e is BusEnvelope =>
  typeof e === 'object' && e !== null && (e as BusEnvelope).source === MEMBER_EVENT_SOURCE;

export function parseMemberEvent(envelope: BusEnvelope): MemberDetail {
  const bad = (what: string, value: unknown): never => {
    throw new InvalidMemberEvent(
      `member event ${envelope.id ?? '(no id)'} refused: ${what} ${JSON.stringify(value)?.slice(0, 120)}`,
    );
  };
  const kind = KINDS[envelope['detail-type'] ?? ''] ?? bad('detail-type', envelope['detail-type']);
  if (!ACCOUNT.test(envelope.account ?? '')) bad('envelope account', envelope.account);
  if (!REGION.test(envelope.region ?? '')) bad('envelope region', envelope.region);
  const d = (
    typeof envelope.detail === 'object' && envelope.detail !== null
      ? envelope.detail
      : bad('detail', envelope.detail)
  ) as Record<string, unknown>;
  if (d.v !== 1) bad('detail.v (this home reads version 1)', d.v);
  if (d.kind !== kind) bad('detail.kind', d.kind);
  if (d.account !== envelope.account) bad('detail.account (not the sending account)', d.account);
  if (d.region !== envelope.region) bad('detail.region (not the region it was sent in)', d.region);
  if (typeof d.at !== 'string' || Number.isNaN(Date.parse(d.at))) bad('detail.at', d.at);
  if (typeof d.id !== 'string' || d.id === '') bad('detail.id', d.id);
  const list = (name: string): unknown[] =>
    Array.isArray(d[name]) ? (d[name] as unknown[]) : bad(`detail.${name}`, d[name]);
  if (kind === 'heartbeat' && d.role !== 'probe' && d.role !== 'member') bad('detail.role', d.role);
  if (kind === 'account-facts') {
    for (const a of list('availability')) {
      if (!isObject(a)) bad('detail.availability[]', a);
      if (typeof (a as { model?: unknown }).model !== 'string') bad('detail.availability[].model', a);
    }
    list('gone');
    cells(list('probes'), 'probes', bad);
    // The home matches every model against these lists: an entry without them would fail it later.
    for (const g of d.enforced === null ? [] : list('enforced')) {
      const e = g as Record<string, unknown> | null;
      if (
        !isObject(e) ||
        typeof e.guardrailId !== 'string' ||
        !Array.isArray(e.includedModels) ||
        !Array.isArray(e.excludedModels)
      )
        bad('detail.enforced[]', g);
    }
  }
  if (kind === 'region-facts') {
    cells(list('cells'), 'cells', bad);
    list('removed');
    if (typeof d.runId !== 'string') bad('detail.runId', d.runId);
    if (d.notices !== undefined) {
      for (const n of list('notices')) {
        const notice = n as { model?: unknown; kind?: unknown; notice?: { key?: unknown } } | null;
        if (
          typeof notice?.model !== 'string' ||
          notice.kind !== 'retirement-notice' ||
          typeof notice.notice?.key !== 'string'
        )
          bad('detail.notices[]', n);
      }
    }
  }
  return d as unknown as MemberDetail;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

function cells(items: readonly unknown[], name: string, bad: (what: string, value: unknown) => never): void {
  for (const c of items) {
    const cell = (isObject(c) ? c : bad(`detail.${name}[]`, c)) as Record<string, unknown>;
    if (typeof cell.model !== 'string') bad(`detail.${name}[].model`, c);
    if (!(ENDPOINTS as readonly unknown[]).includes(cell.endpoint))
      bad(`detail.${name}[].endpoint`, cell.endpoint);
    if (!(APIS as readonly unknown[]).includes(cell.api)) bad(`detail.${name}[].api`, cell.api);
    if (!(VARIANTS as readonly unknown[]).includes(cell.variant))
      bad(`detail.${name}[].variant`, cell.variant);
    if (!(STATUSES as readonly unknown[]).includes(cell.status)) bad(`detail.${name}[].status`, cell.status);
  }
}
