/**
 * Ports: what the core needs from storage, independent of DynamoDB. The engine and the handler
 * record a run through `RunStore`; the CLI and the widget read through `StoreReader`;
 * `lambda/adapters/store/` implements both (DynamoDB and in memory).
 */

import type { StoredRunKind } from '../shared/names';
import type { CatalogMark } from './catalog-mark';
import type { ListedCounts } from './catalog-trust';
import type {
  CellKey,
  CellResult,
  Change,
  Endpoint,
  Evidence,
  ModelEntry,
  RunSource,
  Scope,
  Status,
  Summary,
} from './model';

/** The believed state of one cell: only confirmed, non-transient statuses end up here. */
export interface ConfirmedCell extends CellKey {
  readonly status: Status;
  readonly route: string | null;
  readonly modelId: string | null;
  /** When the cell entered `status` (the run start of the run that confirmed it). */
  readonly since: string;
  /**
   * The start of the last run that wrote the cell in `status`: unchanged cells are rewritten once a
   * day (`SIGHTING_REFRESH_MS`), so this is at most a day behind the last run that saw it.
   */
  readonly lastSeen: string;
  /** The run that last wrote the cell (see `lastSeen`). */
  readonly lastRunId: string;
  readonly evidence: Evidence;
}

/** Whether a region has an endpoint at all (its host name resolves), as last confirmed. */
export interface EndpointPresence {
  readonly endpoint: Endpoint;
  readonly present: boolean;
  /** When the endpoint entered this presence (run start). */
  readonly since: string;
}

/** A region's confirmed matrix: cells keyed by `cellId`, models keyed by model key. */
export interface ConfirmedState {
  readonly cells: ReadonlyMap<string, ConfirmedCell>;
  readonly models: ReadonlyMap<string, ModelEntry>;
  /** Endpoints whose presence was recorded; an endpoint never recorded counts as present. */
  readonly endpoints?: ReadonlyMap<Endpoint, EndpointPresence>;
  /**
   * Retirement-notice keys (`<model>|<kind>|<YYYY-MM-DD>`, see retirement.ts) already turned into
   * alerts, so each notice alerts once. Absent = none recorded.
   */
  readonly notices?: ReadonlySet<string>;
}

export const emptyConfirmedState = (): ConfirmedState => ({
  cells: new Map(),
  models: new Map(),
  endpoints: new Map(),
  notices: new Set(),
});

/** What one run confirms, written by `saveConfirmed` in one call. */
export interface ConfirmedUpdate {
  readonly runId: string;
  /** The run's start (ISO): items written by a run that started later are left as they are. */
  readonly startedAt: string;
  readonly cells: readonly ConfirmedCell[];
  readonly models: readonly ModelEntry[];
  /** Keys that disappeared from every catalog. @default none */
  readonly removedModels?: readonly string[];
  /** @default none */
  readonly endpoints?: readonly EndpointPresence[];
  /**
   * Retirement-notice keys in the window (turned into changes now or by an earlier run): the
   * store remembers them so each notice alerts once. @default none
   */
  readonly notices?: readonly string[];
}

/** A confirmed change stored but not yet accepted by the alert channel (the outbox). */
export interface PendingAlert {
  /** The outbox item's identity; `markAlerted` takes it back. */
  readonly id: string;
  readonly runId: string;
  /** That run's start (ISO): where its change event and run copy are keyed. */
  readonly runStartedAt: string;
  readonly change: Change;
}

export interface RunRecord {
  /** The scope's account (the run's region is `region`). */
  readonly account: string;
  readonly region: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** True from `startRun` until `finishRun`; stays true for a run cut short. */
  readonly partial: boolean;
  readonly source?: RunSource;
  readonly summary: Summary | null;
  readonly changeCount: number;
  readonly probesSent: number;
  /** How the run ended; absent while it runs (and on records written before this field existed). */
  readonly outcome?: 'completed' | 'partial' | 'failed';
  /** For `failed`: which dependency failed and how, secret-free. */
  readonly failure?: string | null;
  /** `sweep` (the full matrix) or `targeted` (the models the sentinel saw change); absent = sweep. */
  readonly kind?: StoredRunKind;
}

/** A run that found its scope busy, kept until a later invocation runs it (none is dropped). */
export interface QueuedRun {
  /** The queue item's identity; `dequeueRuns` takes it back. */
  readonly id: string;
  readonly kind: StoredRunKind;
  /** `targeted`: the model keys to probe. */
  readonly models: readonly string[];
  /** When it was queued (ISO). */
  readonly at: string;
}

/** What the sentinel keeps per scope, read in one Query. */
export interface SentinelState {
  /** The catalogs as the last stored run saw them; null before any run stored one. */
  readonly mark: CatalogMark | null;
  /** The start of the run that wrote `mark`. */
  readonly markedAt: string | null;
  /** How many models each catalog listed for that run: a listing far smaller is not believed. */
  readonly listed: ListedCounts | null;
  /** The sentinel's last tick (its heartbeat), ISO; null before the first. */
  readonly lastTick: string | null;
  /** Runs waiting for the scope's lease, oldest first. */
  readonly queued: readonly QueuedRun[];
}

/** One history entry of a cell: what one run saw. */
export interface HistoryEntry extends CellResult {
  readonly runId: string;
  /** The run's start time (ISO). */
  readonly at: string;
}

/** Everything stored for one run: enough to rebuild a Report for `bedrock-matrix diff --runs`. */
export interface StoredRun {
  readonly run: RunRecord;
  readonly cells: readonly CellResult[];
  readonly models: readonly ModelEntry[];
  readonly changes: readonly Change[];
}

/** What the engine and the handler record, and read back, for one run of one region. */
export interface RunStore {
  /** CLI only: create the table if absent (same key design, on-demand billing, TTL on). */
  ensureTable?(): Promise<void>;
  /** The scope's confirmed matrix; an empty state means no baseline yet. */
  loadConfirmed(scope: Scope): Promise<ConfirmedState>;
  /** Writes the run record with `partial: true`. */
  startRun(run: RunRecord): Promise<void>;
  /** History items (with TTL) for every cell result, plus the run's own copy for `loadRun`. */
  saveResults(
    scope: Scope,
    runId: string,
    startedAt: string,
    cells: readonly CellResult[],
    models?: readonly ModelEntry[],
  ): Promise<void>;
  /**
   * Confirmed cells, models, endpoint presence and notices. Never moves the state backwards: an
   * item last written by a later run is left as it is.
   */
  saveConfirmed(scope: Scope, update: ConfirmedUpdate): Promise<void>;
  /**
   * Change events, keyed by the run's start and the change's identity (replays overwrite), each
   * with an outbox item until the alert channel has accepted it (unless `outbox` is false: the CLI
   * prints its changes and has no other channel).
   */
  saveChanges(
    scope: Scope,
    runId: string,
    startedAt: string,
    changes: readonly Change[],
    opts?: { readonly outbox?: boolean },
  ): Promise<void>;
  /** Stored changes of the scope that no alert has carried yet, oldest first. */
  pendingAlerts(scope: Scope): Promise<PendingAlert[]>;
  /** The alert channel accepted these: take them out of the outbox. */
  markAlerted(scope: Scope, ids: readonly string[]): Promise<void>;
  /** The run record, or null when the run id is unknown. */
  getRun(scope: Scope, runId: string): Promise<RunRecord | null>;
  /**
   * Take the scope's run lease until `untilMs` (epoch ms), unless another owner holds an
   * unexpired one. True when taken (or already held by `owner`).
   */
  acquireLease(scope: Scope, owner: string, nowMs: number, untilMs: number): Promise<boolean>;
  /** Give the lease back if `owner` still holds it. */
  releaseLease(scope: Scope, owner: string): Promise<void>;
  /** Writes the final run record; `partial` as given (false for a completed run). */
  finishRun(run: RunRecord): Promise<void>;
  /** Newest first. @default limit 50 */
  listRuns(scope: Scope, opts?: { readonly limit?: number }): Promise<RunRecord[]>;
  /** The sentinel's mark, heartbeat and queue of the scope. */
  loadSentinel(scope: Scope): Promise<SentinelState>;
  /** The catalogs a stored run saw; a mark of a run that started earlier than the stored one is dropped. */
  saveCatalogMark(scope: Scope, mark: CatalogMark, listed: ListedCounts, startedAt: string): Promise<void>;
  /** The sentinel's heartbeat. */
  saveSentinelTick(scope: Scope, at: string): Promise<void>;
  /** Keep a run that found the scope busy (its id makes a repeat overwrite, not add). */
  queueRun(scope: Scope, run: QueuedRun): Promise<void>;
  /** These queued runs ran: take them out. */
  dequeueRuns(scope: Scope, ids: readonly string[]): Promise<void>;
}

/** What the CLI and the dashboard widget read: Query-only, never a write. */
export interface StoreReader {
  loadConfirmed(scope: Scope): Promise<ConfirmedState>;
  /** Newest first. @default limit 50 */
  listRuns(scope: Scope, opts?: { readonly limit?: number }): Promise<RunRecord[]>;
  /** Everything one run stored, or null when the run id is unknown (or expired). */
  loadRun(scope: Scope, runId: string): Promise<StoredRun | null>;
  /** Confirmed changes of runs started at or after `sinceIso`, oldest first. */
  changesSince(scope: Scope, sinceIso: string): Promise<Change[]>;
  /** Newest first. @default limit 100 */
  cellHistory(scope: Scope, key: CellKey, opts?: { readonly limit?: number }): Promise<HistoryEntry[]>;
  /** The run record, or null when the run id is unknown. */
  getRun(scope: Scope, runId: string): Promise<RunRecord | null>;
  /** The sentinel's last tick (ISO), or null: the freshest sign of life of a scope. */
  lastSentinelTick(scope: Scope): Promise<string | null>;
}

export type Store = RunStore & StoreReader;
