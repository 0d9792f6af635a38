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
  /** Descending sk. @default false (ascending) */
  readonly newestFirst?: boolean;
  /** At most this many items. @default all */
  readonly limit?: number;
}

export interface Table {
  /** Unconditional puts and deletes, in any grouping the table likes; all done or it throws. */
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
