/**
 * THE store (ports.ts `Store`) over a `Table`: the key design of keys.ts, the items of items.ts,
 * and the write rules (deterministic keys, conditional confirmed state, the outbox). DynamoDB and
 * the in-memory table differ only below the `Table` line, so both behave the same by construction.
 */

import type { CatalogMark } from '../../core/catalog-mark';
import type { ListedCounts } from '../../core/catalog-trust';
import type { CellKey, CellResult, Change, Endpoint, ModelEntry, Scope } from '../../core/model';
import { cellId } from '../../core/model';
import type {
  ConfirmedCell,
  ConfirmedState,
  ConfirmedUpdate,
  EndpointPresence,
  HistoryEntry,
  PendingAlert,
  QueuedRun,
  RunRecord,
  SentinelState,
  Store,
  StoredRun,
} from '../../core/ports';
import { TABLE } from '../../shared/table-schema';
import * as items from './items';
import * as k from './keys';
import { MemberStateTable } from './member-state';
import { OrgTableStore } from './org-store';
import { type Item, type Table, WritesFailed } from './table';

export interface TableStoreOptions {
  /** Days history and run copies are kept. */
  readonly historyTtlDays: number;
  /** Parallel conditional Puts for the confirmed state. */
  readonly putConcurrency: number;
}

const DAY_SECONDS = 86_400;

export class TableStore implements Store {
  constructor(
    protected readonly table: Table,
    private readonly opts: TableStoreOptions,
  ) {}

  /** The organization's items and a member's state, in this same table (org-store.ts). */
  org(): OrgTableStore {
    return new OrgTableStore(this.table);
  }

  /** A member's own state (member-state.ts), when this is a member's table. */
  memberState(): MemberStateTable {
    return new MemberStateTable(this.table);
  }

  async loadConfirmed(scope: Scope): Promise<ConfirmedState> {
    const stored = await this.table.query({ pk: k.statePk(scope) });
    const cells = new Map<string, ConfirmedCell>();
    const models = new Map<string, ModelEntry>();
    const endpoints = new Map<Endpoint, EndpointPresence>();
    const notices = new Set<string>();
    for (const item of stored) {
      if (item.type === 'confirmed-cell') {
        const cell = items.toConfirmedCell(item);
        cells.set(cellId(cell), cell);
      } else if (item.type === 'confirmed-model' && item.removed !== true) {
        models.set(items.modelKeyOf(item), items.toModel(item));
      } else if (item.type === 'endpoint') {
        const presence = items.toEndpoint(item);
        endpoints.set(presence.endpoint, presence);
      } else if (item.type === 'notice') {
        notices.add(items.toNoticeKey(item));
      }
    }
    return { cells, models, endpoints, notices };
  }

  async startRun(run: RunRecord): Promise<void> {
    await this.putRun({ ...run, partial: true });
  }

  async getRun(scope: Scope, runId: string): Promise<RunRecord | null> {
    const [meta] = await this.table.query({ pk: k.runPk(scope, runId), skEquals: k.META_SK });
    return meta ? items.toRun(meta) : null;
  }

  async pendingAlerts(scope: Scope): Promise<PendingAlert[]> {
    const outbox = await this.table.query({ pk: k.outboxPk(scope) });
    return outbox.map((i) => items.toPending(i));
  }

  async markAlerted(scope: Scope, ids: readonly string[]): Promise<void> {
    const pk = k.outboxPk(scope);
    await this.table.batchWrite(ids.map((sk) => ({ delete: { pk, sk } })));
  }

  async acquireLease(scope: Scope, owner: string, nowMs: number, untilMs: number): Promise<boolean> {
    return this.table.putLease(
      {
        pk: k.leasePk(scope),
        sk: k.LEASE_SK,
        type: 'lease',
        owner,
        untilMs,
        // The TTL sweeps a lease whose holder died; the condition does not wait for it.
        [TABLE.ttlAttribute]: Math.ceil(untilMs / 1000) + DAY_SECONDS,
      },
      nowMs,
    );
  }

  async releaseLease(scope: Scope, owner: string): Promise<void> {
    // False = someone else's lease (ours expired and was taken over): not ours to delete.
    await this.table.deleteLease({ pk: k.leasePk(scope), sk: k.LEASE_SK }, owner);
  }

  async finishRun(run: RunRecord): Promise<void> {
    await this.putRun(run);
  }

  async saveResults(
    scope: Scope,
    runId: string,
    startedAt: string,
    cells: readonly CellResult[],
    models: readonly ModelEntry[] = [],
  ): Promise<void> {
    k.checkRun(scope, runId, startedAt);
    const expires = { [TABLE.ttlAttribute]: this.expiresAt(startedAt) };
    const out: Item[] = [];
    for (const c of cells) {
      if (c.region !== scope.region) throw new Error(`cell ${cellId(c)} is not in region ${scope.region}`);
      const result = { ...items.cellAttrs(c), runId, at: startedAt, ...expires };
      out.push({ pk: k.historyPk(scope, c), sk: k.runSk(startedAt, runId), type: 'history', ...result });
      out.push({ pk: k.runPk(scope, runId), sk: k.cellSk(c), type: 'run-cell', ...result });
    }
    for (const m of models) {
      out.push({
        pk: k.runPk(scope, runId),
        sk: k.modelSk(m.key),
        type: 'run-model',
        ...items.modelAttrs(m),
        ...expires,
      });
    }
    await this.batchPut(out);
  }

  async saveConfirmed(scope: Scope, update: ConfirmedUpdate): Promise<void> {
    const { runId, startedAt } = update;
    k.checkRun(scope, runId, startedAt);
    const pk = k.statePk(scope);
    const stamp = { lastRunId: runId, lastRunStartedAt: startedAt };
    const out: Item[] = [];
    for (const e of update.endpoints ?? []) {
      const attrs = { endpoint: e.endpoint, present: e.present, since: e.since };
      out.push({ pk, sk: k.endpointSk(e.endpoint), type: 'endpoint', ...attrs, ...stamp });
    }
    for (const c of update.cells) {
      if (c.region !== scope.region)
        throw new Error(`confirmed cell ${cellId(c)} is not in region ${scope.region}`);
      // The cell's own lastRunId (the run that last saw it) wins over the stamp's.
      out.push({ pk, sk: k.cellSk(c), type: 'confirmed-cell', ...stamp, ...items.confirmedCellAttrs(c) });
    }
    for (const m of update.models) {
      out.push({
        pk,
        sk: k.modelSk(m.key),
        type: 'confirmed-model',
        ...items.modelAttrs(m),
        removed: false,
        ...stamp,
      });
    }
    for (const key of update.removedModels ?? []) {
      out.push({ pk, sk: k.modelSk(key), type: 'confirmed-model', key, removed: true, ...stamp });
    }
    for (const key of update.notices ?? []) {
      out.push({ pk, sk: k.noticeSk(key), type: 'notice', key, ...stamp });
    }
    await this.conditionalPuts(out, startedAt);
  }

  async saveChanges(
    scope: Scope,
    runId: string,
    startedAt: string,
    changes: readonly Change[],
    opts: { readonly outbox?: boolean } = {},
  ): Promise<void> {
    k.checkRun(scope, runId, startedAt);
    const expiresAt = this.expiresAt(startedAt);
    const out: Item[] = [];
    for (const c of changes) {
      if (c.region !== scope.region) throw new Error(`change of ${c.model} is not in region ${scope.region}`);
      const attrs = items.changeAttrs(c, runId, startedAt);
      const id = k.changeKey(c);
      if (opts.outbox !== false) {
        out.push({ pk: k.outboxPk(scope), sk: k.outboxSk(startedAt, runId, id), type: 'outbox', ...attrs });
      }
      out.push({
        pk: k.changesPk(scope),
        sk: k.changeEventSk(startedAt, runId, id),
        type: 'change',
        ...attrs,
      });
      out.push({
        pk: k.runPk(scope, runId),
        sk: k.runChangeSk(id),
        type: 'run-change',
        ...attrs,
        [TABLE.ttlAttribute]: expiresAt,
      });
    }
    await this.batchPut(out);
  }

  async loadSentinel(scope: Scope): Promise<SentinelState> {
    const stored = await this.table.query({ pk: k.sentinelPk(scope) });
    const mark = stored.find((i) => i.sk === k.MARK_SK);
    const tick = stored.find((i) => i.sk === k.TICK_SK);
    return {
      mark: mark ? items.toCatalogMark(mark) : null,
      markedAt: mark ? String(mark.lastRunStartedAt) : null,
      listed: mark ? items.toListedCounts(mark) : null,
      lastTick: tick ? items.toTick(tick) : null,
      queued: stored
        .filter((i) => String(i.sk).startsWith(k.QUEUE_SK_PREFIX))
        .map(items.toQueuedRun)
        .sort((a, b) => a.at.localeCompare(b.at)),
    };
  }

  async saveCatalogMark(
    scope: Scope,
    mark: CatalogMark,
    listed: ListedCounts,
    startedAt: string,
  ): Promise<void> {
    const item = {
      pk: k.sentinelPk(scope),
      sk: k.MARK_SK,
      type: 'catalog-mark',
      models: { ...mark },
      listed: { ...listed },
    };
    await this.conditionalPuts([{ ...item, lastRunStartedAt: startedAt }], startedAt);
  }

  async saveSentinelTick(scope: Scope, at: string): Promise<void> {
    await this.batchPut([{ pk: k.sentinelPk(scope), sk: k.TICK_SK, type: 'sentinel-tick', at }]);
  }

  async lastSentinelTick(scope: Scope): Promise<string | null> {
    const [tick] = await this.table.query({ pk: k.sentinelPk(scope), skEquals: k.TICK_SK });
    return tick ? items.toTick(tick) : null;
  }

  async queueRun(scope: Scope, run: QueuedRun): Promise<void> {
    await this.batchPut([{ pk: k.sentinelPk(scope), sk: k.queueSk(run.id), type: 'queued-run', ...run }]);
  }

  async dequeueRuns(scope: Scope, ids: readonly string[]): Promise<void> {
    const pk = k.sentinelPk(scope);
    await this.table.batchWrite(ids.map((id) => ({ delete: { pk, sk: k.queueSk(id) } })));
  }

  async listRuns(scope: Scope, opts: { readonly limit?: number } = {}): Promise<RunRecord[]> {
    const limit = k.checkLimit(opts.limit, 50);
    const runs = await this.table.query({ pk: k.runsPk(scope), newestFirst: true, limit });
    return runs.map(items.toRun);
  }

  async cellHistory(
    scope: Scope,
    key: CellKey,
    opts: { readonly limit?: number } = {},
  ): Promise<HistoryEntry[]> {
    const limit = k.checkLimit(opts.limit, 100);
    const history = await this.table.query({ pk: k.historyPk(scope, key), newestFirst: true, limit });
    return history.map(items.toHistoryEntry);
  }

  async changesSince(scope: Scope, sinceIso: string): Promise<Change[]> {
    if (Number.isNaN(Date.parse(sinceIso)))
      throw new Error(`since is not an ISO time: ${JSON.stringify(sinceIso)}`);
    const changes = await this.table.query({ pk: k.changesPk(scope), skAfter: k.changesAfterSk(sinceIso) });
    return changes.map(items.toChange);
  }

  async loadRun(scope: Scope, runId: string): Promise<StoredRun | null> {
    const all = await this.table.query({ pk: k.runPk(scope, runId) });
    const meta = all.find((i) => i.sk === k.META_SK);
    if (!meta) return null;
    return {
      run: items.toRun(meta),
      cells: all.filter((i) => i.type === 'run-cell').map(items.toCellResult),
      models: all.filter((i) => i.type === 'run-model').map(items.toModel),
      changes: all.filter((i) => i.type === 'run-change').map(items.toChange),
    };
  }

  private async putRun(run: RunRecord): Promise<void> {
    const scope: Scope = { account: run.account, region: run.region };
    k.checkRun(scope, run.runId, run.startedAt);
    const attrs = items.runAttrs(run);
    await this.batchPut([
      { pk: k.runsPk(scope), sk: k.runSk(run.startedAt, run.runId), type: 'run', ...attrs },
      {
        pk: k.runPk(scope, run.runId),
        sk: k.META_SK,
        type: 'run',
        ...attrs,
        [TABLE.ttlAttribute]: this.expiresAt(run.startedAt),
      },
    ]);
  }

  private expiresAt(startedAt: string): number {
    return Math.floor(Date.parse(startedAt) / 1000) + Math.round(this.opts.historyTtlDays * DAY_SECONDS);
  }

  /**
   * A batch may not hold the same key twice (DynamoDB refuses it), so the last write of a key wins.
   * An item DynamoDB would refuse (keys or size past its limits) is left out and named, and the
   * others are still written.
   */
  private async batchPut(items: readonly Item[]): Promise<void> {
    const unique = [...new Map(items.map((i) => [`${String(i.pk)}\u0000${String(i.sk)}`, i])).values()];
    const { fit, refused } = checkItems(unique);
    let failure: WritesFailed | null = null;
    try {
      await this.table.batchWrite(fit.map((put) => ({ put })));
    } catch (err) {
      if (!(err instanceof WritesFailed)) throw err;
      failure = err;
    }
    throwIfAnyFailed(unique.length, refused, failure);
  }

  /**
   * Conditional Puts in parallel; an item a later run wrote is kept (the point, not a failure).
   * One item refused (WritesFailed) never stops the others: every item is tried, then the failure
   * is thrown. A table that stopped answering stops them all: the rest would only wait for it.
   */
  private async conditionalPuts(items: readonly Item[], startedAt: string): Promise<void> {
    const { fit, refused } = checkItems(items);
    let next = 0;
    let failed = 0;
    let first: string | null = null;
    let down: unknown = null;
    const worker = async (): Promise<void> => {
      while (next < fit.length) {
        const item = fit[next++]!;
        try {
          await this.table.putIfNotNewer(item, startedAt);
        } catch (err) {
          if (!(err instanceof WritesFailed)) {
            down ??= err;
            next = fit.length;
            return;
          }
          failed += 1;
          first ??= err.first;
        }
      }
    };
    const workers = Math.min(Math.max(1, this.opts.putConcurrency), fit.length);
    await Promise.all(Array.from({ length: workers }, worker));
    if (down !== null) throw down;
    throwIfAnyFailed(
      items.length,
      refused,
      first === null ? null : new WritesFailed(failed, fit.length, first),
    );
  }
}

/** Items split into those DynamoDB takes and those it would refuse (with why). */
function checkItems(items: readonly Item[]): { fit: Item[]; refused: string[] } {
  const fit: Item[] = [];
  const refused: string[] = [];
  for (const item of items) {
    const problem = k.itemProblem(item);
    if (problem === null) fit.push(item);
    else refused.push(problem);
  }
  return { fit, refused };
}

function throwIfAnyFailed(total: number, refused: readonly string[], failure: WritesFailed | null): void {
  const failed = refused.length + (failure?.failed ?? 0);
  if (failed === 0) return;
  const first = failure?.first ?? `not stored: ${refused[0]}`;
  throw new WritesFailed(failed, total, first);
}
