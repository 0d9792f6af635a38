/**
 * The `Table` operations on DynamoDB through the DocumentClient. Every call is bounded in time and
 * a failure says "DynamoDB", the operation, the table and the partition, so an operator knows at
 * once what broke. BatchWriteItem goes in chunks of 25; a chunk that failed never stops the
 * chunks after it. Unprocessed items and throttled writes (the SDK client gives up after its own
 * two attempts) are retried with jittered backoff for as long as the write's retry time allows.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { jitteredBackoff } from '../../core/backoff';
import { TABLE } from '../../shared/table-schema';
import { bounded, DependencyError, DependencyTimeout } from '../bounded';
import {
  type Item,
  type ItemKey,
  type Table,
  type TableQuery,
  type TableWrite,
  WritesFailed,
  writeEach,
} from './table';

export interface DynamoDbTableOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Attempts for a BatchWriteItem chunk with unprocessed items left, or a throttled write. */
  readonly maxBatchAttempts: number;
  /** Time one write (a chunk, a Put) may spend on retries of throttling and unprocessed items. */
  readonly retryForMs: number;
  /** Clock of the retry time (tests move it with their sleep). */
  readonly now: () => number;
  /** First backoff delay ceiling (doubles, with jitter). */
  readonly baseDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Time one DynamoDB call may take. */
  readonly callTimeoutMs: number;
}

type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

const BATCH_SIZE = 25;
const MAX_DELAY_MS = 5_000;

/** DynamoDB's names for "slow down" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html). */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

/** The error or its cause (once wrapped) is named one of `names`. */
const named = (err: unknown, names: ReadonlySet<string>): boolean => {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    if (names.has(String((e as { name?: unknown }).name))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
};

/** DynamoDB throttling: retried with backoff. */
export const isThrottled = (err: unknown): boolean => named(err, THROTTLING);

/** DynamoDB refused the request's items (a key or item past a limit, a bad value), not the call. */
const isItemRefusal = (err: unknown): boolean => named(err, new Set(['ValidationException']));

export class DynamoDbTable implements Table {
  private readonly doc: DynamoDBDocumentClient;
  private readonly name: string;

  constructor(private readonly opts: DynamoDbTableOptions) {
    this.doc = DynamoDBDocumentClient.from(opts.client, {
      marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    });
    this.name = opts.tableName;
  }

  private async send<T>(op: string, key: string, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const what = `DynamoDB ${op} on table ${this.name} (${key})`;
    try {
      return await bounded(what, this.opts.callTimeoutMs, call);
    } catch (err) {
      if (err instanceof DependencyTimeout || err instanceof ConditionalCheckFailedException) throw err;
      throw new DependencyError(what, err);
    }
  }

  /** A conditional call: false when DynamoDB refused the condition. */
  private async conditional(op: string, key: string, call: (s: AbortSignal) => Promise<unknown>) {
    try {
      await this.send(op, key, call);
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async batchWrite(writes: readonly TableWrite[]): Promise<void> {
    const all: WriteRequests = writes.map((w) =>
      'put' in w ? { PutRequest: { Item: { ...w.put } } } : { DeleteRequest: { Key: { ...w.delete } } },
    );
    const chunks: WriteRequests[] = [];
    for (let i = 0; i < all.length; i += BATCH_SIZE) chunks.push(all.slice(i, i + BATCH_SIZE));
    await writeEach(
      chunks,
      (chunk) => this.isolatedChunk(chunk),
      (chunk) => chunk.length,
      isItemRefusal,
    );
  }

  /**
   * DynamoDB refuses a whole batch for one bad item: the chunk is then written item by item, so
   * only the bad one is lost.
   */
  private async isolatedChunk(chunk: WriteRequests): Promise<void> {
    try {
      await this.writeChunk(chunk);
    } catch (err) {
      if (chunk.length === 1 || !isItemRefusal(err)) throw err;
      await writeEach(
        chunk,
        (one) => this.writeChunk([one]),
        () => 1,
        isItemRefusal,
      );
    }
  }

  /** One BatchWriteItem chunk, retried while throttled or with items left, within the retry time. */
  private async writeChunk(chunk: WriteRequests): Promise<void> {
    let requests = chunk;
    const first = requests[0]?.PutRequest?.Item ?? requests[0]?.DeleteRequest?.Key;
    const started = this.opts.now();
    for (let attempt = 1; ; attempt++) {
      let left: WriteRequests;
      try {
        const out = await this.send('BatchWriteItem', String(first?.pk), (abortSignal) =>
          this.doc.send(new BatchWriteCommand({ RequestItems: { [this.name]: requests } }), { abortSignal }),
        );
        left = out.UnprocessedItems?.[this.name] ?? [];
      } catch (err) {
        if (!isThrottled(err) || !this.mayRetry(attempt, started)) throw err;
        await this.backoff(attempt);
        continue;
      }
      if (left.length === 0) return;
      if (!this.mayRetry(attempt, started)) {
        const item = left[0]?.PutRequest?.Item ?? left[0]?.DeleteRequest?.Key;
        throw new Error(
          `DynamoDB BatchWriteItem on table ${this.name}: ${left.length} items still unprocessed after ${attempt} attempts (first: ${String(item?.pk)} / ${String(item?.sk)})`,
        );
      }
      requests = left;
      await this.backoff(attempt);
    }
  }

  private mayRetry(attempt: number, started: number): boolean {
    return attempt < this.opts.maxBatchAttempts && this.opts.now() - started < this.opts.retryForMs;
  }

  private backoff(attempt: number): Promise<void> {
    return this.opts.sleep(
      jitteredBackoff(attempt - 1, { baseMs: this.opts.baseDelayMs, maxMs: MAX_DELAY_MS }),
    );
  }

  /** A single write retried while DynamoDB throttles it, within the retry time. */
  private async throttled<T>(write: () => Promise<T>): Promise<T> {
    const started = this.opts.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (!isThrottled(err) || !this.mayRetry(attempt, started)) throw err;
        await this.backoff(attempt);
      }
    }
  }

  async putIfNotNewer(item: Item, startedAt: string): Promise<boolean> {
    try {
      return await this.throttled(() => this.putIfNotNewerOnce(item, startedAt));
    } catch (err) {
      // The item, not the table: the store goes on with the other items.
      if (isItemRefusal(err)) throw new WritesFailed(1, 1, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private putIfNotNewerOnce(item: Item, startedAt: string): Promise<boolean> {
    return this.conditional('PutItem', String(item.pk), (abortSignal) =>
      this.doc.send(
        new PutCommand({
          TableName: this.name,
          Item: { ...item },
          ConditionExpression: 'attribute_not_exists(#pk) OR #last <= :started',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#last': 'lastRunStartedAt' },
          ExpressionAttributeValues: { ':started': startedAt },
        }),
        { abortSignal },
      ),
    );
  }

  putLease(item: Item & { readonly owner: string }, nowMs: number): Promise<boolean> {
    return this.conditional('PutItem', String(item.pk), (abortSignal) =>
      this.doc.send(
        new PutCommand({
          TableName: this.name,
          Item: { ...item },
          ConditionExpression: 'attribute_not_exists(#pk) OR #until < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#until': 'untilMs', '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': nowMs, ':owner': item.owner },
        }),
        { abortSignal },
      ),
    );
  }

  deleteLease(key: ItemKey, owner: string): Promise<boolean> {
    return this.conditional('DeleteItem', key.pk, (abortSignal) =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.name,
          Key: { ...key },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
        { abortSignal },
      ),
    );
  }

  async query(q: TableQuery): Promise<Item[]> {
    const out: Item[] = [];
    let start: QueryCommandInput['ExclusiveStartKey'];
    const sk = q.skAfter ?? q.skEquals ?? q.skPrefix;
    const skCondition = q.skAfter
      ? ' AND #sk > :sk'
      : q.skEquals
        ? ' AND #sk = :sk'
        : q.skPrefix
          ? ' AND begins_with(#sk, :sk)'
          : '';
    do {
      const page = await this.send('Query', q.pk, (abortSignal) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.name,
            KeyConditionExpression: `#pk = :pk${skCondition}`,
            ExpressionAttributeNames: sk
              ? { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey }
              : { '#pk': TABLE.partitionKey },
            ExpressionAttributeValues: sk ? { ':pk': q.pk, ':sk': sk } : { ':pk': q.pk },
            ScanIndexForward: !q.newestFirst,
            ...(q.limit !== undefined ? { Limit: q.limit - out.length } : {}),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
          { abortSignal },
        ),
      );
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && (q.limit === undefined || out.length < q.limit));
    return out;
  }
}
