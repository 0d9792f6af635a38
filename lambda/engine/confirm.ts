/**
 * Confirm step: what this run saw against what was believed, and only what holds on a second look
 * becomes a change. Cells are re-probed through the run's own prober (same budgets); a model that
 * left a catalog, or an endpoint that appeared or vanished, is checked by reading the catalogs
 * again; a cell that went `not-found` because its model left a catalog is re-probed through the ID
 * that last worked. Changes already waiting in the outbox (stored by an earlier, interrupted
 * attempt) are not recorded twice. A retirement notice is not a comparison with what was
 * believed, so it is recorded on the baseline too, once per model and date.
 */
import {
  collectReprobes,
  confirmChanges,
  diffModels,
  findCandidates,
  isBaseline,
  removedModelKeys,
} from '../core/diff';
import {
  type CellKey,
  type CellResult,
  type Change,
  cellId,
  ENDPOINTS,
  type Endpoint,
  emptyEvidence,
  type ModelEntry,
} from '../core/model';
import type { ConfirmedCell, ConfirmedState, EndpointPresence, PendingAlert } from '../core/ports';
import { noticeChange, retirementNotices } from '../core/retirement';
import type { Discovery, RegionRun } from './run-region';

export interface ConfirmInput {
  readonly runId: string;
  readonly startedAt: string;
  /** When the changes were confirmed (ISO). */
  readonly at: string;
  readonly confirmCount: number;
  readonly previous: ConfirmedState;
  readonly run: RegionRun;
  /** Read the catalogs again (same judgement as the run's own discovery). */
  readonly rediscover: () => Promise<Discovery>;
  /** Changes stored earlier and not yet alerted (the outbox). */
  readonly pending: readonly PendingAlert[];
  /** Days ahead a retirement notice is given. @default DEFAULT_NOTICE_DAYS (30) */
  readonly noticeDays?: number;
}

export interface ConfirmResult {
  readonly baseline: boolean;
  /** Changes to record now (those already pending in the outbox are left out). */
  readonly changes: readonly Change[];
  readonly confirmed: readonly ConfirmedCell[];
  readonly models: readonly ModelEntry[];
  readonly removed: readonly string[];
  readonly endpoints: readonly EndpointPresence[];
  /** Keys of every retirement notice in the window, alerted now or before: the store remembers them. */
  readonly notices: readonly string[];
}

/** Identity of a change across attempts and runs: what moved, from what, to what (which notice). */
export const changeIdentity = (c: Change): string =>
  [
    c.model,
    c.endpoint,
    c.api ?? '-',
    c.variant ?? '-',
    c.kind ?? 'cell',
    c.from ?? '-',
    c.to ?? '-',
    ...(c.notice ? [c.notice.key] : []),
  ].join('|');

/** `not-found` decided without a call because the model is absent from a catalog. */
const isCatalogAbsence = (r: CellResult): boolean =>
  r.status === 'not-found' && r.evidence.httpStatus === null && /^absent from /.test(r.evidence.reason ?? '');

export async function confirmRun(input: ConfirmInput): Promise<ConfirmResult> {
  const { previous, run, startedAt, runId } = input;
  const baseline = isBaseline(previous);
  const waiting = new Set(input.pending.map((p) => changeIdentity(p.change)));
  const notices = retirementNotices(
    { models: run.models, cells: run.cells, finishedAt: input.at },
    { ...(input.noticeDays !== undefined ? { days: input.noticeDays } : {}) },
  );
  const noticeChanges = notices
    .filter((n) => !previous.notices?.has(n.key))
    .map((n) => noticeChange(run.region, n, input.at))
    .filter((c) => !waiting.has(changeIdentity(c)));
  const noticeKeys = notices.map((n) => n.key);
  const presence = await judgeEndpoints(input);
  const moved = new Set(presence.changed.map((p) => p.endpoint));
  // Cells of an endpoint whose presence is in doubt say nothing this run.
  const doubtful = new Set(presence.doubtful);
  const cells = run.cells.filter((c) => !doubtful.has(c.endpoint));

  if (baseline) {
    const confirmed = confirmChanges({
      runId,
      startedAt,
      at: input.at,
      confirmed: previous,
      results: cells,
      reprobes: new Map(),
      confirmCount: input.confirmCount,
    }).confirmed;
    return {
      baseline,
      changes: noticeChanges,
      confirmed,
      models: run.models,
      removed: [],
      endpoints: presence.record,
      notices: noticeKeys,
    };
  }

  // A cell on an endpoint that just appeared or vanished is part of that one change, not its own.
  const quiet = cells.filter((c) => moved.has(c.endpoint));
  const judged = cells.filter((c) => !moved.has(c.endpoint));
  const candidates = findCandidates(previous, judged);
  const reprobe = (key: CellKey): Promise<CellResult> => {
    const candidate = candidates.find((c) => c.model === key.model && sameCell(c, key));
    const known = previous.cells.get(cellId(key));
    if (candidate && isCatalogAbsence(candidate) && known?.modelId) {
      return run.probeAs(key, known.modelId, known.route);
    }
    return run.reprobe(key);
  };
  const reprobes = await collectReprobes(candidates, reprobe, input.confirmCount);
  const cellStep = confirmChanges({
    runId,
    startedAt,
    at: input.at,
    confirmed: previous,
    results: judged,
    reprobes,
    confirmCount: input.confirmCount,
  });
  const quietStep = confirmChanges({
    runId,
    startedAt,
    at: input.at,
    confirmed: { ...previous, cells: new Map() },
    results: quiet,
    reprobes: new Map(),
    confirmCount: input.confirmCount,
  });

  const models = await judgeModels(input, moved, doubtful);
  const all = [...presence.changes, ...cellStep.changes, ...models.changes];
  return {
    baseline,
    changes: [...all.filter((c) => !waiting.has(changeIdentity(c))), ...noticeChanges],
    confirmed: [...cellStep.confirmed, ...quietStep.confirmed],
    models: models.save,
    removed: models.removed,
    endpoints: presence.record,
    notices: noticeKeys,
  };
}

const sameCell = (a: CellKey, b: CellKey): boolean =>
  a.endpoint === b.endpoint && a.api === b.api && a.variant === b.variant && a.region === b.region;

interface PresenceJudgement {
  /** Presence items to store. */
  readonly record: EndpointPresence[];
  /** Endpoints whose presence changed, and held when the catalogs were read again. */
  readonly changed: EndpointPresence[];
  readonly changes: Change[];
  /** Endpoints whose presence changed this run but not on a second read: not believed either way. */
  readonly doubtful: Endpoint[];
}

async function judgeEndpoints(input: ConfirmInput): Promise<PresenceJudgement> {
  const { previous, run, startedAt } = input;
  const known = previous.endpoints ?? new Map();
  const record: EndpointPresence[] = [];
  const changed: EndpointPresence[] = [];
  const changes: Change[] = [];
  const doubtful: Endpoint[] = [];
  const baseline = isBaseline(previous);
  let rereads: Discovery[] | null = null;
  for (const endpoint of ENDPOINTS) {
    const present = !run.absentEndpoints.includes(endpoint);
    // An endpoint never recorded was present (the only kind the first build knew).
    const before = known.get(endpoint);
    const wasPresent = before?.present ?? true;
    if (baseline || present === wasPresent) {
      if (!before || before.present !== present) record.push({ endpoint, present, since: startedAt });
      continue;
    }
    rereads ??= await rediscoverAll(input);
    const holds = rereads.every((d) => !d.absentEndpoints.includes(endpoint) === present);
    if (!holds) {
      doubtful.push(endpoint);
      continue;
    }
    const now: EndpointPresence = { endpoint, present, since: startedAt };
    record.push(now);
    changed.push(now);
    changes.push({
      region: run.region,
      model: '*',
      endpoint,
      api: null,
      variant: null,
      from: null,
      to: null,
      kind: present ? 'endpoint-appeared' : 'endpoint-disappeared',
      at: input.at,
      evidence: emptyEvidence({
        reason: present
          ? `bedrock-${endpoint} endpoint appeared in ${run.region}`
          : `bedrock-${endpoint} endpoint disappeared from ${run.region} (its host name no longer resolves)`,
      }),
    });
  }
  return { record, changed, changes, doubtful };
}

async function rediscoverAll(input: ConfirmInput): Promise<Discovery[]> {
  const out: Discovery[] = [];
  for (let i = 0; i < Math.max(1, input.confirmCount); i++) out.push(await input.rediscover());
  return out;
}

interface ModelJudgement {
  readonly changes: Change[];
  readonly save: ModelEntry[];
  readonly removed: string[];
}

/**
 * Models that appeared are believed (a listing cannot invent a model); a model that left a catalog
 * is believed gone only when every re-read of the catalogs agrees. Endpoints whose presence moved
 * carry their models in that one change.
 */
async function judgeModels(
  input: ConfirmInput,
  moved: ReadonlySet<Endpoint>,
  doubtful: ReadonlySet<Endpoint>,
): Promise<ModelJudgement> {
  const { previous, run } = input;
  // A catalog that failed says nothing about models leaving.
  if (run.problems.length > 0) {
    return {
      changes: [],
      save: run.models.map((m) => keepIds(m, previous, new Set(ENDPOINTS))),
      removed: [],
    };
  }
  const proposed = diffModels(previous.models, run.models, run.region, input.at).filter(
    (c) => !moved.has(c.endpoint) && !doubtful.has(c.endpoint),
  );
  const removals = proposed.filter((c) => c.kind === 'model-removed');
  let rereads: Discovery[] = [];
  if (removals.length > 0) rereads = await rediscoverAll(input);
  const stillThere = (c: Change): boolean =>
    rereads.some(
      (d) =>
        d.problems.length > 0 || d.resolved.some((m) => m.key === c.model && m.ids[c.endpoint] !== undefined),
    );
  const unheld = removals.filter(stillThere);
  const changes = proposed.filter((c) => !unheld.includes(c));
  // An unconfirmed removal keeps the model's old ID on that endpoint, so the next run compares
  // against what was believed, not against this run's doubtful listing.
  const keep = new Map<string, Set<Endpoint>>();
  for (const c of unheld) keep.set(c.model, (keep.get(c.model) ?? new Set()).add(c.endpoint));
  for (const e of doubtful)
    for (const m of previous.models.keys()) keep.set(m, (keep.get(m) ?? new Set()).add(e));
  const save = run.models.map((m) => keepIds(m, previous, keep.get(m.key) ?? new Set()));
  const present = new Set(run.models.map((m) => m.key));
  for (const key of keep.keys()) {
    const old = previous.models.get(key);
    if (old && !present.has(key)) save.push(old);
  }
  const removed = removedModelKeys(previous.models, save);
  return { changes, save, removed };
}

/** The model as listed now, with the previously believed IDs kept on `endpoints`. */
function keepIds(model: ModelEntry, previous: ConfirmedState, endpoints: ReadonlySet<Endpoint>): ModelEntry {
  const old = previous.models.get(model.key);
  if (!old || endpoints.size === 0) return model;
  const ids = { ...model.ids };
  for (const e of endpoints) {
    if (ids[e] === undefined && old.ids[e] !== undefined) ids[e] = old.ids[e];
  }
  return { ...model, ids };
}
