import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStore, type Item } from '../../../../lambda/adapters/store';
import { emptyEvidence } from '../../../../lambda/core/model';
import { TABLE_SCHEMA } from '../../../../lambda/shared/table-schema';
import {
  type DynamoDbLocal,
  LOCAL_CREDENTIALS,
  localClient,
  sharedDynamoDbLocal,
} from '../../../support/dynamodb-local';
import { storeContract } from './contract';
import { ACCOUNT, confirmed, REGION, result, SCOPE, T0, T1 } from './fixtures';

let local: DynamoDbLocal;
let client: DynamoDBClient;
let tableCounter = 0;

beforeAll(async () => {
  local = await sharedDynamoDbLocal();
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

async function scanAll(table: string): Promise<Item[]> {
  const items: Item[] = [];
  const doc = DynamoDBDocumentClient.from(client);
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

storeContract('DynamoDbStore (DynamoDB Local)', async (opts = {}) => {
  const { store, table } = await freshStore(opts);
  return { store, items: () => scanAll(table) };
});

describe('DynamoDbStore table creation (DynamoDB Local)', () => {
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

  it('lets two runs create the same new table at once: both succeed, the table ACTIVE with TTL on', async () => {
    // Prepare: three new tables, each created by two stores at the same moment
    const names = [1, 2, 3].map(() => `bedrock-matrix-race-${++tableCounter}`);
    const stores = names.flatMap((tableName) => [1, 2].map(() => new DynamoDbStore({ client, tableName })));

    // Act
    const outcomes = await Promise.allSettled(stores.map((s) => s.ensureTable()));

    // Assess
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String(o.reason))).toEqual([]);
    for (const TableName of names) {
      const described = await client.send(new DescribeTableCommand({ TableName }));
      expect(described.Table?.TableStatus).toBe('ACTIVE');
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName }));
      expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toMatch(/ENABL/);
    }
  });

  it('creates the key schema and billing of shared/table-schema.ts', async () => {
    // Prepare
    const { table } = await freshStore();

    // Act
    const described = await client.send(new DescribeTableCommand({ TableName: table }));

    // Assess
    expect(described.Table?.KeySchema).toEqual(
      TABLE_SCHEMA.keys.map((k) => ({ AttributeName: k.name, KeyType: k.keyType })),
    );
    expect(described.Table?.AttributeDefinitions).toEqual(
      TABLE_SCHEMA.keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    );
    expect(described.Table?.BillingModeSummary?.BillingMode).toBe(TABLE_SCHEMA.billing);
  });
});

describe('DynamoDbStore reading stored items (DynamoDB Local)', () => {
  const putRaw = (table: string, item: Item) =>
    DynamoDBDocumentClient.from(client).send(new PutCommand({ TableName: table, Item: { ...item } }));

  it('refuses a malformed item with one line naming its keys, the field and the value', async () => {
    // Prepare
    const { store, table } = await freshStore();
    const cell = confirmed('openai.a', 'supported', 'r1', T1);
    await store.saveConfirmed(SCOPE, { runId: 'r1', startedAt: T1, cells: [cell], models: [] });
    const sk = 'CELL#openai.a#mantle#chat#basic';
    const [stored] = (await scanAll(table)).filter((i) => i.sk === sk);
    await putRaw(table, { ...stored, status: 'maybe' });

    // Act
    const failure = await store.loadConfirmed(SCOPE).catch((e: Error) => e.message);

    // Assess
    expect(failure).toBe(`stored item STATE#${ACCOUNT}#${REGION} / ${sk}: status: unknown status "maybe"`);
  });

  it('still loads a change of a kind this version does not know, as its name', async () => {
    // Prepare
    const { store, table } = await freshStore();
    await store.saveChanges(SCOPE, 'r1', T1, [
      {
        region: REGION,
        model: 'openai.a',
        endpoint: 'runtime',
        api: null,
        variant: null,
        from: null,
        to: null,
        kind: 'model-added',
        at: T1,
        evidence: emptyEvidence(),
      },
    ]);
    const [change] = (await scanAll(table)).filter((i) => String(i.pk).startsWith('CHANGES#'));
    await putRaw(table, { ...change, kind: 'quota-changed' });

    // Act
    const [loaded] = await store.changesSince(SCOPE, T0);

    // Assess
    expect(String(loaded?.kind)).toBe('quota-changed');
    expect(loaded?.model).toBe('openai.a');
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
    await mockedStore(sleeps).saveResults(SCOPE, 'r1', T1, cells);

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
    const saving = mockedStore(sleeps, 3).saveResults(SCOPE, 'r1', T1, [result('openai.a', 'supported')]);

    // Assess
    await expect(saving).rejects.toThrow(
      /DynamoDB BatchWriteItem on table bedrock-matrix: 1 items still unprocessed after 3 attempts \(first: CELL#123456789012#us-east-1#openai.a#mantle#chat#basic/,
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
    const update = { runId: 'r1', startedAt: T1, cells, models: [] };

    // Act
    await store.saveConfirmed(SCOPE, update);
    docMock.reset();
    docMock.on(PutCommand).rejects(new Error('AccessDeniedException: not allowed'));
    const failing = store.saveConfirmed(SCOPE, update);

    // Assess
    await expect(failing).rejects.toThrow('AccessDeniedException: not allowed');
  });
});

describe('DynamoDbStore against a silent DynamoDB', () => {
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
    const failure = await dead.loadConfirmed(SCOPE).catch((e: Error) => e.message);
    const tookMs = Date.now() - started;
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));

    // Assess
    expect(failure).toBe(
      'DynamoDB Query on table results (STATE#123456789012#us-east-1) did not answer within 300 ms',
    );
    expect(tookMs).toBeLessThan(30_000);
  });
});
