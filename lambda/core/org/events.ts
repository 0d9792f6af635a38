/**
 * The events a member sends home (docs/organization.md "Events"): a heartbeat, its account facts
 * and, from a probe account, its region facts. Each carries the whole state of what it lists, so
 * the home may receive one twice, or late, and store it once: the id is a hash of the content. An
 * entry never passes EventBridge's 256 KB: a long list is split into parts, each whole on its own.
 */
import { createHash } from 'node:crypto';
import { MAX_EVENT_BYTES, MEMBER_DETAIL_TYPES } from '../../shared/org-names';
import type { Change, EnforcedGuardrail } from '../model';
import type { AccountProbe, ModelAvailability, RegionFactCell } from './types';

interface EventBase {
  /** Schema version: a home that meets a newer one says so instead of guessing. */
  readonly v: 1;
  readonly id: string;
  readonly account: string;
  readonly region: string;
  /** When the member read what it sends (ISO). */
  readonly at: string;
  /** 1-based part of `parts` (a list split to stay under EventBridge's entry size). */
  readonly part: number;
  readonly parts: number;
}

export interface HeartbeatDetail extends EventBase {
  readonly kind: 'heartbeat';
  readonly role: 'probe' | 'member';
}

export interface AccountFactsDetail extends EventBase {
  readonly kind: 'account-facts';
  /** True for the daily snapshot (every listed model), false for a change. */
  readonly snapshot: boolean;
  readonly availability: readonly ModelAvailability[];
  /** The account's probes of the models listed (replacing what the home has for them). */
  readonly probes: readonly AccountProbe[];
  /** Models the region's catalog stopped listing. */
  readonly gone: readonly string[];
  /** Null when ListEnforcedGuardrailsConfiguration failed (the home keeps what it has). */
  readonly enforced: readonly EnforcedGuardrail[] | null;
}

export interface RegionFactsDetail extends EventBase {
  readonly kind: 'region-facts';
  readonly snapshot: boolean;
  /** The run whose confirmed state this is (the evidence pointer). */
  readonly runId: string;
  /** The confirmed basic and guardrail cells of each model listed, all of them. */
  readonly cells: readonly RegionFactCell[];
  /** Models no catalog lists any more. */
  readonly removed: readonly string[];
  /**
   * The run's retirement notices (a model becomes LEGACY or reaches its end of life soon): region
   * news no org cell shows, alerted once by the home. In the first part only. @default none
   */
  readonly notices?: readonly Change[];
}

export type MemberDetail = HeartbeatDetail | AccountFactsDetail | RegionFactsDetail;

/** One entry for PutEvents (the adapter adds the source and the bus). */
export interface MemberEvent {
  readonly detailType: string;
  readonly detail: MemberDetail;
}

const DETAIL_TYPE: Record<MemberDetail['kind'], string> = {
  heartbeat: MEMBER_DETAIL_TYPES.heartbeat,
  'account-facts': MEMBER_DETAIL_TYPES.accountFacts,
  'region-facts': MEMBER_DETAIL_TYPES.regionFacts,
};

/** Room kept for the envelope (source, detail-type, bus name, time) under the entry limit. */
const ENVELOPE_BYTES = 2048;

type WithoutId<T> = T extends EventBase ? Omit<T, 'id' | 'part' | 'parts'> : never;

/** The content's hash: the same state sent twice is the same event. */
const idOf = (detail: Omit<MemberDetail, 'id'>): string =>
  createHash('sha256').update(JSON.stringify(detail)).digest('hex').slice(0, 32);

const seal = <T extends MemberDetail>(body: Omit<T, 'id'>): MemberEvent => {
  const detail = { ...body, id: idOf(body) } as unknown as MemberDetail;
  return { detailType: DETAIL_TYPE[detail.kind], detail };
};

export const heartbeatEvent = (body: WithoutId<HeartbeatDetail>): MemberEvent =>
  seal<HeartbeatDetail>({ ...body, part: 1, parts: 1 });

/**
 * Account facts as events: the models in as few parts as fit, each part with its models' probes,
 * the `gone` list and the enforced guardrails in every part (each part stands alone).
 */
export function accountFactsEvents(
  body: Omit<WithoutId<AccountFactsDetail>, 'availability' | 'probes'>,
  availability: readonly ModelAvailability[],
  probes: readonly AccountProbe[],
  maxBytes: number = MAX_EVENT_BYTES,
): MemberEvent[] {
  const byModel = availability.map((a) => ({ a, p: probes.filter((p) => p.model === a.model) }));
  const groups = split(byModel, (g) => Buffer.byteLength(JSON.stringify(g)), maxBytes - size(body));
  return groups.map((group, i) =>
    seal<AccountFactsDetail>({
      ...body,
      availability: group.map((g) => g.a),
      probes: group.flatMap((g) => g.p),
      part: i + 1,
      parts: groups.length,
    }),
  );
}

/** Region facts as events: a model's cells are never split across two parts. */
export function regionFactsEvents(
  body: Omit<WithoutId<RegionFactsDetail>, 'cells'>,
  cells: readonly RegionFactCell[],
  maxBytes: number = MAX_EVENT_BYTES,
): MemberEvent[] {
  const models = [...new Set(cells.map((c) => c.model))].sort();
  const byModel = models.map((m) => cells.filter((c) => c.model === m));
  const groups = split(byModel, (g) => Buffer.byteLength(JSON.stringify(g)), maxBytes - size(body));
  const { notices, ...rest } = body;
  return groups.map((group, i) =>
    seal<RegionFactsDetail>({
      ...rest,
      ...(i === 0 && notices && notices.length > 0 ? { notices } : {}),
      cells: group.flat(),
      part: i + 1,
      parts: groups.length,
    }),
  );
}

const size = (body: unknown): number => Buffer.byteLength(JSON.stringify(body)) + ENVELOPE_BYTES;

/** Greedy split into groups of at most `room` bytes; always at least one (possibly empty) group. */
function split<T>(items: readonly T[], bytes: (item: T) => number, room: number): T[][] {
  const groups: T[][] = [[]];
  let used = 0;
  for (const item of items) {
    const n = bytes(item) + 1;
    if (n > room) throw new Error(`one entry of ${n} bytes cannot fit an event of ${room} bytes`);
    const current = groups[groups.length - 1] as T[];
    if (used + n > room && current.length > 0) {
      groups.push([item]);
      used = n;
    } else {
      current.push(item);
      used += n;
    }
  }
  return groups;
}
