import {
  ConditionalCheckFailedException,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStore } from '../../../lambda/adapters/dynamodb-store';
import {
  type CellKey,
  type CellResult,
  type Change,
  cellId,
  emptyEvidence,
  type ModelEntry,
  type Status,
} from '../../../lambda/core/model';
import type { ConfirmedCell, RunRecord } from '../../../lambda/core/ports';
import { DEFAULTS } from '../../../lambda/shared/names';
import {
  type DynamoDbLocal,
  LOCAL_CREDENTIALS,
  localClient,
  startDynamoDbLocal,
} from '../../support/dynamodb-local';
import { BEARER_PREFIX } from '../../support/planted-secrets';

const REGION = 'us-east-1';
const T0 = '2026-11-25T10:00:00.000Z';
const T1 = '2026-11-25T11:00:00.000Z';
const T2 = '2026-11-25T12:00:00.000Z';

let local: DynamoDbLocal;
let client: DynamoDBClient;
let tableCounter = 0;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  client = localClient(local.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await local?.stop();
});

/** A fresh table per test keeps counts independent without restarting DynamoDB Local. */
async function freshStore(
  opts: { historyTtlDays?: number } = {},
): Promise<{ store: DynamoDbStore; table: string }> {
  const table = `bedrock-matrix-test-${++tableCounter}`;
  const store = new DynamoDbStore({ client, tableName: table, ...opts });
  await store.ensureTable();
  return { store, table };
}

async function countItems(table: string): Promise<number> {
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table, Select: 'COUNT', ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return count;
}

const key = (model: string, variant: CellKey['variant'] = 'basic'): CellKey => ({
  region: REGION,
  model,
  endpoint: 'mantle',
  api: 'chat',
  variant,
});
const result = (model: string, status: Status, message: string | null = null): CellResult => ({
  ...key(model),
  status,
  evidence: emptyEvidence({
    httpStatus: status === 'supported' ? 200 : 400,
    message,
    route: '/v1',
    modelId: model,
  }),
});
const confirmed = (model: string, status: Status, runId: string, at: string): ConfirmedCell => ({
  ...key(model),
  status,
  route: '/v1',
  modelId: model,
  since: at,
  lastSeen: at,
  lastRunId: runId,
  evidence: emptyEvidence({ httpStatus: 200 }),
});
const run = (runId: string, startedAt: string, over: Partial<RunRecord> = {}): RunRecord => ({
  region: REGION,
  runId,
  startedAt,
  finishedAt: null,
  partial: true,
  source: 'simulator',
  summary: null,
  changeCount: 0,
  probesSent: 0,
  ...over,
});
const model = (k: string): ModelEntry => ({
  key: k,
  provider: 'openai',
  ids: { mantle: k },
  sources: ['mantle-models'],
});

describe('DynamoDbStore against DynamoDB Local', () => {
  it('creates the table with TTL on expiresAt, and ensureTable is safe to repeat', async () => {
    // Prepare
    const { store, table } = await freshStore();

    // Act
    await store.ensureTable();
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));

    // Assess
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toMatch(/ENABL/);
  });

  it('loads the confirmed matrix and model list of a region in one query', async () => {
    // Prepare
    const { store } = await freshStore();
    const cells = [
      confirmed('openai.a', 'supported', 'r1', T1),
      confirmed('openai.b', 'not-found', 'r1', T1),
    ];

    // Act
    const before = await store.loadConfirmed(REGION);
    await store.saveConfirmed(REGION, 'r1', T1, cells, [model('openai.a'), model('openai.b')]);
    const after = await store.loadConfirmed(REGION);

    // Assess
    expect(before.cells.size + before.models.size).toBe(0);
    expect(after.cells.get(cellId(key('openai.a')))).toEqual(cells[0]);
    expect(after.cells.get(cellId(key('openai.b')))?.status).toBe('not-found');
    expect([...after.models.keys()].sort()).toEqual(['openai.a', 'openai.b']);
    expect(after.models.get('openai.a')).toEqual(model('openai.a'));
  });

  it('drops a removed model from the confirmed list (tombstone) and keeps other regions apart', async () => {
    // Prepare
    const { store } = await freshStore();
    await store.saveConfirmed(REGION, 'r1', T1, [], [model('openai.a'), model('openai.b')]);
    await store.saveConfirmed('eu-west-1', 'r9', T1, [], [model('openai.z')]);

    // Act
    await store.saveConfirmed(REGION, 'r2', T2, [], [model('openai.a')], ['openai.b']);
    const state = await store.loadConfirmed(REGION);

    // Assess
    expect([...state.models.keys()]).toEqual(['openai.a']);
    expect([...(await store.loadConfirmed('eu-west-1')).models.keys()]).toEqual(['openai.z']);
  });

  it('writes more than 25 history items and reads one cell history newest first', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const cells = Array.from({ length: 60 }, (_, i) => result(`openai.m${i}`, 'supported'));

    // Act
    await store.saveResults(REGION, 'r1', T1, cells);
    await store.saveResults(REGION, 'r2', T2, [result('openai.m7', 'unsupported', 'does not support')]);
    const history = await store.cellHistory(key('openai.m7'));
    const limited = await store.cellHistory(key('openai.m7'), { limit: 1 });

    // Assess
    // 60 history items + 60 run copies, then 1 + 1.
    expect(await countItems(table)).toBe(122);
    expect(history.map((h) => [h.runId, h.at, h.status])).toEqual([
      ['r2', T2, 'unsupported'],
      ['r1', T1, 'supported'],
    ]);
    expect(history[0]?.evidence.message).toBe('does not support');
    expect(limited).toHaveLength(1);
  });

  it('sets the TTL attribute to the run start plus the configured days', async () => {
    // Prepare
    const { store, table } = await freshStore({ historyTtlDays: 7 });
    const startedAt = new Date().toISOString();
    const doc = DynamoDBDocumentClient.from(client);

    // Act
    await store.saveResults(REGION, 'r1', startedAt, [result('openai.a', 'supported')]);
    const item = await doc.send(
      new GetCommand({
        TableName: table,
        Key: { pk: `CELL#${REGION}#openai.a#mantle#chat#basic`, sk: `RUN#${startedAt}#r1` },
      }),
    );

    // Assess
    const expected = Math.floor(Date.parse(startedAt) / 1000) + 7 * 86_400;
    expect(item.Item?.expiresAt).toBe(expected);
    expect(Math.abs(Number(item.Item?.expiresAt) - (Date.now() / 1000 + 7 * 86_400))).toBeLessThan(60);
  });

  it('defaults the history TTL to DEFAULTS.historyTtlDays', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const doc = DynamoDBDocumentClient.from(client);

    // Act
    await store.saveResults(REGION, 'r1', T1, [result('openai.a', 'supported')]);
    const item = await doc.send(
      new GetCommand({
        TableName: table,
        Key: { pk: `CELL#${REGION}#openai.a#mantle#chat#basic`, sk: `RUN#${T1}#r1` },
      }),
    );

    // Assess
    expect(item.Item?.expiresAt).toBe(Date.parse(T1) / 1000 + DEFAULTS.historyTtlDays * 86_400);
  });

  it('lists runs newest first, a partial run staying partial with the cells it saved', async () => {
    // Prepare
    const { store } = await freshStore();
    await store.startRun(run('r1', T1));
    await store.saveResults(REGION, 'r1', T1, [
      result('openai.a', 'supported'),
      result('openai.b', 'not-found'),
    ]);
    await store.finishRun(run('r1', T1, { partial: false, finishedAt: T1, probesSent: 2 }));

    // Act
    // r2 is cut short: started, some cells saved, never finished.
    await store.startRun(run('r2', T2));
    await store.saveResults(REGION, 'r2', T2, [result('openai.a', 'supported')]);
    const runs = await store.listRuns(REGION);
    const cutShort = await store.loadRun(REGION, 'r2');

    // Assess
    expect(runs.map((r) => [r.runId, r.partial])).toEqual([
      ['r2', true],
      ['r1', false],
    ]);
    expect(runs[1]).toMatchObject({ finishedAt: T1, probesSent: 2, source: 'simulator' });
    expect(cutShort?.run.partial).toBe(true);
    expect(cutShort?.cells.map((c) => c.model)).toEqual(['openai.a']);
    expect(await store.listRuns(REGION, { limit: 1 })).toHaveLength(1);
  });

  it('returns changes since a time, and the whole of one run for diff', async () => {
    // Prepare
    const { store } = await freshStore();
    const change = (m: string, at: string): Change => ({
      region: REGION,
      model: m,
      endpoint: 'mantle',
      api: 'chat',
      variant: 'basic',
      from: 'supported',
      to: 'unsupported',
      kind: 'cell',
      at,
      evidence: emptyEvidence({ httpStatus: 400 }),
    });
    const added: Change = {
      region: REGION,
      model: 'openai.new',
      endpoint: 'mantle',
      api: null,
      variant: null,
      from: null,
      to: null,
      kind: 'model-added',
      at: T2,
    };
    await store.startRun(run('r1', T1));
    await store.saveChanges(REGION, 'r1', T1, [change('openai.a', T1)]);
    await store.startRun(run('r2', T2));
    await store.saveResults(REGION, 'r2', T2, [result('openai.b', 'unsupported')], [model('openai.b')]);
    await store.saveChanges(REGION, 'r2', T2, [change('openai.b', T2), added]);

    // Act
    const sinceT2 = await store.changesSince(REGION, T2);
    const sinceT0 = await store.changesSince(REGION, T0);
    const r2 = await store.loadRun(REGION, 'r2');
    const unknown = await store.loadRun(REGION, 'nope');

    // Assess
    expect(sinceT2.map((c) => [c.model, c.kind])).toEqual([
      ['openai.b', 'cell'],
      ['openai.new', 'model-added'],
    ]);
    expect(sinceT0.map((c) => c.model)).toEqual(['openai.a', 'openai.b', 'openai.new']);
    expect(sinceT2[1]).toEqual(added);
    expect(r2?.cells.map((c) => [c.model, c.status])).toEqual([['openai.b', 'unsupported']]);
    expect(r2?.models).toEqual([model('openai.b')]);
    expect(r2?.changes).toHaveLength(2);
    expect(unknown).toBeNull();
  });

  it('writes nothing twice when the same run is replayed', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const cells = Array.from({ length: 30 }, (_, i) => result(`openai.m${i}`, 'supported'));
    const change: Change = {
      ...key('openai.m1'),
      from: 'unsupported',
      to: 'supported',
      kind: 'cell',
      at: T1,
    };
    const replay = async () => {
      await store.startRun(run('r1', T1));
      await store.saveResults(REGION, 'r1', T1, cells, [model('openai.m1')]);
      await store.saveConfirmed(
        REGION,
        'r1',
        T1,
        cells.map((c) => confirmed(c.model, c.status, 'r1', T1)),
        [model('openai.m1')],
      );
      await store.saveChanges(REGION, 'r1', T1, [change]);
      await store.finishRun(run('r1', T1, { partial: false, finishedAt: T1, changeCount: 1 }));
    };
    await replay();
    const before = await countItems(table);

    // Act
    await replay();
    const after = await countItems(table);

    // Assess
    // 30 history + 30 run copies + 30 confirmed + 1 model (state) + 1 model (run) + 2 changes
    // + 1 outbox item + 2 run records.
    expect(before).toBe(97);
    expect(after).toBe(before);
    expect(await store.changesSince(REGION, T0)).toHaveLength(1);
    expect(await store.listRuns(REGION)).toHaveLength(1);
  });

  it('never lets an older run overwrite a newer confirmed state', async () => {
    // Prepare
    const { store } = await freshStore();
    await store.saveConfirmed(
      REGION,
      'r2',
      T2,
      [confirmed('openai.a', 'unsupported', 'r2', T2)],
      [model('openai.a')],
    );

    // Act
    // r1 started earlier but finishes (or is replayed) later; its state must not win.
    await store.saveConfirmed(
      REGION,
      'r1',
      T1,
      [confirmed('openai.a', 'supported', 'r1', T1), confirmed('openai.b', 'supported', 'r1', T1)],
      [],
      ['openai.a'],
    );
    const state = await store.loadConfirmed(REGION);

    // Assess
    expect(state.cells.get(cellId(key('openai.a')))).toMatchObject({
      status: 'unsupported',
      lastRunId: 'r2',
    });
    // A cell the newer run never wrote is still accepted from the older run.
    expect(state.cells.get(cellId(key('openai.b')))?.status).toBe('supported');
    expect([...state.models.keys()]).toEqual(['openai.a']);
  });

  it('never stores a secret that slipped into evidence', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const secret = `${BEARER_PREFIX}YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbg`;
    const leaky = result('openai.a', 'no-access', `denied for Authorization: Bearer ${secret}`);

    // Act
    await store.saveResults(REGION, 'r1', T1, [leaky]);
    await store.saveConfirmed(
      REGION,
      'r1',
      T1,
      [{ ...confirmed('openai.a', 'no-access', 'r1', T1), evidence: leaky.evidence }],
      [],
    );
    const scan = await client.send(new ScanCommand({ TableName: table }));

    // Assess
    expect(scan.Items).toHaveLength(3);
    expect(JSON.stringify(scan.Items)).not.toContain('bedrock-api-key-');
    expect(JSON.stringify(scan.Items)).toContain('[redacted]');
  });

  it('rejects a key part containing # with the bad value named', async () => {
    // Prepare
    const { store } = await freshStore();

    // Act / Assess
    await expect(store.saveResults(REGION, 'r1', T1, [result('bad#model', 'supported')])).rejects.toThrow(
      `model key cannot be stored (empty or contains '#'): "bad#model"`,
    );
  });
});

describe('DynamoDbStore batch retries (mocked document client)', () => {
  // Class-level mock of the document client; installed only for this block (tests in a file run in order).
  let docMock: AwsClientStub<DynamoDBDocumentClient>;
  beforeAll(() => {
    docMock = mockClient(DynamoDBDocumentClient);
  });
  afterAll(() => {
    docMock.restore();
  });
  const mockedStore = (sleeps: number[], maxBatchAttempts?: number) =>
    new DynamoDbStore({
      client: new DynamoDBClient({ region: REGION, credentials: LOCAL_CREDENTIALS }),
      tableName: 'bedrock-matrix',
      sleep: async (ms) => void sleeps.push(ms),
      ...(maxBatchAttempts ? { maxBatchAttempts } : {}),
    });

  it('sends chunks of 25 and retries unprocessed items with growing backoff until done', async () => {
    // Prepare
    docMock.reset();
    let calls = 0;
    docMock.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => {
      calls++;
      const requests = input.RequestItems?.['bedrock-matrix'] ?? [];
      // The first two answers leave the last two requests unprocessed (throttled partition).
      return calls <= 2
        ? { UnprocessedItems: { 'bedrock-matrix': requests.slice(-2) } }
        : { UnprocessedItems: {} };
    });
    const sleeps: number[] = [];
    const cells = Array.from({ length: 30 }, (_, i) => result(`openai.m${i}`, 'supported'));

    // Act
    await mockedStore(sleeps).saveResults(REGION, 'r1', T1, cells);

    // Assess
    const sizes = docMock
      .commandCalls(BatchWriteCommand)
      .map((c) => c.args[0].input.RequestItems?.['bedrock-matrix']?.length);
    // 60 items (history + run copy): 25, retry 2, retry 2, then 25, then 10.
    expect(sizes).toEqual([25, 2, 2, 25, 10]);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]!).toBeGreaterThanOrEqual(50);
  });

  it('throws with context when items stay unprocessed after the bounded attempts', async () => {
    // Prepare
    docMock.reset();
    docMock.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => ({
      UnprocessedItems: { 'bedrock-matrix': (input.RequestItems?.['bedrock-matrix'] ?? []).slice(0, 1) },
    }));
    const sleeps: number[] = [];

    // Act
    const saving = mockedStore(sleeps, 3).saveResults(REGION, 'r1', T1, [result('openai.a', 'supported')]);

    // Assess
    await expect(saving).rejects.toThrow(
      /DynamoDB BatchWriteItem on table bedrock-matrix: 1 items still unprocessed after 3 attempts \(first: CELL#us-east-1#openai.a#mantle#chat#basic/,
    );
    expect(docMock.commandCalls(BatchWriteCommand)).toHaveLength(3);
  });

  it('treats a failed condition on the confirmed state as expected, and other errors as errors', async () => {
    // Prepare
    docMock.reset();
    docMock
      .on(PutCommand)
      .rejectsOnce(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      )
      .resolves({});
    const store = mockedStore([]);
    const cells = [
      confirmed('openai.a', 'supported', 'r1', T1),
      confirmed('openai.b', 'supported', 'r1', T1),
    ];

    // Act
    await store.saveConfirmed(REGION, 'r1', T1, cells, []);
    docMock.reset();
    docMock.on(PutCommand).rejects(new Error('AccessDeniedException: not allowed'));
    const failing = store.saveConfirmed(REGION, 'r1', T1, cells, []);

    // Assess
    await expect(failing).rejects.toThrow('AccessDeniedException: not allowed');
  });
});

describe('DynamoDbStore outbox, lease and run records (DynamoDB Local)', () => {
  const change = (model: string): Change => ({
    region: REGION,
    model,
    endpoint: 'mantle',
    api: 'chat',
    variant: 'basic',
    from: 'unsupported',
    to: 'supported',
    kind: 'cell',
    at: T1,
  });

  it('keeps each stored change in the outbox once, until the alert channel took it', async () => {
    // Prepare
    const { store } = await freshStore();
    await store.saveChanges(REGION, 'r1', T1, [change('openai.a'), change('openai.b')]);
    await store.saveChanges(REGION, 'r1', T1, [change('openai.a'), change('openai.b')]); // a retry

    // Act
    const pending = await store.pendingAlerts(REGION);
    await store.markAlerted(REGION, [pending[0]?.id ?? '']);
    const left = await store.pendingAlerts(REGION);

    // Assess
    expect(pending.map((p) => p.change.model)).toEqual(['openai.a', 'openai.b']);
    expect(pending.every((p) => p.runId === 'r1')).toBe(true);
    expect(left.map((p) => p.change.model)).toEqual(['openai.b']);
    expect(await store.changesSince(REGION, T0)).toHaveLength(2);
  });

  it('writes no outbox item when asked not to (the CLI prints its changes)', async () => {
    // Prepare
    const { store } = await freshStore();

    // Act
    await store.saveChanges(REGION, 'r1', T1, [change('openai.a')], { outbox: false });

    // Assess
    expect(await store.pendingAlerts(REGION)).toEqual([]);
    expect(await store.changesSince(REGION, T0)).toHaveLength(1);
  });

  it('lets one owner hold the lease until it expires or is released', async () => {
    // Prepare
    const { store } = await freshStore();
    const now = Date.parse(T1);

    // Act
    const first = await store.acquireLease(REGION, 'run-a', now, now + 60_000);
    const other = await store.acquireLease(REGION, 'run-b', now + 1_000, now + 61_000);
    const again = await store.acquireLease(REGION, 'run-a', now + 2_000, now + 62_000);
    const afterExpiry = await store.acquireLease(REGION, 'run-b', now + 70_000, now + 130_000);
    await store.releaseLease(REGION, 'run-a'); // no longer the holder: leaves run-b's lease alone
    const stillHeld = await store.acquireLease(REGION, 'run-c', now + 71_000, now + 131_000);
    await store.releaseLease(REGION, 'run-b');
    const released = await store.acquireLease(REGION, 'run-c', now + 72_000, now + 132_000);

    // Assess
    expect([first, other, again, afterExpiry, stillHeld, released]).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
    ]);
  });

  it('reads one run record back with how it ended', async () => {
    // Prepare
    const { store } = await freshStore();
    await store.startRun(run('r1', T1));
    await store.finishRun(
      run('r1', T1, { finishedAt: T2, partial: true, outcome: 'failed', failure: 'DynamoDB Query failed' }),
    );

    // Act
    const got = await store.getRun(REGION, 'r1');
    const unknown = await store.getRun(REGION, 'r9');

    // Assess
    expect(got).toMatchObject({
      runId: 'r1',
      finishedAt: T2,
      outcome: 'failed',
      failure: 'DynamoDB Query failed',
    });
    expect(unknown).toBeNull();
  });

  it('names DynamoDB, the operation and the table when a call fails, and bounds a silent one', async () => {
    // Prepare: a port that accepts connections and never answers
    const net = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    const dead = new DynamoDbStore({
      client: new DynamoDBClient({
        region: REGION,
        endpoint: `http://127.0.0.1:${port}`,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 1,
      }),
      tableName: 'results',
      callTimeoutMs: 300,
    });
    const started = Date.now();

    // Act
    const failure = await dead.loadConfirmed(REGION).catch((e: Error) => e.message);
    const tookMs = Date.now() - started;
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));

    // Assess
    expect(failure).toBe('DynamoDB Query on table results (STATE#us-east-1) did not answer within 300 ms');
    expect(tookMs).toBeLessThan(5_000);
  });
});
