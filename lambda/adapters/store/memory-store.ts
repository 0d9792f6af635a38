/**
 * The store in memory: the same store logic (table-store.ts) over an in-memory table, for fast
 * engine tests. A failure can be injected at a named step of the run to test what survives it.
 */
import type { Store } from '../../core/ports';
import { DEFAULTS } from '../../shared/names';
import { MemoryTable, type TableOp } from './memory-table';
import type { Item } from './table';
import { TableStore } from './table-store';

/** A store method (the step of a run) or a table operation underneath it. */
export type StoreStep = Exclude<keyof Store, 'ensureTable'>;

export interface MemoryStoreOptions {
  /**
   * Called before each store method with its name and region, and before each table operation
   * (DynamoDB's name: `BatchWriteItem`, `PutItem`, ...) with the item's pk; an Error returned is
   * thrown there. @default never fails
   */
  readonly failOn?: (op: StoreStep | TableOp, pk: string) => Error | null;
  /** @default DEFAULTS.historyTtlDays */
  readonly historyTtlDays?: number;
  /** Items the store starts with (another store's `items()`: one stored baseline, many tests). @default none */
  readonly items?: readonly Item[];
}

// A record, so the compiler asks for every step the port gains.
const STEP_SET: Record<StoreStep, true> = {
  loadConfirmed: true,
  startRun: true,
  saveResults: true,
  saveConfirmed: true,
  saveChanges: true,
  pendingAlerts: true,
  markAlerted: true,
  getRun: true,
  acquireLease: true,
  releaseLease: true,
  finishRun: true,
  listRuns: true,
  cellHistory: true,
  changesSince: true,
  loadRun: true,
  loadSentinel: true,
  saveCatalogMark: true,
  saveSentinelTick: true,
  lastSentinelTick: true,
  queueRun: true,
  dequeueRuns: true,
};
const STEPS = Object.keys(STEP_SET) as StoreStep[];

export class MemoryStore extends TableStore {
  private readonly memory: MemoryTable;

  constructor(opts: MemoryStoreOptions = {}) {
    const failOn = opts.failOn;
    const memory = new MemoryTable(failOn ? { failOn } : {});
    memory.load(opts.items ?? []);
    super(memory, { historyTtlDays: opts.historyTtlDays ?? DEFAULTS.historyTtlDays, putConcurrency: 1 });
    this.memory = memory;
    if (!failOn) return;
    for (const step of STEPS) {
      const original = this[step].bind(this) as (region: unknown, ...rest: unknown[]) => Promise<unknown>;
      Object.defineProperty(this, step, {
        value: async (first: unknown, ...rest: unknown[]) => {
          const err = failOn(step, regionOf(first));
          if (err) throw err;
          return original(first, ...rest);
        },
      });
    }
  }

  /** Every stored item, for tests that count or inspect what was written. */
  items(): Item[] {
    return this.memory.items();
  }
}

/** The region a store method's first argument names (a scope or a run record). */
const regionOf = (first: unknown): string =>
  typeof first === 'object' && first !== null && 'region' in first ? String(first.region) : '';
