/**
 * The call slots of one run: at most `concurrency` calls in flight in all, and at most `perModel`
 * on one model (every endpoint, route and ID of a model key counts together), because real
 * per-model quotas answer 429 to a burst on one model.
 *
 * Work-conserving by the order of the two limits: a call first takes one of its model's slots and
 * only then queues for a global one, so a call whose model is at its cap waits without holding a
 * global slot, and the global queue holds only calls that may start. The global slots are idle
 * only when no call of a model under its cap is waiting.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export class CallSlots {
  private readonly global: LimitFunction;
  private readonly models = new Map<string, LimitFunction>();

  constructor(
    concurrency: number,
    private readonly perModel: number,
  ) {
    this.global = pLimit(concurrency);
    // The models' limiters are made on first use: check their bound now, as p-limit checks the global one.
    if (!Number.isInteger(perModel) || perModel < 1) {
      throw new RangeError(`perModelConcurrency must be a whole number from 1, got ${perModel}`);
    }
  }

  /** Runs `call` once it holds one of its model's slots and a global one; frees both when it settles. */
  run<T>(model: string, call: () => Promise<T>): Promise<T> {
    let limit = this.models.get(model);
    if (limit === undefined) {
      limit = pLimit(this.perModel);
      this.models.set(model, limit);
    }
    return limit(() => this.global(call));
  }
}
