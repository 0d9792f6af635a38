/**
 * What one steady-state run measured on the simulator (cost/measure-run.ts) and what prices it:
 * counts only, no prices. Stored as cost/measured-run.json so `npm run cost` and the README figure
 * test need no simulator run; `npm run cost -- --measure` takes it again.
 */
import type { Item, ItemKey, Table, TableQuery, TableWrite } from '../lambda/adapters/store/table';

export interface RunMeasurement {
  readonly measuredAt: string;
  /** The simulator scenario the run probed. */
  readonly scenario: string;
  /** The prober settings of the run (the stack's environment), to tell a stale measurement. */
  readonly settings: Readonly<Record<string, string>>;
  /**
   * Minutes between the baseline and the measured run: the schedule's period, which decides how
   * many unchanged cells the run rewrites (those last written a day ago).
   */
  readonly periodMinutes: number;
  /** Calls the prober sent to Bedrock (retries and re-probes included). */
  readonly calls: number;
  /** The handler's own count of probes sent (its `ProbesSent` metric). */
  readonly probesSent: number;
  /** Tokens billed, by model key. */
  readonly tokens: Readonly<Record<string, { readonly input: number; readonly output: number }>>;
  /**
   * Texts the probe guardrail assessed (each under 1,000 characters, so one text unit each): the
   * ApplyGuardrail control, the input of each call it blocked, input and output of each call it
   * marked as passed. A call with no guardrail marker (mantle ignores guardrail headers) counts none.
   */
  readonly guardrailTextUnits: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  /** Bytes the run wrote with a TTL (history, runs, changes): they stay until the TTL expires. */
  readonly expiringBytes: number;
  /** Bytes of the items the run overwrites each time (confirmed state, lease). */
  readonly lastingBytes: number;
  /** Bytes of the log lines the function wrote. */
  readonly logBytes: number;
}

/** DynamoDB's item size: attribute names plus values (docs: "Item sizes and formats"). */
export function itemBytes(item: Item): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    bytes += Buffer.byteLength(name) + valueBytes(value);
  }
  return bytes;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  // A number is up to 21 bytes: about one byte per two significant digits, plus one.
  if (typeof value === 'number')
    return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueBytes(v), 0);
  if (typeof value === 'object')
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (n, [k, v]) => (v === undefined ? n : n + 1 + Buffer.byteLength(k) + valueBytes(v)),
        0,
      )
    );
  return 0;
}

/** What a table was asked to do, in DynamoDB's billing units. */
export interface TableUsage {
  writeUnits: number;
  readUnits: number;
  expiringBytes: number;
  lastingBytes: number;
}

const KB = 1024;

/**
 * A `Table` that counts the request units each operation bills (on demand: a write unit per 1 KB
 * written, a read unit per 4 KB read strongly consistent) before passing it on.
 */
export function countingTable(inner: Table, ttlAttribute: string): { table: Table; usage: TableUsage } {
  const usage: TableUsage = { writeUnits: 0, readUnits: 0, expiringBytes: 0, lastingBytes: 0 };
  const wrote = (item: Item) => {
    const bytes = itemBytes(item);
    usage.writeUnits += Math.max(1, Math.ceil(bytes / KB));
    if (item[ttlAttribute] !== undefined) usage.expiringBytes += bytes;
    else usage.lastingBytes += bytes;
  };
  const table: Table = {
    async batchWrite(writes: readonly TableWrite[]) {
      for (const w of writes) {
        if ('put' in w) wrote(w.put);
        else usage.writeUnits += 1;
      }
      return inner.batchWrite(writes);
    },
    async putIfNotNewer(item: Item, startedAt: string) {
      wrote(item);
      return inner.putIfNotNewer(item, startedAt);
    },
    async putLease(item: Item & { readonly owner: string }, nowMs: number) {
      usage.writeUnits += Math.max(1, Math.ceil(itemBytes(item) / KB));
      return inner.putLease(item, nowMs);
    },
    async deleteLease(key: ItemKey, owner: string) {
      usage.writeUnits += 1;
      return inner.deleteLease(key, owner);
    },
    async query(q: TableQuery) {
      const items = await inner.query(q);
      const bytes = items.reduce((n, i) => n + itemBytes(i), 0);
      usage.readUnits += Math.max(1, Math.ceil(bytes / (4 * KB)));
      return items;
    },
  };
  return { table, usage };
}
