/**
 * The results table: one DynamoDB table, single-table design, no index. Every access pattern is
 * ONE Query (paged) on the primary key. The key schema itself is lambda/shared/table-schema.ts.
 *
 * Table design (key attributes `pk` / `sk`, strings; TTL attribute `expiresAt`, epoch seconds;
 * <scope> = `<account>#<region>`, so the home table holds every region of every account apart):
 *
 * | item                 | pk                                               | sk                                   | TTL |
 * |----------------------|--------------------------------------------------|--------------------------------------|-----|
 * | confirmed cell       | STATE#<scope>                                   | CELL#<model>#<endpoint>#<api>#<variant> | no |
 * | confirmed model      | STATE#<scope>                                   | MODEL#<key>                          | no  |
 * | endpoint presence    | STATE#<scope>                                   | ENDPOINT#<endpoint>                  | no  |
 * | retirement notice    | STATE#<scope>                                   | NOTICE#<model>|<kind>|<date>         | no  |
 * | cell history         | CELL#<scope>#<model>#<endpoint>#<api>#<variant> | RUN#<startedAt ISO>#<runId>          | yes |
 * | run (list)           | RUNS#<scope>                                    | RUN#<startedAt ISO>#<runId>          | no  |
 * | change event         | CHANGES#<scope>                                 | AT#<startedAt ISO>#<runId>#<change>  | no  |
 * | run copy: record     | RUN#<scope>#<runId>                             | META                                 | yes |
 * | run copy: cell       | RUN#<scope>#<runId>                             | CELL#<model>#<endpoint>#<api>#<variant> | yes |
 * | run copy: model      | RUN#<scope>#<runId>                             | MODEL#<key>                          | yes |
 * | run copy: change     | RUN#<scope>#<runId>                             | CHANGE#<change>                      | yes |
 * | outbox (unalerted)   | OUTBOX#<scope>                                  | <startedAt ISO>#<runId>#<change>     | no  |
 * | run lease            | LEASE#<scope>                                   | LEASE                                | yes |
 *
 * Access patterns:
 * - confirmed matrix of a region:  Query pk = STATE#<scope>
 * - history of one cell:           Query pk = CELL#..., newest first (ScanIndexForward = false)
 * - runs of a region:              Query pk = RUNS#<scope>, newest first
 * - changes of a region since T:   Query pk = CHANGES#<scope> AND sk > AT#<T>
 * - everything of one run:         Query pk = RUN#<scope>#<runId> (for `bedrock-matrix diff --runs`)
 * - one run's record:              Query pk = RUN#<scope>#<runId> AND sk = META
 * - changes not yet alerted:       Query pk = OUTBOX#<scope>
 * - the sentinel's mark and queue: Query pk = SENTINEL#<scope> (a few KB)
 *
 * Write order of a run (engine/pipeline.ts) is the outbox pattern: change events and their outbox
 * items before the confirmed state, the alert from the outbox, outbox items deleted only after
 * SNS accepted the alert. A crash or a retry at any step therefore loses no change and stores none
 * twice. The lease is a conditional Put with an expiry, so overlapping invocations never run twice.
 *
 * A <model> or notice key that cannot be a key part as it is (past 256 bytes, holding `#`, a
 * control character or invalid UTF-16) is written as `~sha256:<40 hex>` of it (namePart); every
 * item keeps the full text in its attributes, which is what reading uses. Every item is checked
 * against DynamoDB's key and item limits before it is written (itemProblem), so one bad item is
 * named and left out instead of failing the batch that carries the others.
 *
 * Where <change> = <model>#<endpoint>#<api or ->#<variant or ->#<kind>[#<notice key>]. Keys are
 * deterministic, so replaying a run overwrites its own items and never duplicates them; a
 * retirement notice appends its key, so two notices of one model are two changes. Confirmed items
 * carry `lastRunStartedAt` and are written with a condition (absent, or written by a run that
 * started no later), so an older run replayed late can never move the confirmed state backwards.
 * Removed models are kept as tombstones (`removed: true`) for the same reason. History TTL counts
 * from the run's start, so a replay writes the same item. No item holds a secret: evidence text is
 * scrubbed once more before it is written.
 */
import { createHash } from 'node:crypto';
import type { CellKey, Change, Scope } from '../../core/model';
import { OUTBOX_PK_PREFIX, RUNS_PK_PREFIX } from '../../shared/table-schema';

/** DynamoDB's limits (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html). */
export const DYNAMODB_LIMITS = {
  partitionKeyBytes: 2048,
  sortKeyBytes: 1024,
  itemBytes: 400 * 1024,
} as const;

/**
 * Longest model-derived key part written as it is. A key holds up to two of them (a change of a
 * retirement notice: model key and notice key) plus run id, time and names, and must stay under
 * the 1024-byte sort key limit whatever the catalog lists.
 */
export const MAX_NAME_PART_BYTES = 256;

const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Key parts are joined with `#`: a part holding `#` would make keys ambiguous. */
export function part(value: string, what: string): string {
  if (value === '' || value.includes('#')) {
    throw new Error(`${what} cannot be stored (empty or contains '#'): ${JSON.stringify(value)}`);
  }
  return value;
}

/** DynamoDB cannot store a string that is not valid UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Prefix of a hashed key part; `~` appears in no Bedrock model ID, so it never meets a real one. */
export const HASHED_PART_PREFIX = '~sha256:';

/**
 * A key part from a catalog (model key, notice key): written as it is when it can be one, else as
 * a stable hash of it (the full text stays in the item's attributes, which is what is read back).
 * A catalog that lists one 2.5 KB ID, an ID holding `#`, a control character or a lone surrogate
 * must not make DynamoDB refuse the batch that carries every other model's results.
 */
export function namePart(value: string, what: string): string {
  const plain =
    value !== '' &&
    !value.includes('#') &&
    !value.startsWith(HASHED_PART_PREFIX) &&
    !LONE_SURROGATE.test(value) &&
    !/\p{Cc}/u.test(value) &&
    utf8Bytes(value) <= MAX_NAME_PART_BYTES;
  if (plain) return value;
  if (value === '') throw new Error(`${what} cannot be stored (empty)`);
  return `${HASHED_PART_PREFIX}${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 40)}`;
}

/** A key or item DynamoDB would refuse, named, or null when it fits (checked before any write). */
export function itemProblem(item: Readonly<Record<string, unknown>>): string | null {
  const pk = String(item.pk);
  const sk = String(item.sk);
  const where = `${pk.slice(0, 80)} / ${sk.slice(0, 80)}`;
  if (utf8Bytes(pk) > DYNAMODB_LIMITS.partitionKeyBytes)
    return `partition key of ${utf8Bytes(pk)} bytes (limit ${DYNAMODB_LIMITS.partitionKeyBytes}): ${where}`;
  if (utf8Bytes(sk) > DYNAMODB_LIMITS.sortKeyBytes)
    return `sort key of ${utf8Bytes(sk)} bytes (limit ${DYNAMODB_LIMITS.sortKeyBytes}): ${where}`;
  const size = itemBytes(item);
  if (size > DYNAMODB_LIMITS.itemBytes)
    return `item of about ${size} bytes (limit ${DYNAMODB_LIMITS.itemBytes}): ${where}`;
  return null;
}

/**
 * An upper estimate of an item's stored size: attribute names plus values, strings in UTF-8,
 * numbers at their 21-byte maximum, a few bytes of overhead per nested value (DynamoDB's sizing
 * rules, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
 */
export function itemBytes(value: unknown): number {
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number') return 21;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + itemBytes(v), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value).reduce((n, [name, v]) => n + 1 + utf8Bytes(name) + itemBytes(v), 0);
  }
  return utf8Bytes(String(value));
}

export function checkRun(scope: Scope, runId: string, startedAt: string): void {
  scopePart(scope);
  part(runId, 'run id');
  if (Number.isNaN(Date.parse(startedAt)))
    throw new Error(`startedAt is not an ISO time: ${JSON.stringify(startedAt)}`);
}

export function checkLimit(limit: number | undefined, fallback: number): number {
  const n = limit ?? fallback;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`limit must be a positive integer, got ${String(limit)}`);
  return n;
}

const cellPath = (k: CellKey): string =>
  [
    namePart(k.model, 'model key'),
    part(k.endpoint, 'endpoint'),
    part(k.api, 'api'),
    part(k.variant, 'variant'),
  ].join('#');

/** `<account>#<scope>`: the key part of a scope. */
export const scopePart = (s: Scope): string => `${part(s.account, 'account')}#${part(s.region, 'region')}`;

export const statePk = (s: Scope): string => `STATE#${scopePart(s)}`;
export const runsPk = (s: Scope): string => `${RUNS_PK_PREFIX}${scopePart(s)}`;
export const changesPk = (s: Scope): string => `CHANGES#${scopePart(s)}`;
export const outboxPk = (s: Scope): string => `${OUTBOX_PK_PREFIX}${scopePart(s)}`;
export const leasePk = (s: Scope): string => `LEASE#${scopePart(s)}`;
export const runPk = (s: Scope, runId: string): string => `RUN#${scopePart(s)}#${part(runId, 'run id')}`;
export const sentinelPk = (s: Scope): string => `SENTINEL#${scopePart(s)}`;
export const historyPk = (s: Scope, k: CellKey): string => `CELL#${scopePart(s)}#${cellPath(k)}`;
export const cellSk = (k: CellKey): string => `CELL#${cellPath(k)}`;
export const modelSk = (key: string): string => `MODEL#${namePart(key, 'model key')}`;
export const endpointSk = (endpoint: string): string => `ENDPOINT#${part(endpoint, 'endpoint')}`;
export const noticeSk = (key: string): string => `NOTICE#${namePart(key, 'notice key')}`;
export const runSk = (startedAt: string, runId: string): string => `RUN#${startedAt}#${runId}`;
export const META_SK = 'META';
/** The sentinel's items: the catalog mark of the last stored run, its heartbeat, its queue. */
export const MARK_SK = 'MARK';
export const TICK_SK = 'TICK';
export const QUEUE_SK_PREFIX = 'QUEUE#';
export const queueSk = (id: string): string => `${QUEUE_SK_PREFIX}${part(id, 'queued run id')}`;
export const LEASE_SK = 'LEASE';

/** A change's identity within one run; a retirement notice adds its own key. */
export const changeKey = (c: Change): string =>
  `${namePart(c.model, 'model key')}#${c.endpoint}#${c.api ?? '-'}#${c.variant ?? '-'}#${c.kind ?? 'cell'}${
    c.notice ? `#${namePart(c.notice.key, 'notice key')}` : ''
  }`;

/** The outbox item of change `id` (same key on a retry of the run: the outbox holds it once). */
export const outboxSk = (startedAt: string, runId: string, id: string): string =>
  `${startedAt}#${runId}#${id}`;
/** A change event, sorted by its run's start so "changes since T" is one key condition. */
export const changeEventSk = (startedAt: string, runId: string, id: string): string =>
  `AT#${startedAt}#${runId}#${id}`;
/** Change events of runs started after `sinceIso` sort after this. */
export const changesAfterSk = (sinceIso: string): string => `AT#${sinceIso}`;
/** A change in its run's own copy. */
export const runChangeSk = (id: string): string => `CHANGE#${id}`;
