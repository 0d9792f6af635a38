/**
 * One run in one region, in one direction: discover -> plan -> probe -> classify -> confirm ->
 * persist. Composed once here and used by the Lambda handler and the CLI, so a laptop run and the
 * scheduled run remember the same way. Metrics and alerts follow in the caller (handler.ts), from
 * what this returns and from the store's outbox.
 *
 * Write order (the outbox pattern, see adapters/store/keys.ts): run record, history, change
 * events with their outbox items, confirmed state, final run record. Each step is idempotent for
 * the same run id, and a later attempt compares against a confirmed state that has not moved until
 * the changes are safely stored, so a crash or a retry at any point loses no change and stores
 * none twice.
 *
 * A store failure never throws the probed cells away: the run goes on without the store and the
 * caller still gets the cells, with the failure named (`storeFailure`) and what is left pending.
 * A step whose writes failed only in part (the store answers; some items were refused or stayed
 * throttled) does not stop the steps after it, except the one rule of the write order: the
 * confirmed state never moves unless the changes it moves are stored.
 */
import { distrustShrunkenCatalogs } from '../core/catalog-trust';
import type { Change, RunSource, Scope } from '../core/model';
import {
  type ConfirmedState,
  emptyConfirmedState,
  type PendingAlert,
  type RunRecord,
  type RunStore,
} from '../core/ports';
import type { CatalogResult } from '../core/resolve';
import { scrubSecrets } from '../core/scrub';
import { summarize } from '../core/summary';
import type { StoredRunKind } from '../shared/names';
import { confirmRun } from './confirm';
import {
  checkFilters,
  type Discovery,
  discover,
  probeRegion,
  type RegionRun,
  type RegionRunDeps,
  type RegionRunOptions,
} from './run-region';

export interface PipelineOptions extends RegionRunOptions {
  /** The account of the run's scope (its region is `region`): where the store keeps it (unused without one). */
  readonly account: string;
  readonly runId: string;
  /** The run's logical start (ISO): the schedule slot for a scheduled run. */
  readonly startedAt: string;
  readonly source: RunSource;
  readonly confirmCount: number;
  /** Days ahead a retirement notice is given. @default DEFAULT_NOTICE_DAYS (30) */
  readonly noticeDays?: number;
  /**
   * True for a schedule slot: a slot older than a run already stored is a late replay and does
   * nothing but finish pending alerts. @default false
   */
  readonly scheduled?: boolean;
  /** Keep unalerted changes in the outbox for an alert channel. @default true */
  readonly outbox?: boolean;
  /**
   * `targeted`: only the models the plan's `include` names, as the sentinel asked. A named model
   * that left every catalog is no filter mistake then but the point (its removal is checked), so
   * the "matches no model" stop does not apply. @default 'sweep'
   */
  readonly kind?: StoredRunKind;
}

export interface PipelineDeps extends RegionRunDeps {
  /** null = no store: probe and classify only (the CLI's `--store none`). */
  readonly store: RunStore | null;
  readonly clock?: () => Date;
}

export interface PipelineResult {
  /** null when the run was not probed (a late replay, or a slot already finished). */
  readonly run: RegionRun | null;
  /** Confirmed changes recorded by this run (empty on the baseline and without a store). */
  readonly changes: readonly Change[];
  readonly baseline: boolean;
  /** Why nothing was probed, when `run` is null. */
  readonly skipped?: string;
  /** The store step that failed, named (`DynamoDB BatchWriteItem on table T (...) failed: ...`). */
  readonly storeFailure: string | null;
}

/** Runs read to find the newest sweep (targeted runs between two sweeps are few). */
const RECENT_RUNS = 20;

/** The store failed: the message names DynamoDB, the operation and the table. */
class StoreFailed extends Error {
  override readonly name = 'StoreFailed';
}

const failureText = (err: unknown): string => scrubSecrets(err instanceof Error ? err.message : String(err));

/**
 * A write step where the store answered but some items were not stored (the store's WritesFailed:
 * `failed` of `total`): the store is up, so the next steps are still worth trying.
 */
const partlyWritten = (err: unknown): boolean => {
  const e = err as { failed?: unknown; total?: unknown } | null;
  return typeof e?.failed === 'number' && typeof e.total === 'number' && e.failed < e.total;
};

export async function runPipeline(options: PipelineOptions, deps: PipelineDeps): Promise<PipelineResult> {
  const clock = deps.clock ?? (() => new Date());
  const { region, runId, startedAt } = options;
  const scope: Scope = { account: options.account, region };
  const kind = options.kind ?? 'sweep';
  const store = deps.store;
  const storeStep = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (err) {
      throw new StoreFailed(failureText(err));
    }
  };

  // 1. What was believed, and whether this slot still has work to do.
  let previous: ConfirmedState = emptyConfirmedState();
  let pending: PendingAlert[] = [];
  if (store) {
    const done = await storeStep(() => store.getRun(scope, runId));
    if (done?.finishedAt && done.outcome !== 'failed') {
      return {
        run: null,
        changes: [],
        baseline: false,
        skipped: `run ${runId} already finished`,
        storeFailure: null,
      };
    }
    if (options.scheduled && kind === 'sweep') {
      // Only a newer sweep makes this slot a late replay: targeted runs cover a few models only.
      const recent = await storeStep(() => store.listRuns(scope, { limit: RECENT_RUNS }));
      const newest = recent.find((r) => (r.kind ?? 'sweep') === 'sweep');
      if (newest && newest.runId !== runId && newest.startedAt > startedAt) {
        return {
          run: null,
          changes: [],
          baseline: false,
          skipped: `slot ${startedAt} is older than the stored run ${newest.runId} (${newest.startedAt}): a late replay`,
          storeFailure: null,
        };
      }
    }
    previous = await storeStep(() => store.loadConfirmed(scope));
    pending = await storeStep(() => store.pendingAlerts(scope));
  }

  // 2. Discover and plan; bad filters stop the run before any probe or store write.
  const judge = (result: CatalogResult) => distrustShrunkenCatalogs(result, previous);
  const discovery = await discover(region, deps.loadCatalogs, judge);
  if (kind === 'sweep') checkFilters(discovery, options);

  const record: RunRecord = {
    account: options.account,
    region,
    runId,
    startedAt,
    finishedAt: null,
    partial: true,
    source: options.source,
    summary: null,
    changeCount: 0,
    probesSent: 0,
    kind,
  };
  let storeFailure: string | null = null;
  // The store no longer answers: later steps would only wait for it again.
  let storeDown = false;
  const persist = async (step: () => Promise<void>): Promise<boolean> => {
    if (!store || storeDown) return false;
    try {
      await step();
      return true;
    } catch (err) {
      storeFailure ??= failureText(err);
      storeDown = !partlyWritten(err);
      return false;
    }
  };
  await persist(() => store!.startRun(record));

  // 3. Probe and classify.
  const run = await probeRegion(discovery, options, deps);
  // History first: whatever fails later, the evidence of what this run saw is kept.
  await persist(() => store!.saveResults(scope, runId, startedAt, run.cells, run.models));

  // 4. Confirm and persist, changes before the state they move.
  let changes: readonly Change[] = [];
  let baseline = false;
  let pendingNote: string | null = null;
  if (store && !storeDown) {
    const rediscover = (): Promise<Discovery> => discover(region, deps.loadCatalogs, judge);
    const confirmed = await confirmRun({
      runId,
      startedAt,
      at: clock().toISOString(),
      confirmCount: options.confirmCount,
      previous,
      run,
      rediscover,
      pending,
      ...(options.noticeDays !== undefined ? { noticeDays: options.noticeDays } : {}),
    });
    baseline = confirmed.baseline;
    // What an earlier attempt left in the outbox gets its change event again under its own run's
    // keys (the same items, no duplicate): that attempt may have died after an outbox item and
    // before its change event, and whether it is ever retried (this run) or not (a later slot),
    // the change must reach the history. Its outbox item is not written again: the home's
    // notifier may have alerted and removed it since it was read, and a second outbox item would
    // alert the change twice.
    const outbox = options.outbox ?? true;
    const runs = groupByRun(pending);
    const changesStored = await persist(async () => {
      for (const g of runs.values())
        await store.saveChanges(scope, g.runId, g.startedAt, g.changes, { outbox: false });
      await store.saveChanges(scope, runId, startedAt, confirmed.changes, { outbox });
    });
    const moved =
      changesStored &&
      (await persist(() =>
        store.saveConfirmed(scope, {
          runId,
          startedAt,
          cells: confirmed.confirmed,
          models: confirmed.models,
          removedModels: confirmed.removed,
          endpoints: confirmed.endpoints,
          notices: confirmed.notices,
        }),
      ));
    if (moved) changes = confirmed.changes;
    else if (confirmed.changes.length > 0 || runs.size > 0) {
      const count = confirmed.changes.length + pending.length;
      pendingNote = changesStored
        ? `pending: the confirmed state did not fully move; ${count} changes wait in the outbox and the next run finishes them`
        : `pending: ${count} changes not fully stored and the confirmed state not moved, so the next run finds and stores them again`;
    }
  }
  if (storeFailure && pendingNote) storeFailure = `${storeFailure}; ${pendingNote}`;

  const finished: RunRecord = {
    ...record,
    finishedAt: clock().toISOString(),
    partial: run.partial || storeFailure !== null,
    summary: summarize(run.cells, run.models, run.probesSent),
    changeCount: changes.length,
    probesSent: run.probesSent,
    outcome: storeFailure ? 'failed' : run.partial ? 'partial' : 'completed',
    failure: storeFailure,
  };
  if (storeFailure) {
    // Best effort: a store that failed once may answer again; the record then says why.
    await store?.finishRun(finished).catch(() => undefined);
  } else {
    await persist(() => store!.finishRun(finished));
  }
  return { run, changes, baseline, storeFailure };
}

export { StoreFailed };

/** Outbox changes by the run that stored them. */
function groupByRun(
  pending: readonly PendingAlert[],
): Map<string, { runId: string; startedAt: string; changes: Change[] }> {
  const runs = new Map<string, { runId: string; startedAt: string; changes: Change[] }>();
  for (const p of pending) {
    const group = runs.get(p.runId) ?? { runId: p.runId, startedAt: p.runStartedAt, changes: [] };
    group.changes.push(p.change);
    runs.set(p.runId, group);
  }
  return runs;
}
