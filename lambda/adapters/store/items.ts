/**
 * Stored items <-> the domain, both ways. Writing scrubs evidence once more (no item holds a
 * secret); reading checks every field against the vocabulary of core/model.ts, so a malformed item
 * fails with one line naming its pk / sk and the bad field and value instead of leaking a wrong
 * shape into the engine. A change kind this version does not know still loads (a newer version may
 * have written it; every renderer shows an unknown kind by its name).
 */
import type { CatalogMark } from '../../core/catalog-mark';
import type { ListedCounts } from '../../core/catalog-trust';
import {
  APIS,
  CATALOG_SOURCES,
  type CellResult,
  type Change,
  cellKeyOf,
  changeFactsOf,
  ENDPOINTS,
  type Evidence,
  type ModelEntry,
  RUN_SOURCES,
  STATUSES,
  VARIANTS,
} from '../../core/model';
import type {
  ConfirmedCell,
  EndpointPresence,
  HistoryEntry,
  PendingAlert,
  QueuedRun,
  RunRecord,
} from '../../core/ports';
import {
  EVIDENCE_NUMBERS,
  EVIDENCE_STRINGS,
  parseChangeKind,
  parseDeclared,
  parseNotice,
  parseSummary,
  Reader,
} from '../../core/report-file';
import { scrubDeep } from '../../core/scrub';
import { STORED_RUN_KINDS } from '../../shared/names';
import type { Item } from './table';

/** Attributes of a stored item, before the keys and item type are added. */
type Attrs = Record<string, unknown>;

const OUTCOMES = ['completed', 'partial', 'failed'] as const;

/** Every text of the evidence scrubbed once more, the scrubber's own walk: no item holds a secret. */
export const cleanEvidence = (ev: Evidence): Evidence => scrubDeep(ev);

export const cellAttrs = (c: CellResult): Attrs => ({
  ...cellKeyOf(c),
  status: c.status,
  evidence: cleanEvidence(c.evidence),
});

export const confirmedCellAttrs = (c: ConfirmedCell): Attrs => ({
  ...cellAttrs(c),
  route: c.route,
  modelId: c.modelId,
  since: c.since,
  lastSeen: c.lastSeen,
  lastRunId: c.lastRunId,
});

export const modelAttrs = (m: ModelEntry): Attrs => ({
  key: m.key,
  provider: m.provider,
  ids: m.ids,
  sources: m.sources,
  declared: m.declared,
});

export const changeAttrs = (c: Change, runId: string, startedAt: string): Attrs => ({
  ...changeFactsOf(c),
  at: c.at ?? startedAt,
  evidence: c.evidence ? cleanEvidence(c.evidence) : undefined,
  notice: c.notice,
  runId,
  runStartedAt: startedAt,
});

export const runAttrs = (run: RunRecord): Attrs => ({
  account: run.account,
  region: run.region,
  runId: run.runId,
  startedAt: run.startedAt,
  finishedAt: run.finishedAt,
  partial: run.partial,
  source: run.source,
  summary: run.summary,
  changeCount: run.changeCount,
  probesSent: run.probesSent,
  outcome: run.outcome,
  failure: run.failure,
  kind: run.kind,
});

/** A reader whose every complaint starts with the item's keys. */
const readerOf = (i: Item): Reader => new Reader(`stored item ${String(i.pk)} / ${String(i.sk)}`);

const stringList = (r: Reader, value: unknown, field: string): string[] | undefined =>
  r.optionalArray(value, field, (v, f) => r.string(v, f));

function parseEvidence(r: Reader, value: unknown, field: string): Evidence {
  const o = r.object(value, field);
  const numbers = Object.fromEntries(
    EVIDENCE_NUMBERS.map((k) => [k, r.nullableNumber(o[k], `${field}.${k}`)] as const),
  );
  const strings = Object.fromEntries(
    EVIDENCE_STRINGS.map((k) => [k, r.nullableString(o[k], `${field}.${k}`)] as const),
  );
  const tried = stringList(r, o.tried, `${field}.tried`);
  const guardrailSignals = stringList(r, o.guardrailSignals, `${field}.guardrailSignals`);
  const enforcedGuardrails = stringList(r, o.enforcedGuardrails, `${field}.enforcedGuardrails`);
  const n = (k: (typeof EVIDENCE_NUMBERS)[number]): number | null => numbers[k] ?? null;
  const s = (k: (typeof EVIDENCE_STRINGS)[number]): string | null => strings[k] ?? null;
  return {
    httpStatus: n('httpStatus'),
    errorType: s('errorType'),
    errorCode: s('errorCode'),
    message: s('message'),
    route: s('route'),
    modelId: s('modelId'),
    latencyMs: n('latencyMs'),
    ttfbMs: n('ttfbMs'),
    inputTokens: n('inputTokens'),
    outputTokens: n('outputTokens'),
    responseIdPrefix: s('responseIdPrefix'),
    requestId: s('requestId'),
    reason: s('reason'),
    ...(tried ? { tried } : {}),
    ...(guardrailSignals ? { guardrailSignals } : {}),
    ...(enforcedGuardrails ? { enforcedGuardrails } : {}),
  };
}

function readCell(r: Reader, i: Item): CellResult {
  return {
    region: r.string(i.region, 'region'),
    model: r.string(i.model, 'model'),
    endpoint: r.word(i.endpoint, 'endpoint', ENDPOINTS, 'endpoint'),
    api: r.word(i.api, 'api', APIS, 'api'),
    variant: r.word(i.variant, 'variant', VARIANTS, 'variant'),
    status: r.word(i.status, 'status', STATUSES, 'status'),
    evidence: parseEvidence(r, i.evidence, 'evidence'),
  };
}

export const toCellResult = (i: Item): CellResult => readCell(readerOf(i), i);

export function toHistoryEntry(i: Item): HistoryEntry {
  const r = readerOf(i);
  return { ...readCell(r, i), runId: r.string(i.runId, 'runId'), at: r.string(i.at, 'at') };
}

export function toConfirmedCell(i: Item): ConfirmedCell {
  const r = readerOf(i);
  return {
    ...readCell(r, i),
    route: r.nullableString(i.route, 'route'),
    modelId: r.nullableString(i.modelId, 'modelId'),
    since: r.string(i.since, 'since'),
    lastSeen: r.string(i.lastSeen, 'lastSeen'),
    lastRunId: r.string(i.lastRunId, 'lastRunId'),
  };
}

export function toModel(i: Item): ModelEntry {
  const r = readerOf(i);
  const ids = i.ids == null ? {} : r.object(i.ids, 'ids');
  const runtime = r.nullableString(ids.runtime, 'ids.runtime');
  const mantle = r.nullableString(ids.mantle, 'ids.mantle');
  const sources = r.optionalArray(i.sources, 'sources', (v, f) =>
    r.word(v, f, CATALOG_SOURCES, 'catalog source'),
  );
  return {
    key: r.string(i.key, 'key'),
    provider: r.string(i.provider, 'provider'),
    ids: { ...(runtime !== null ? { runtime } : {}), ...(mantle !== null ? { mantle } : {}) },
    sources: sources ?? [],
    ...(i.declared == null ? {} : { declared: parseDeclared(r, i.declared, 'declared') }),
  };
}

/** The model key of a confirmed-model item, tombstone or not. */
export const modelKeyOf = (i: Item): string => readerOf(i).string(i.key, 'key');

export function toChange(i: Item): Change {
  const r = readerOf(i);
  return {
    region: r.string(i.region, 'region'),
    model: r.string(i.model, 'model'),
    endpoint: r.word(i.endpoint, 'endpoint', ENDPOINTS, 'endpoint'),
    api: r.nullableWord(i.api, 'api', APIS, 'api'),
    variant: r.nullableWord(i.variant, 'variant', VARIANTS, 'variant'),
    from: r.nullableWord(i.from, 'from', STATUSES, 'status'),
    to: r.nullableWord(i.to, 'to', STATUSES, 'status'),
    kind: parseChangeKind(r, i.kind, 'kind'),
    at: r.string(i.at, 'at'),
    ...(i.evidence == null ? {} : { evidence: parseEvidence(r, i.evidence, 'evidence') }),
    ...(i.notice == null ? {} : { notice: parseNotice(r, i.notice, 'notice') }),
  };
}

/** An outbox item: the change, and the run (id and start) that stored it. */
export function toPending(i: Item): PendingAlert {
  const r = readerOf(i);
  return {
    id: r.string(i.sk, 'sk'),
    runId: r.string(i.runId, 'runId'),
    runStartedAt: r.string(i.runStartedAt, 'runStartedAt'),
    change: toChange(i),
  };
}

export function toEndpoint(i: Item): EndpointPresence {
  const r = readerOf(i);
  return {
    endpoint: r.word(i.endpoint, 'endpoint', ENDPOINTS, 'endpoint'),
    present: i.present !== false,
    since: r.string(i.since, 'since'),
  };
}

export const toNoticeKey = (i: Item): string => readerOf(i).string(i.key, 'key');

export function toRun(i: Item): RunRecord {
  const r = readerOf(i);
  const count = (v: unknown, f: string): number => (v == null ? 0 : r.count(v, f));
  return {
    account: r.string(i.account, 'account'),
    region: r.string(i.region, 'region'),
    runId: r.string(i.runId, 'runId'),
    startedAt: r.string(i.startedAt, 'startedAt'),
    finishedAt: r.nullableString(i.finishedAt, 'finishedAt'),
    partial: i.partial === true,
    ...(i.source == null ? {} : { source: r.word(i.source, 'source', RUN_SOURCES, 'run source') }),
    summary: i.summary == null ? null : parseSummary(r, i.summary, 'summary'),
    changeCount: count(i.changeCount, 'changeCount'),
    probesSent: count(i.probesSent, 'probesSent'),
    ...(i.outcome == null ? {} : { outcome: r.word(i.outcome, 'outcome', OUTCOMES, 'run outcome') }),
    ...(typeof i.failure === 'string' ? { failure: i.failure } : {}),
    ...(i.kind == null ? {} : { kind: r.word(i.kind, 'kind', STORED_RUN_KINDS, 'run kind') }),
  };
}

export function toCatalogMark(i: Item): CatalogMark {
  const r = readerOf(i);
  const mark: Record<string, string> = {};
  for (const [key, fingerprint] of Object.entries(r.object(i.models, 'models')))
    mark[key] = r.string(fingerprint, `models.${key}`);
  return mark;
}

export function toListedCounts(i: Item): ListedCounts {
  const r = readerOf(i);
  const counts: Record<string, number> = {};
  for (const [source, n] of Object.entries(r.object(i.listed ?? {}, 'listed')))
    counts[source] = r.count(n, `listed.${source}`);
  return counts;
}

export const toTick = (i: Item): string => readerOf(i).string(i.at, 'at');

export function toQueuedRun(i: Item): QueuedRun {
  const r = readerOf(i);
  const models = r.array(i.models, 'models');
  return {
    id: r.string(i.id, 'id'),
    kind: r.word(i.kind, 'kind', STORED_RUN_KINDS, 'run kind'),
    models: models.map((m, n) => r.string(m, `models[${n}]`)),
    at: r.string(i.at, 'at'),
  };
}
