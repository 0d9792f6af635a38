/**
 * The results table: one DynamoDB table, single-table design, no index. Every access pattern is
 * ONE Query (paged) on the primary key.
 *
 * Table design (key attributes `pk` / `sk`, strings; TTL attribute `expiresAt`, epoch seconds):
 *
 * | item                 | pk                                               | sk                                   | TTL |
 * |----------------------|--------------------------------------------------|--------------------------------------|-----|
 * | confirmed cell       | STATE#<region>                                   | CELL#<model>#<endpoint>#<api>#<variant> | no |
 * | confirmed model      | STATE#<region>                                   | MODEL#<key>                          | no  |
 * | cell history         | CELL#<region>#<model>#<endpoint>#<api>#<variant> | RUN#<startedAt ISO>#<runId>          | yes |
 * | run (list)           | RUNS#<region>                                    | RUN#<startedAt ISO>#<runId>          | no  |
 * | change event         | CHANGES#<region>                                 | AT#<startedAt ISO>#<runId>#<change>  | no  |
 * | run copy: record     | RUN#<region>#<runId>                             | META                                 | yes |
 * | run copy: cell       | RUN#<region>#<runId>                             | CELL#<model>#<endpoint>#<api>#<variant> | yes |
 * | run copy: model      | RUN#<region>#<runId>                             | MODEL#<key>                          | yes |
 * | run copy: change     | RUN#<region>#<runId>                             | CHANGE#<change>                      | yes |
 * | endpoint presence    | STATE#<region>                                   | ENDPOINT#<endpoint>                  | no  |
 * | outbox (unalerted)   | OUTBOX#<region>                                  | <startedAt ISO>#<runId>#<change>     | no  |
 * | run lease            | LEASE#<region>                                   | LEASE                                | yes |
 *
 * Access patterns:
 * - confirmed matrix of a region:  Query pk = STATE#<region>
 * - history of one cell:           Query pk = CELL#..., newest first (ScanIndexForward = false)
 * - runs of a region:              Query pk = RUNS#<region>, newest first
 * - changes of a region since T:   Query pk = CHANGES#<region> AND sk > AT#<T>
 * - everything of one run:         Query pk = RUN#<region>#<runId> (for `bedrock-matrix diff --runs`)
 * - one run's record:              Query pk = RUN#<region>#<runId> AND sk = META
 * - changes not yet alerted:       Query pk = OUTBOX#<region>
 *
 * Write order of a run (engine/pipeline.ts) is the outbox pattern: change events and their outbox
 * items before the confirmed state, the alert from the outbox, outbox items deleted only after
 * SNS accepted the alert. A crash or a retry at any step therefore loses no change and stores none
 * twice. The lease is a conditional Put with an expiry, so overlapping invocations never run twice.
 *
 * Where <change> = <model>#<endpoint>#<api or ->#<variant or ->#<kind>. Keys are deterministic, so
 * replaying a run overwrites its own items and never duplicates them. Confirmed items carry
 * `lastRunStartedAt` and are written with a condition (absent, or written by a run that started no
 * later), so an older run replayed late can never move the confirmed state backwards. Removed
 * models are kept as tombstones (`removed: true`) for the same reason. History TTL counts from
 * the run's start, so a replay writes the same item. No item holds a secret: evidence text is
 * scrubbed once more before it is written.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CellKey, CellResult, Change, Endpoint, Evidence, ModelEntry } from '../core/model';
import type {
  ConfirmedCell,
  ConfirmedState,
  EndpointPresence,
  HistoryEntry,
  PendingAlert,
  RunRecord,
  Store,
  StoredRun,
} from '../core/ports';
import { scrubSecrets } from '../core/scrub';
import { DEFAULTS, TABLE } from '../shared/names';
import { bounded, DependencyError, DependencyTimeout } from './bounded';

export interface DynamoDbStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Days history and run copies are kept. @default DEFAULTS.historyTtlDays */
  readonly historyTtlDays?: number;
  /** Attempts for a BatchWriteItem chunk with unprocessed items left. @default 8 */
  readonly maxBatchAttempts?: number;
  /** First backoff delay (doubles, with jitter). @default 50 */
  readonly baseDelayMs?: number;
  /** Parallel conditional Puts for the confirmed state. @default 8 */
  readonly putConcurrency?: number;
  /** Injectable sleep (tests). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Time one DynamoDB call may take before the store gives up on it. @default DEFAULTS.dependencyTimeoutMs */
  readonly callTimeoutMs?: number;
}

/** The table does not exist (in that account and region): a fact for the CLI to name, not a fault. */
export function isMissingTable(err: unknown): boolean {
  const e = err as { name?: string; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  return e.name === 'ResourceNotFoundException' || (e.cause !== undefined && isMissingTable(e.cause));
}

type Item = Record<string, unknown>;
type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

const BATCH_SIZE = 25;
const DAY_SECONDS = 86_400;

export class DynamoDbStore implements Store {
  private readonly doc: DynamoDBDocumentClient;
  private readonly client: DynamoDBClient;
  private readonly table: string;
  private readonly ttlDays: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly putConcurrency: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly callTimeoutMs: number;

  constructor(opts: DynamoDbStoreOptions) {
    if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(opts.tableName)) {
      throw new Error(`DynamoDB table name is invalid: ${JSON.stringify(opts.tableName)}`);
    }
    const ttl = opts.historyTtlDays ?? DEFAULTS.historyTtlDays;
    if (!Number.isFinite(ttl) || ttl <= 0) {
      throw new Error(`historyTtlDays must be a positive number, got ${String(opts.historyTtlDays)}`);
    }
    const attempts = opts.maxBatchAttempts ?? 8;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new Error(`maxBatchAttempts must be a positive integer, got ${String(opts.maxBatchAttempts)}`);
    }
    this.client = opts.client;
    this.doc = DynamoDBDocumentClient.from(opts.client, {
      marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    });
    this.table = opts.tableName;
    this.ttlDays = ttl;
    this.maxAttempts = attempts;
    this.baseDelayMs = opts.baseDelayMs ?? 50;
    this.putConcurrency = Math.max(1, opts.putConcurrency ?? 8);
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.callTimeoutMs = opts.callTimeoutMs ?? DEFAULTS.dependencyTimeoutMs;
  }

  /**
   * Every DynamoDB call goes through here: bounded in time, and a failure says "DynamoDB", the
   * operation and the table, so an operator knows at once what broke.
   */
  private async send<T>(op: string, key: string, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const what = `DynamoDB ${op} on table ${this.table} (${key})`;
    try {
      return await bounded(what, this.callTimeoutMs, call);
    } catch (err) {
      if (err instanceof DependencyTimeout || err instanceof ConditionalCheckFailedException) throw err;
      throw new DependencyError(what, err);
    }
  }

  async ensureTable(): Promise<void> {
    const key = 'table';
    try {
      await bounded(`DynamoDB DescribeTable on table ${this.table}`, this.callTimeoutMs, (abortSignal) =>
        this.client.send(new DescribeTableCommand({ TableName: this.table }), { abortSignal }),
      );
      return;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) {
        if (err instanceof DependencyTimeout) throw err;
        throw new DependencyError(`DynamoDB DescribeTable on table ${this.table}`, err);
      }
    }
    await this.send('CreateTable', key, (abortSignal) =>
      this.client.send(
        new CreateTableCommand({
          TableName: this.table,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
            { AttributeName: TABLE.sortKey, AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
          ],
        }),
        { abortSignal },
      ),
    );
    await waitUntilTableExists({ client: this.client, maxWaitTime: 60 }, { TableName: this.table });
    await this.send('UpdateTimeToLive', key, (abortSignal) =>
      this.client.send(
        new UpdateTimeToLiveCommand({
          TableName: this.table,
          TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        }),
        { abortSignal },
      ),
    );
  }

  async loadConfirmed(region: string): Promise<ConfirmedState> {
    const items = await this.queryAll({ pk: statePk(region) });
    const cells = new Map<string, ConfirmedCell>();
    const models = new Map<string, ModelEntry>();
    const endpoints = new Map<Endpoint, EndpointPresence>();
    for (const item of items) {
      if (item.type === 'confirmed-cell') {
        const cell = toConfirmedCell(item);
        cells.set(cellIdOf(cell), cell);
      } else if (item.type === 'confirmed-model' && item.removed !== true) {
        models.set(String(item.key), toModel(item));
      } else if (item.type === 'endpoint') {
        const presence = toEndpoint(item);
        endpoints.set(presence.endpoint, presence);
      }
    }
    return { cells, models, endpoints };
  }

  async startRun(run: RunRecord): Promise<void> {
    await this.putRun({ ...run, partial: true });
  }

  async getRun(region: string, runId: string): Promise<RunRecord | null> {
    const items = await this.queryAll({ pk: runPk(region, runId), skEquals: 'META' });
    return items[0] ? toRun(items[0]) : null;
  }

  async pendingAlerts(region: string): Promise<PendingAlert[]> {
    const items = await this.queryAll({ pk: outboxPk(region) });
    return items.map((i) => ({ id: String(i.sk), runId: String(i.runId), change: toChange(i) }));
  }

  async markAlerted(region: string, ids: readonly string[]): Promise<void> {
    const pk = outboxPk(region);
    await this.batchWrite(ids.map((sk) => ({ DeleteRequest: { Key: { pk, sk } } })));
  }

  async acquireLease(region: string, owner: string, nowMs: number, untilMs: number): Promise<boolean> {
    const pk = leasePk(region);
    try {
      await this.send('PutItem', pk, (abortSignal) =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk,
              sk: 'LEASE',
              type: 'lease',
              owner,
              untilMs,
              // The TTL sweeps a lease whose holder died; the condition below does not wait for it.
              [TABLE.ttlAttribute]: Math.ceil(untilMs / 1000) + DAY_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(#pk) OR #until < :now OR #owner = :owner',
            ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#until': 'untilMs', '#owner': 'owner' },
            ExpressionAttributeValues: { ':now': nowMs, ':owner': owner },
          }),
          { abortSignal },
        ),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async releaseLease(region: string, owner: string): Promise<void> {
    const pk = leasePk(region);
    try {
      await this.send('DeleteItem', pk, (abortSignal) =>
        this.doc.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { pk, sk: 'LEASE' },
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
          { abortSignal },
        ),
      );
    } catch (err) {
      // Someone else's lease (ours expired and was taken over): not ours to delete.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async finishRun(run: RunRecord): Promise<void> {
    await this.putRun(run);
  }

  async saveResults(
    region: string,
    runId: string,
    startedAt: string,
    cells: readonly CellResult[],
    models: readonly ModelEntry[] = [],
  ): Promise<void> {
    checkRun(region, runId, startedAt);
    const expiresAt = this.expiresAt(startedAt);
    const items: Item[] = [];
    for (const c of cells) {
      if (c.region !== region) {
        throw new Error(`cell ${cellIdOf(c)} is not in region ${region}`);
      }
      const result = {
        region: c.region,
        model: c.model,
        endpoint: c.endpoint,
        api: c.api,
        variant: c.variant,
        status: c.status,
        evidence: cleanEvidence(c.evidence),
        runId,
        at: startedAt,
        [TABLE.ttlAttribute]: expiresAt,
      };
      items.push({ pk: historyPk(c), sk: runSk(startedAt, runId), type: 'history', ...result });
      items.push({ pk: runPk(region, runId), sk: cellSk(c), type: 'run-cell', ...result });
    }
    for (const m of models) {
      items.push({
        pk: runPk(region, runId),
        sk: `MODEL#${part(m.key, 'model key')}`,
        type: 'run-model',
        ...modelAttrs(m),
        [TABLE.ttlAttribute]: expiresAt,
      });
    }
    await this.batchPut(items);
  }

  async saveConfirmed(
    region: string,
    runId: string,
    startedAt: string,
    cells: readonly ConfirmedCell[],
    models: readonly ModelEntry[],
    removedModels: readonly string[] = [],
    endpoints: readonly EndpointPresence[] = [],
  ): Promise<void> {
    checkRun(region, runId, startedAt);
    const items: Item[] = [];
    for (const e of endpoints) {
      items.push({
        pk: statePk(region),
        sk: `ENDPOINT#${part(e.endpoint, 'endpoint')}`,
        type: 'endpoint',
        endpoint: e.endpoint,
        present: e.present,
        since: e.since,
        lastRunId: runId,
        lastRunStartedAt: startedAt,
      });
    }
    for (const c of cells) {
      if (c.region !== region) throw new Error(`confirmed cell ${cellIdOf(c)} is not in region ${region}`);
      items.push({
        pk: statePk(region),
        sk: cellSk(c),
        type: 'confirmed-cell',
        region: c.region,
        model: c.model,
        endpoint: c.endpoint,
        api: c.api,
        variant: c.variant,
        status: c.status,
        route: c.route,
        modelId: c.modelId,
        since: c.since,
        lastSeen: c.lastSeen,
        lastRunId: c.lastRunId,
        evidence: cleanEvidence(c.evidence),
        lastRunStartedAt: startedAt,
      });
    }
    for (const m of models) {
      items.push({
        pk: statePk(region),
        sk: `MODEL#${part(m.key, 'model key')}`,
        type: 'confirmed-model',
        ...modelAttrs(m),
        removed: false,
        lastRunId: runId,
        lastRunStartedAt: startedAt,
      });
    }
    for (const key of removedModels) {
      items.push({
        pk: statePk(region),
        sk: `MODEL#${part(key, 'model key')}`,
        type: 'confirmed-model',
        key,
        removed: true,
        lastRunId: runId,
        lastRunStartedAt: startedAt,
      });
    }
    await this.conditionalPuts(items, startedAt);
  }

  async saveChanges(
    region: string,
    runId: string,
    startedAt: string,
    changes: readonly Change[],
    opts: { readonly outbox?: boolean } = {},
  ): Promise<void> {
    checkRun(region, runId, startedAt);
    const expiresAt = this.expiresAt(startedAt);
    const items: Item[] = [];
    for (const c of changes) {
      if (c.region !== region) throw new Error(`change of ${c.model} is not in region ${region}`);
      const attrs = changeAttrs(c, runId, startedAt);
      if (opts.outbox !== false) {
        // Same key on a retry of the run: the outbox holds each change once.
        items.push({
          pk: outboxPk(region),
          sk: `${startedAt}#${runId}#${changeKey(c)}`,
          type: 'outbox',
          ...attrs,
        });
      }
      items.push({
        pk: changesPk(region),
        sk: `AT#${startedAt}#${runId}#${changeKey(c)}`,
        type: 'change',
        ...attrs,
      });
      items.push({
        pk: runPk(region, runId),
        sk: `CHANGE#${changeKey(c)}`,
        type: 'run-change',
        ...attrs,
        [TABLE.ttlAttribute]: expiresAt,
      });
    }
    await this.batchPut(items);
  }

  async listRuns(region: string, opts: { readonly limit?: number } = {}): Promise<RunRecord[]> {
    const items = await this.queryAll({
      pk: runsPk(region),
      newestFirst: true,
      limit: checkLimit(opts.limit, 50),
    });
    return items.map(toRun);
  }

  async cellHistory(key: CellKey, opts: { readonly limit?: number } = {}): Promise<HistoryEntry[]> {
    const items = await this.queryAll({
      pk: historyPk(key),
      newestFirst: true,
      limit: checkLimit(opts.limit, 100),
    });
    return items.map((i) => ({ ...toCellResult(i), runId: String(i.runId), at: String(i.at) }));
  }

  async changesSince(region: string, sinceIso: string): Promise<Change[]> {
    if (Number.isNaN(Date.parse(sinceIso)))
      throw new Error(`since is not an ISO time: ${JSON.stringify(sinceIso)}`);
    const items = await this.queryAll({ pk: changesPk(region), skAfter: `AT#${sinceIso}` });
    return items.map(toChange);
  }

  async loadRun(region: string, runId: string): Promise<StoredRun | null> {
    const items = await this.queryAll({ pk: runPk(region, runId) });
    const meta = items.find((i) => i.sk === 'META');
    if (!meta) return null;
    return {
      run: toRun(meta),
      cells: items.filter((i) => i.type === 'run-cell').map(toCellResult),
      models: items.filter((i) => i.type === 'run-model').map(toModel),
      changes: items.filter((i) => i.type === 'run-change').map(toChange),
    };
  }

  private async putRun(run: RunRecord): Promise<void> {
    checkRun(run.region, run.runId, run.startedAt);
    const attrs = {
      region: run.region,
      runId: run.runId,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      partial: run.partial,
      source: run.source,
      summary: run.summary,
      changeCount: run.changeCount,
      probesSent: run.probesSent,
      outcome: run.outcome,
      failure: run.failure,
    };
    await this.batchPut([
      { pk: runsPk(run.region), sk: runSk(run.startedAt, run.runId), type: 'run', ...attrs },
      {
        pk: runPk(run.region, run.runId),
        sk: 'META',
        type: 'run',
        ...attrs,
        [TABLE.ttlAttribute]: this.expiresAt(run.startedAt),
      },
    ]);
  }

  private expiresAt(startedAt: string): number {
    return Math.floor(Date.parse(startedAt) / 1000) + Math.round(this.ttlDays * DAY_SECONDS);
  }

  /** BatchWriteItem puts; a batch may not hold the same key twice, so the last write of a key wins. */
  private async batchPut(items: readonly Item[]): Promise<void> {
    const unique = [...new Map(items.map((i) => [`${String(i.pk)}\u0000${String(i.sk)}`, i])).values()];
    await this.batchWrite(unique.map((Item) => ({ PutRequest: { Item } })));
  }

  /** BatchWriteItem in chunks of 25, retrying unprocessed items with backoff. */
  private async batchWrite(all: WriteRequests): Promise<void> {
    for (let i = 0; i < all.length; i += BATCH_SIZE) {
      let requests: WriteRequests = all.slice(i, i + BATCH_SIZE);
      const first = requests[0]?.PutRequest?.Item ?? requests[0]?.DeleteRequest?.Key;
      for (let attempt = 1; ; attempt++) {
        const out = await this.send('BatchWriteItem', String(first?.pk), (abortSignal) =>
          this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }), { abortSignal }),
        );
        const left = out.UnprocessedItems?.[this.table] ?? [];
        if (left.length === 0) break;
        if (attempt >= this.maxAttempts) {
          const item = left[0]?.PutRequest?.Item ?? left[0]?.DeleteRequest?.Key;
          throw new Error(
            `DynamoDB BatchWriteItem on table ${this.table}: ${left.length} items still unprocessed after ${attempt} attempts (first: ${String(item?.pk)} / ${String(item?.sk)})`,
          );
        }
        requests = left;
        await this.sleep(backoff(this.baseDelayMs, attempt));
      }
    }
  }

  /** Puts that only land if the stored item is absent or was written by a run that started no later. */
  private async conditionalPuts(items: readonly Item[], startedAt: string): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next++]!;
        try {
          await this.send('PutItem', String(item.pk), (abortSignal) =>
            this.doc.send(
              new PutCommand({
                TableName: this.table,
                Item: item,
                ConditionExpression: 'attribute_not_exists(#pk) OR #last <= :started',
                ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#last': 'lastRunStartedAt' },
                ExpressionAttributeValues: { ':started': startedAt },
              }),
              { abortSignal },
            ),
          );
        } catch (err) {
          // A later run already wrote this item: keeping its state is the point, not a failure.
          if (!(err instanceof ConditionalCheckFailedException)) throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.putConcurrency, items.length) }, worker));
  }

  private async queryAll(q: {
    readonly pk: string;
    readonly newestFirst?: boolean;
    readonly limit?: number;
    readonly skAfter?: string;
    readonly skEquals?: string;
  }): Promise<Item[]> {
    const out: Item[] = [];
    let start: QueryCommandInput['ExclusiveStartKey'];
    const sk = q.skAfter ?? q.skEquals;
    const skCondition = q.skAfter ? ' AND #sk > :sk' : q.skEquals ? ' AND #sk = :sk' : '';
    do {
      const page = await this.send('Query', q.pk, (abortSignal) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
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
      out.push(...((page.Items ?? []) as Item[]));
      start = page.LastEvaluatedKey;
    } while (start && (q.limit === undefined || out.length < q.limit));
    return out;
  }
}

function backoff(base: number, attempt: number): number {
  const ceiling = Math.min(5_000, base * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Key parts are joined with `#`: a part holding `#` would make keys ambiguous. */
function part(value: string, what: string): string {
  if (value === '' || value.includes('#')) {
    throw new Error(`${what} cannot be stored (empty or contains '#'): ${JSON.stringify(value)}`);
  }
  return value;
}

function checkRun(region: string, runId: string, startedAt: string): void {
  part(region, 'region');
  part(runId, 'run id');
  if (Number.isNaN(Date.parse(startedAt)))
    throw new Error(`startedAt is not an ISO time: ${JSON.stringify(startedAt)}`);
}

function checkLimit(limit: number | undefined, fallback: number): number {
  const n = limit ?? fallback;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`limit must be a positive integer, got ${String(limit)}`);
  return n;
}

const cellPath = (k: CellKey): string =>
  [
    part(k.model, 'model key'),
    part(k.endpoint, 'endpoint'),
    part(k.api, 'api'),
    part(k.variant, 'variant'),
  ].join('#');
const statePk = (region: string): string => `STATE#${part(region, 'region')}`;
const runsPk = (region: string): string => `RUNS#${part(region, 'region')}`;
const changesPk = (region: string): string => `CHANGES#${part(region, 'region')}`;
const outboxPk = (region: string): string => `OUTBOX#${part(region, 'region')}`;
const leasePk = (region: string): string => `LEASE#${part(region, 'region')}`;
const runPk = (region: string, runId: string): string =>
  `RUN#${part(region, 'region')}#${part(runId, 'run id')}`;
const historyPk = (k: CellKey): string => `CELL#${part(k.region, 'region')}#${cellPath(k)}`;
const cellSk = (k: CellKey): string => `CELL#${cellPath(k)}`;
const runSk = (startedAt: string, runId: string): string => `RUN#${startedAt}#${runId}`;
const changeKey = (c: Change): string =>
  `${part(c.model, 'model key')}#${c.endpoint}#${c.api ?? '-'}#${c.variant ?? '-'}#${c.kind ?? 'cell'}`;
const cellIdOf = (k: CellKey): string => `${k.region}|${k.model}|${k.endpoint}|${k.api}|${k.variant}`;

function cleanEvidence(ev: Evidence): Evidence {
  const s = (v: string | null): string | null => (v === null ? null : scrubSecrets(v));
  return {
    ...ev,
    message: s(ev.message),
    reason: s(ev.reason),
    errorType: s(ev.errorType),
    errorCode: s(ev.errorCode),
    ...(ev.tried ? { tried: ev.tried.map(scrubSecrets) } : {}),
  };
}

const modelAttrs = (m: ModelEntry): Item => ({
  key: m.key,
  provider: m.provider,
  ids: m.ids,
  sources: m.sources,
});

function changeAttrs(c: Change, runId: string, startedAt: string): Item {
  return {
    region: c.region,
    model: c.model,
    endpoint: c.endpoint,
    api: c.api,
    variant: c.variant,
    from: c.from,
    to: c.to,
    kind: c.kind ?? 'cell',
    at: c.at ?? startedAt,
    evidence: c.evidence ? cleanEvidence(c.evidence) : undefined,
    runId,
    runStartedAt: startedAt,
  };
}

function toCellResult(i: Item): CellResult {
  return {
    region: i.region,
    model: i.model,
    endpoint: i.endpoint,
    api: i.api,
    variant: i.variant,
    status: i.status,
    evidence: i.evidence,
  } as CellResult;
}

function toConfirmedCell(i: Item): ConfirmedCell {
  return {
    ...toCellResult(i),
    route: (i.route ?? null) as string | null,
    modelId: (i.modelId ?? null) as string | null,
    since: String(i.since),
    lastSeen: String(i.lastSeen),
    lastRunId: String(i.lastRunId),
  };
}

function toModel(i: Item): ModelEntry {
  return { key: i.key, provider: i.provider, ids: i.ids ?? {}, sources: i.sources ?? [] } as ModelEntry;
}

function toChange(i: Item): Change {
  return {
    region: i.region,
    model: i.model,
    endpoint: i.endpoint,
    api: i.api ?? null,
    variant: i.variant ?? null,
    from: i.from ?? null,
    to: i.to ?? null,
    kind: i.kind,
    at: i.at,
    ...(i.evidence ? { evidence: i.evidence } : {}),
  } as Change;
}

function toEndpoint(i: Item): EndpointPresence {
  return { endpoint: i.endpoint as Endpoint, present: i.present !== false, since: String(i.since) };
}

function toRun(i: Item): RunRecord {
  return {
    region: String(i.region),
    runId: String(i.runId),
    startedAt: String(i.startedAt),
    finishedAt: (i.finishedAt ?? null) as string | null,
    partial: i.partial === true,
    ...(i.source ? { source: i.source as 'aws' | 'simulator' } : {}),
    summary: (i.summary ?? null) as RunRecord['summary'],
    changeCount: Number(i.changeCount ?? 0),
    probesSent: Number(i.probesSent ?? 0),
    ...(typeof i.outcome === 'string' ? { outcome: i.outcome as RunRecord['outcome'] } : {}),
    ...(typeof i.failure === 'string' ? { failure: i.failure } : {}),
  };
}
