/**
 * The `Table` operations in memory, with DynamoDB's semantics: items ordered by sk within a
 * partition, the same conditions, undefined attributes dropped, nothing shared with the caller
 * (items are copied in and out). Fast engine tests run on it; the contract suite holds it to the
 * DynamoDB behaviour.
 */
import {
  type Item,
  type ItemKey,
  type Table,
  type TableQuery,
  type TableWrite,
  WritesFailed,
  writeEach,
} from './table';

/** Operation names as DynamoDB's, so an injected failure reads like a real one. */
export type TableOp = 'BatchWriteItem' | 'PutItem' | 'DeleteItem' | 'Query';

export interface MemoryTableOptions {
  /**
   * Called before each operation (each write of a batch: earlier writes stay applied); an Error
   * returned is thrown there. @default never fails
   */
  readonly failOn?: (op: TableOp, pk: string) => Error | null;
}

/** A copy without undefined attributes, as the DocumentClient writes it (removeUndefinedValues). */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export class MemoryTable implements Table {
  private readonly partitions = new Map<string, Map<string, Item>>();

  constructor(private readonly opts: MemoryTableOptions = {}) {}

  /** Puts `items` as they are, without a failure check (a starting state, not a write under test). */
  load(items: readonly Item[]): void {
    for (const item of items) this.put(item);
  }

  private check(op: TableOp, pk: string): void {
    const err = this.opts.failOn?.(op, pk);
    if (err) throw err;
  }

  private get(key: ItemKey): Item | undefined {
    return this.partitions.get(key.pk)?.get(key.sk);
  }

  private put(item: Item): void {
    const { pk, sk } = keyOf(item);
    const partition = this.partitions.get(pk) ?? new Map<string, Item>();
    this.partitions.set(pk, partition);
    partition.set(sk, copy(item));
  }

  private delete(key: ItemKey): void {
    this.partitions.get(key.pk)?.delete(key.sk);
  }

  async batchWrite(writes: readonly TableWrite[]): Promise<void> {
    await writeEach(writes, async (w) => {
      if ('put' in w) {
        this.check('BatchWriteItem', keyOf(w.put).pk);
        this.put(w.put);
      } else {
        this.check('BatchWriteItem', w.delete.pk);
        this.delete(w.delete);
      }
    });
  }

  async putIfNotNewer(item: Item, startedAt: string): Promise<boolean> {
    const key = keyOf(item);
    try {
      this.check('PutItem', key.pk);
    } catch (err) {
      // An injected failure reads as DynamoDB refusing this one item (the others still go).
      throw new WritesFailed(1, 1, err instanceof Error ? err.message : String(err));
    }
    const stored = this.get(key);
    const last = stored?.lastRunStartedAt;
    if (stored && !(typeof last === 'string' && last <= startedAt)) return false;
    this.put(item);
    return true;
  }

  async putLease(item: Item & { readonly owner: string }, nowMs: number): Promise<boolean> {
    const key = keyOf(item);
    this.check('PutItem', key.pk);
    const stored = this.get(key);
    const until = stored?.untilMs;
    const free = !stored || (typeof until === 'number' && until < nowMs) || stored.owner === item.owner;
    if (!free) return false;
    this.put(item);
    return true;
  }

  async deleteLease(key: ItemKey, owner: string): Promise<boolean> {
    this.check('DeleteItem', key.pk);
    if (this.get(key)?.owner !== owner) return false;
    this.delete(key);
    return true;
  }

  async query(q: TableQuery): Promise<Item[]> {
    this.check('Query', q.pk);
    const partition = this.partitions.get(q.pk) ?? new Map<string, Item>();
    const sks = [...partition.keys()]
      .filter((sk) => (q.skAfter !== undefined ? sk > q.skAfter : true))
      .filter((sk) => (q.skEquals !== undefined ? sk === q.skEquals : true))
      .filter((sk) => (q.skPrefix !== undefined ? sk.startsWith(q.skPrefix) : true))
      .sort();
    if (q.newestFirst) sks.reverse();
    const picked = q.limit !== undefined ? sks.slice(0, q.limit) : sks;
    return picked.map((sk) => copy(partition.get(sk)!));
  }

  /** Every item, for tests that count what was stored. */
  items(): Item[] {
    return [...this.partitions.values()].flatMap((p) => [...p.values()].map(copy));
  }
}

function keyOf(item: Item): ItemKey {
  const { pk, sk } = item;
  if (typeof pk !== 'string' || typeof sk !== 'string')
    throw new Error(`item has no string pk / sk: ${JSON.stringify({ pk, sk })}`);
  return { pk, sk };
}
