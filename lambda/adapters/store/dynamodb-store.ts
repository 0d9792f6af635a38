/** The store on DynamoDB: the one store logic (table-store.ts) over the DynamoDB table operations. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULTS } from '../../shared/names';
import { DynamoDbTable } from './dynamodb-table';
import { ensureTable, tableAccount } from './ensure-table';
import { TableStore } from './table-store';

export interface DynamoDbStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Days history and run copies are kept. @default DEFAULTS.historyTtlDays */
  readonly historyTtlDays?: number;
  /** Attempts for a BatchWriteItem chunk with unprocessed items left, or a throttled write. @default 30 */
  readonly maxBatchAttempts?: number;
  /**
   * Time one write may spend retrying throttling and unprocessed items (a burst of a few seconds
   * must not lose confirmed state). @default DEFAULT_WRITE_RETRY_MS (20 s)
   */
  readonly writeRetryMs?: number;
  /** Clock of the retry time (tests advance it from their `sleep`). @default Date.now */
  readonly now?: () => number;
  /** First backoff delay (doubles, with jitter). @default 50 */
  readonly baseDelayMs?: number;
  /** Parallel conditional Puts for the confirmed state. @default 8 */
  readonly putConcurrency?: number;
  /** Injectable sleep (tests). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Time one DynamoDB call may take before the store gives up on it. @default DEFAULTS.dependencyTimeoutMs */
  readonly callTimeoutMs?: number;
}

/** Retry time of one write: outlasts a throttling burst, well inside a run's time budget. */
export const DEFAULT_WRITE_RETRY_MS = 20_000;

export class DynamoDbStore extends TableStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly callTimeoutMs: number;
  private owner: Promise<string> | undefined;

  constructor(opts: DynamoDbStoreOptions) {
    if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(opts.tableName)) {
      throw new Error(`DynamoDB table name is invalid: ${JSON.stringify(opts.tableName)}`);
    }
    const ttl = opts.historyTtlDays ?? DEFAULTS.historyTtlDays;
    if (!Number.isFinite(ttl) || ttl <= 0) {
      throw new Error(`historyTtlDays must be a positive number, got ${String(opts.historyTtlDays)}`);
    }
    const attempts = opts.maxBatchAttempts ?? 30;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new Error(`maxBatchAttempts must be a positive integer, got ${String(opts.maxBatchAttempts)}`);
    }
    const callTimeoutMs = opts.callTimeoutMs ?? DEFAULTS.dependencyTimeoutMs;
    const table = new DynamoDbTable({
      client: opts.client,
      tableName: opts.tableName,
      maxBatchAttempts: attempts,
      retryForMs: opts.writeRetryMs ?? DEFAULT_WRITE_RETRY_MS,
      now: opts.now ?? Date.now,
      baseDelayMs: opts.baseDelayMs ?? 50,
      sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      callTimeoutMs,
    });
    super(table, { historyTtlDays: ttl, putConcurrency: opts.putConcurrency ?? 8 });
    this.client = opts.client;
    this.tableName = opts.tableName;
    this.callTimeoutMs = callTimeoutMs;
  }

  /** Create the table if absent (same key schema as the stack, on-demand billing, TTL on). */
  ensureTable(): Promise<void> {
    return ensureTable(this.client, this.tableName, this.callTimeoutMs);
  }

  /** The account that owns the table (its ARN), asked once. */
  account(): Promise<string> {
    this.owner ??= tableAccount(this.client, this.tableName, this.callTimeoutMs);
    return this.owner;
  }
}
