/**
 * Drift detection: which cells changed since the last confirmed state, which of those held on
 * re-probe, which models appeared or disappeared, and how bad a change is. Pure, apart from
 * `collectReprobes`, which only calls the re-probe function it is given.
 */
import { DEFAULTS } from '../shared/names';
import {
  type CellKey,
  type CellResult,
  type Change,
  cellId,
  ENDPOINTS,
  type Endpoint,
  emptyEvidence,
  isTransient,
  type ModelEntry,
  type Report,
} from './model';
import type { ConfirmedCell, ConfirmedState } from './ports';

/** Mildest first. */
const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Higher is worse: the order alerts are ranked and sorted by. */
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);

/** A state with neither cells nor models: this run is the region's baseline and alerts nothing. */
export const isBaseline = (confirmed: ConfirmedState): boolean =>
  confirmed.cells.size === 0 && confirmed.models.size === 0;

/**
 * Cells whose new, non-transient status differs from the confirmed one. A cell with no
 * confirmed state is new, not changed (a new model is reported once, as model-added).
 */
export function findCandidates(confirmed: ConfirmedState, results: readonly CellResult[]): CellResult[] {
  return results.filter((r) => {
    if (isTransient(r.status)) return false;
    const known = confirmed.cells.get(cellId(r));
    return known !== undefined && known.status !== r.status;
  });
}

/**
 * Re-probe each candidate up to `confirmCount` times, stopping at the first answer that does
 * not repeat the candidate's status (one miss is enough to not believe it this run).
 */
export async function collectReprobes(
  candidates: readonly CellResult[],
  reprobe: (key: CellKey) => Promise<CellResult>,
  confirmCount: number = DEFAULTS.confirmCount,
): Promise<Map<string, CellResult[]>> {
  assertConfirmCount(confirmCount);
  const seen = new Map<string, CellResult[]>();
  // Candidates are independent: re-probe them side by side (the prober's limiter bounds the load);
  // one candidate's re-probes stay in sequence, since each may end the search.
  await Promise.all(
    candidates.map(async (candidate) => {
      const answers: CellResult[] = [];
      for (let i = 0; i < confirmCount; i++) {
        const answer = await reprobe(candidate);
        answers.push(answer);
        if (answer.status !== candidate.status) break;
      }
      seen.set(cellId(candidate), answers);
    }),
  );
  return seen;
}

export interface ConfirmInput {
  readonly runId: string;
  /** The run's start (ISO): becomes `since` of changed cells and `lastSeen` of every seen cell. */
  readonly startedAt: string;
  /** When the changes were confirmed (ISO). @default startedAt */
  readonly at?: string;
  readonly confirmed: ConfirmedState;
  /** Every cell result of the run. */
  readonly results: readonly CellResult[];
  /** Re-probe answers per `cellId` (see `collectReprobes`). */
  readonly reprobes: ReadonlyMap<string, readonly CellResult[]>;
  /** Re-probes that must all repeat a new status before it is believed. @default DEFAULTS.confirmCount */
  readonly confirmCount?: number;
  /**
   * An unchanged cell is written again once its last sighting is this old, so `lastSeen` and the
   * stored evidence stay at most this stale. @default SIGHTING_REFRESH_MS (a day)
   */
  readonly refreshMs?: number;
}

/**
 * How often an unchanged confirmed cell is written only to move its last sighting: once a day,
 * not every run, so an hourly region rewrites 1/24 of its unchanged state instead of all of it.
 */
export const SIGHTING_REFRESH_MS = 24 * 60 * 60 * 1000;

export interface ConfirmOutput {
  /** Confirmed cell changes (kind `cell`), in result order. */
  readonly changes: Change[];
  /**
   * Confirmed cells to save: new cells, changed cells, cells served by another route or model ID
   * under the same status, and unchanged cells whose last sighting is `refreshMs` old. A cell
   * left out keeps what is stored.
   */
  readonly confirmed: ConfirmedCell[];
}

/**
 * Decide which candidates are real changes and what the confirmed state becomes. Transient
 * results leave the confirmed cell untouched (nothing to save for them).
 */
export function confirmChanges(input: ConfirmInput): ConfirmOutput {
  const confirmCount = input.confirmCount ?? DEFAULTS.confirmCount;
  assertConfirmCount(confirmCount);
  const refreshMs = input.refreshMs ?? SIGHTING_REFRESH_MS;
  const refreshBefore = Date.parse(input.startedAt) - refreshMs;
  const at = input.at ?? input.startedAt;
  const changes: Change[] = [];
  const confirmed: ConfirmedCell[] = [];
  for (const r of input.results) {
    if (isTransient(r.status)) continue;
    const id = cellId(r);
    const known = input.confirmed.cells.get(id);
    if (known === undefined) {
      confirmed.push(toConfirmed(r, input.runId, input.startedAt, input.startedAt));
      continue;
    }
    if (known.status === r.status) {
      const moved = known.route !== r.evidence.route || known.modelId !== r.evidence.modelId;
      const stale = !(Date.parse(known.lastSeen) > refreshBefore);
      if (moved || stale) confirmed.push(toConfirmed(r, input.runId, known.since, input.startedAt));
      continue;
    }
    const answers = input.reprobes.get(id) ?? [];
    const held = answers.length >= confirmCount && answers.every((a) => a.status === r.status);
    // A candidate that did not hold (flapping, or re-probes missing) changes nothing.
    if (!held) continue;
    // The last re-probe is the freshest evidence that the new status holds.
    const evidence = answers.at(-1)?.evidence ?? r.evidence;
    changes.push({
      region: r.region,
      model: r.model,
      endpoint: r.endpoint,
      api: r.api,
      variant: r.variant,
      from: known.status,
      to: r.status,
      kind: 'cell',
      at,
      evidence,
    });
    confirmed.push(toConfirmed({ ...r, evidence }, input.runId, input.startedAt, input.startedAt));
  }
  return { changes, confirmed };
}

function toConfirmed(r: CellResult, runId: string, since: string, lastSeen: string): ConfirmedCell {
  return {
    region: r.region,
    model: r.model,
    endpoint: r.endpoint,
    api: r.api,
    variant: r.variant,
    status: r.status,
    route: r.evidence.route,
    modelId: r.evidence.modelId,
    since,
    lastSeen,
    lastRunId: runId,
    evidence: r.evidence,
  };
}

function assertConfirmCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`confirmCount must be a non-negative integer, got ${String(n)}`);
  }
}

/**
 * Models that appeared or disappeared, per endpoint: a model whose mantle ID vanished is
 * removed on mantle even if runtime still reaches it. An empty `previous` is a baseline: no changes.
 */
export function diffModels(
  previous: ReadonlyMap<string, ModelEntry>,
  current: readonly ModelEntry[],
  region: string,
  at?: string,
): Change[] {
  if (previous.size === 0) return [];
  const changes: Change[] = [];
  const currentByKey = new Map(current.map((m) => [m.key, m]));
  const keys = [...new Set([...previous.keys(), ...currentByKey.keys()])].sort();
  for (const key of keys) {
    const before = previous.get(key);
    const after = currentByKey.get(key);
    for (const endpoint of ENDPOINTS) {
      const idBefore = before?.ids[endpoint];
      const idAfter = after?.ids[endpoint];
      if (idBefore === undefined && idAfter !== undefined) {
        changes.push(modelChange('model-added', region, key, endpoint, idAfter, after?.sources ?? [], at));
      } else if (idBefore !== undefined && idAfter === undefined) {
        changes.push(modelChange('model-removed', region, key, endpoint, idBefore, [], at));
      }
    }
  }
  return changes;
}

/** Keys of models that no catalog lists any more (to tombstone in the confirmed state). */
export function removedModelKeys(
  previous: ReadonlyMap<string, ModelEntry>,
  current: readonly ModelEntry[],
): string[] {
  const now = new Set(current.map((m) => m.key));
  return [...previous.keys()].filter((k) => !now.has(k)).sort();
}

function modelChange(
  kind: 'model-added' | 'model-removed',
  region: string,
  model: string,
  endpoint: Endpoint,
  modelId: string,
  sources: readonly string[],
  at: string | undefined,
): Change {
  const reason =
    kind === 'model-added'
      ? `listed on ${endpoint}${sources.length > 0 ? ` (${sources.join(', ')})` : ''}`
      : `no longer listed on ${endpoint}`;
  return {
    region,
    model,
    endpoint,
    api: null,
    variant: null,
    from: null,
    to: null,
    kind,
    ...(at !== undefined ? { at } : {}),
    evidence: emptyEvidence({ modelId, reason }),
  };
}

/**
 * Changes between two reports (old `a`, new `b`), for `bedrock-matrix diff`: cells present in
 * both with different non-transient statuses, plus models added/removed in regions both cover.
 */
export function diffReports(a: Report, b: Report): Change[] {
  const before = new Map(a.cells.map((c) => [cellId(c), c]));
  const changes: Change[] = [];
  for (const cell of b.cells) {
    const old = before.get(cellId(cell));
    if (old === undefined || isTransient(old.status) || isTransient(cell.status)) continue;
    if (old.status === cell.status) continue;
    changes.push({
      region: cell.region,
      model: cell.model,
      endpoint: cell.endpoint,
      api: cell.api,
      variant: cell.variant,
      from: old.status,
      to: cell.status,
      kind: 'cell',
      at: b.startedAt,
      evidence: cell.evidence,
    });
  }
  const regions = b.regions.filter((r) => a.regions.includes(r));
  for (const region of regions) {
    const previous = new Map(modelsInRegion(a, region).map((m) => [m.key, m]));
    changes.push(...diffModels(previous, modelsInRegion(b, region), region, b.startedAt));
  }
  return changes;
}

/** The report's model list is a union over regions; a model belongs to a region if it has cells there. */
function modelsInRegion(report: Report, region: string): ModelEntry[] {
  const keys = new Set(report.cells.filter((c) => c.region === region).map((c) => c.model));
  // A single-region report lists exactly that region's models, even those without cells.
  if (report.regions.length === 1 && report.regions[0] === region) return [...report.models];
  return report.models.filter((m) => keys.has(m.key));
}

/**
 * `high`: a guardrail cell that stopped being `enforced` (the Guardrail no longer protects);
 * `medium`: something that was `supported` no longer is, or a model or endpoint disappeared;
 * `low` otherwise.
 */
export function severityOf(change: Change): Severity {
  if (change.variant === 'guardrail' && change.from === 'enforced' && change.to !== 'enforced') return 'high';
  if (change.kind === 'model-removed' || change.kind === 'endpoint-disappeared') return 'medium';
  if (change.from === 'supported' && change.to !== 'supported') return 'medium';
  return 'low';
}

/** The worst severity among `changes`; `low` for none. */
export function highestSeverity(changes: readonly Change[]): Severity {
  let worst = 0;
  for (const c of changes) worst = Math.max(worst, severityRank(severityOf(c)));
  return SEVERITIES[worst] ?? 'low';
}
