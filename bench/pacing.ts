/**
 * The arithmetic of the pacing check (issue 23, "quota-safe pacing"): how many calls one model had
 * in flight at once, and the bound a run's duration is held to. Pure; the run is pacing-run.ts.
 */

/** One probe call as the recorder saw it. */
export interface CallRecord {
  readonly model: string;
  /** The cell the call was for: `model|endpoint|api|variant`. */
  readonly cell: string;
}

/** Counts calls in flight per model key as they start and end, keeping the highest count seen. */
export class InFlightRecorder {
  readonly calls: CallRecord[] = [];
  private readonly now = new Map<string, number>();
  private highest = 0;
  private highestModel: string | null = null;

  start(call: CallRecord): void {
    this.calls.push(call);
    const n = (this.now.get(call.model) ?? 0) + 1;
    this.now.set(call.model, n);
    if (n > this.highest) {
      this.highest = n;
      this.highestModel = call.model;
    }
  }

  end(call: CallRecord): void {
    this.now.set(call.model, (this.now.get(call.model) ?? 1) - 1);
  }

  /** The largest number of calls one model had in flight at once, and that model. */
  get maxPerModel(): { readonly calls: number; readonly model: string | null } {
    return { calls: this.highest, model: this.highestModel };
  }
}

export interface PacingBound {
  /** Calls x latency / concurrency: the run if every slot were busy all the time. */
  readonly throughputMs: number;
  /** The longest model: its calls that must run one after another, at `latency` each. */
  readonly chainMs: number;
  /** The model that sets the chain bound. */
  readonly chainModel: string | null;
  readonly boundMs: number;
}

/** The basic cell a follow-up cell waits for (`model|endpoint|api|basic`), or null for a basic cell. */
const basicOf = (cell: string): string | null => {
  const parts = cell.split('|');
  return parts[3] === 'basic' ? null : [...parts.slice(0, 3), 'basic'].join('|');
};

/**
 * The bound of a run that made `calls`, each taking `latencyMs`. Per model, the larger of:
 * - the longest dependency chain of the plan the run made: a cell's calls run one after another
 *   (retries, other routes and IDs, the other request shape), and a follow-up cell starts only
 *   after its basic cell settled, so a follow-up's chain is its basic cell's calls plus its own;
 * - its calls / perModel (rounded up): no more than perModel of them run at once.
 * The chain bound is the largest over the models; the bound is the larger of it and the
 * throughput bound.
 */
export function pacingBound(
  calls: readonly CallRecord[],
  options: { readonly latencyMs: number; readonly concurrency: number; readonly perModel: number },
): PacingBound {
  const perCell = new Map<string, number>();
  const perModel = new Map<string, number>();
  for (const c of calls) {
    perCell.set(c.cell, (perCell.get(c.cell) ?? 0) + 1);
    perModel.set(c.model, (perModel.get(c.model) ?? 0) + 1);
  }
  const longestChain = new Map<string, number>();
  for (const [cell, n] of perCell) {
    const basic = basicOf(cell);
    const chain = n + (basic === null ? 0 : (perCell.get(basic) ?? 0));
    const model = cell.split('|')[0] as string;
    longestChain.set(model, Math.max(longestChain.get(model) ?? 0, chain));
  }
  let chainCalls = 0;
  let chainModel: string | null = null;
  for (const [model, n] of perModel) {
    const steps = Math.max(longestChain.get(model) ?? 0, Math.ceil(n / options.perModel));
    if (steps > chainCalls) {
      chainCalls = steps;
      chainModel = model;
    }
  }
  const throughputMs = (calls.length * options.latencyMs) / options.concurrency;
  const chainMs = chainCalls * options.latencyMs;
  return { throughputMs, chainMs, chainModel, boundMs: Math.max(throughputMs, chainMs) };
}
