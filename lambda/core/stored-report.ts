/**
 * The stored matrix as a report: what `report --store dynamodb` and the dashboard widget show
 * without probing. The confirmed state is the truth; the latest run only fills the cells that
 * have no confirmed state (transient ones: skipped, throttled, error), so the stored matrix has
 * every cell the last probe printed. Reads go through the `StoreReader` port, Query-only.
 */
import {
  type CellResult,
  type Change,
  cellId,
  cellKeyOf,
  isTransient,
  type ModelEntry,
  type Report,
  type Scope,
} from './model';
import type { ConfirmedState, RunRecord, StoreReader } from './ports';
import { summarize } from './summary';

/** What the store holds for one region, as read by `readStoredRegion`. */
export interface StoredRegion {
  readonly region: string;
  readonly confirmed: ConfirmedState;
  /** The newest finished run (or the newest run when none finished); null on an empty table. */
  readonly latestRun: RunRecord | null;
  /** That run's own cell results (null when its copy expired or was never written). */
  readonly latestCells: readonly CellResult[] | null;
  /** Confirmed changes since `changesSince` (oldest first). */
  readonly changes: readonly Change[];
  /** The sentinel's last tick (ISO); null when it never ticked, absent when not read. */
  readonly lastTick?: string | null;
}

export interface ReadStoredOptions {
  /**
   * Changes from this ISO time on.
   * @default the latest run's start (that run's changes only)
   */
  readonly changesSince?: string;
  /** Runs looked at to find the newest finished one. @default 10 */
  readonly runsToScan?: number;
  /** Also read the sentinel's last tick (`lastTick`): one more Query. @default false */
  readonly withTick?: boolean;
}

/** Reads a scope's confirmed matrix, its latest run and recent changes (four Queries at most). */
export async function readStoredRegion(
  store: StoreReader,
  scope: Scope,
  opts: ReadStoredOptions = {},
): Promise<StoredRegion> {
  const { region } = scope;
  const [confirmed, runs, lastTick] = await Promise.all([
    store.loadConfirmed(scope),
    store.listRuns(scope, { limit: opts.runsToScan ?? 10 }),
    opts.withTick ? store.lastSentinelTick(scope) : Promise.resolve(undefined),
  ]);
  // A run still in flight (or cut short without finishing) is not "the last run" yet, and a
  // targeted run probed a few models only: the last finished sweep fills the matrix's gaps.
  const finished = runs.filter((r) => r.finishedAt !== null);
  const latestRun = finished.find((r) => (r.kind ?? 'sweep') === 'sweep') ?? finished[0] ?? runs[0] ?? null;
  const since = opts.changesSince ?? latestRun?.startedAt;
  const [stored, changes] = await Promise.all([
    latestRun ? store.loadRun(scope, latestRun.runId) : Promise.resolve(null),
    since ? store.changesSince(scope, since) : Promise.resolve([]),
  ]);
  return {
    region,
    confirmed,
    latestRun,
    latestCells: stored?.cells ?? null,
    changes,
    ...(lastTick !== undefined ? { lastTick } : {}),
  };
}

/** The cells of one stored region: confirmed cells, plus the latest run's cells with no confirmed state. */
export function storedCells(stored: StoredRegion): CellResult[] {
  const cells: CellResult[] = [];
  for (const c of stored.confirmed.cells.values()) {
    cells.push({
      ...cellKeyOf(c),
      status: c.status,
      evidence: c.evidence,
      since: c.since,
      runId: c.lastRunId,
    });
  }
  const confirmedIds = new Set(stored.confirmed.cells.keys());
  const runId = stored.latestRun?.runId;
  for (const c of stored.latestCells ?? []) {
    // A non-transient cell of the latest run always has a confirmed state; only gaps are filled.
    if (confirmedIds.has(cellId(c)) || !isTransient(c.status)) continue;
    cells.push({ ...c, ...(runId ? { runId } : {}) });
  }
  return cells;
}

/**
 * One report (schema version 1) over the stored regions. With one run id across regions it is
 * that id; otherwise the ids joined with `+`, so a reader sees the view spans several runs.
 */
export function storedReport(regions: readonly StoredRegion[], now: () => Date = () => new Date()): Report {
  const runs = regions.flatMap((r) => (r.latestRun ? [r.latestRun] : []));
  const cells = regions.flatMap(storedCells);
  const models = new Map<string, ModelEntry>();
  for (const r of regions) for (const m of r.confirmed.models.values()) models.set(m.key, m);
  const runIds = [...new Set(runs.map((r) => r.runId))];
  const starts = runs.map((r) => r.startedAt).sort();
  const ends = runs.map((r) => r.finishedAt ?? r.startedAt).sort();
  const fallback = now().toISOString();
  const probesSent = runs.reduce((n, r) => n + r.probesSent, 0);
  const sources = new Set(runs.map((r) => r.source).filter((s) => s !== undefined));
  const kinds = new Set(runs.map((r) => r.kind ?? 'sweep'));
  const [kind] = kinds;
  const modelList = [...models.values()].sort((a, b) => a.key.localeCompare(b.key));
  return {
    schemaVersion: 1,
    runId: runIds.length > 0 ? runIds.join('+') : 'none',
    startedAt: starts[0] ?? fallback,
    finishedAt: ends.at(-1) ?? fallback,
    partial: runs.some((r) => r.partial),
    regions: regions.map((r) => r.region),
    models: modelList,
    cells,
    changes: regions.flatMap((r) => r.changes),
    summary: summarize(cells, modelList, probesSent),
    ...(kinds.size === 1 && kind ? { runKind: kind } : {}),
    // Any simulated region makes the whole view simulated: the notice must not get lost.
    ...(sources.has('simulator')
      ? { source: 'simulator' as const }
      : sources.has('aws')
        ? { source: 'aws' as const }
        : {}),
  };
}
