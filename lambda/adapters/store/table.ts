/**
 * The few low-level operations the store needs from a table, with DynamoDB's semantics:
 * dynamodb-table.ts is the real one, memory-table.ts the in-memory one the engine tests use.
 * Everything else (key design, item mapping, write order) is table-store.ts, written once.
 */

/** One stored item: `pk` and `sk` strings plus attributes. */
export type Item = Readonly<Record<string, unknown>>;

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export type TableWrite = { readonly put: Item } | { readonly delete: ItemKey };

export interface TableQuery {
  readonly pk: string;
  /** Only items whose sk sorts after this. */
  readonly skAfter?: string;
  /** Only the item with this sk. */
  readonly skEquals?: string;
  /** Only items whose sk starts with this (DynamoDB `begins_with`). */
  readonly skPrefix?: string;
  /** Descending sk. @default false (ascending) */
  readonly newestFirst?: boolean;
  /** At most this many items. @default all */
  readonly limit?: number;
}

/**
 * Some writes of one store call were not done; every other write of it was still tried. The
 * message names the first failure and how many items are missing.
 */
export class WritesFailed extends Error {
  override readonly name = 'WritesFailed';
  constructor(
    readonly failed: number,
    readonly total: number,
    readonly first: string,
  ) {
    super(`${first} (${failed} of ${total} items of this write not stored)`);
  }
}

/**
 * Runs `write` on each group in turn, never stopping at a failure of the group's own items (one
 * item's failure must not skip the items after it); throws WritesFailed at the end. A failure
 * that is not about the items (`itemsFault` false: the table does not answer) is thrown at once,
 * since every later write would only wait for it again. `sizeOf` = items in a group.
 */
export async function writeEach<T>(
  groups: readonly T[],
  write: (group: T) => Promise<void>,
  sizeOf: (group: T) => number = () => 1,
  itemsFault: (err: unknown) => boolean = () => true,
): Promise<void> {
  let failed = 0;
  let total = 0;
  let first: string | null = null;
  for (const group of groups) {
    total += sizeOf(group);
    try {
      await write(group);
    } catch (err) {
      if (!(err instanceof WritesFailed) && !itemsFault(err)) throw err;
      failed += err instanceof WritesFailed ? err.failed : sizeOf(group);
      first ??= err instanceof WritesFailed ? err.first : err instanceof Error ? err.message : String(err);
    }
  }
  if (first !== null) throw new WritesFailed(failed, total, first);
}

export interface Table {
  /**
   * Unconditional puts and deletes, in any grouping the table likes; every write is tried, and
   * when any failed it throws WritesFailed after the rest were done.
   */
  batchWrite(writes: readonly TableWrite[]): Promise<void>;
  /**
   * Put unless the stored item was last written by a run that started later (its
   * `lastRunStartedAt` > `startedAt`). False when the stored item was kept.
   */
  putIfNotNewer(item: Item, startedAt: string): Promise<boolean>;
  /** Put the lease item when absent, expired (`untilMs` < `nowMs`) or held by `owner`. */
  putLease(item: Item & { readonly owner: string }, nowMs: number): Promise<boolean>;
  /** Delete the lease item when `owner` holds it. False when someone else does (or nobody). */
  deleteLease(key: ItemKey, owner: string): Promise<boolean>;
  /** Items of one partition in sk order, every page read. */
  query(q: TableQuery): Promise<Item[]>;
}
