import { type DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ScenarioModel } from '../../simulator/types';
import { localClient } from '../support/dynamodb-local';
import { faultHandler, lambdaContext, useFaultWorld } from './support';

// Nothing lost, round 2: a catalog listing one model whose ID cannot be a DynamoDB key, and a
// short throttling burst (writes refused, half of each batch left unprocessed), must each leave
// every item of every other model stored, the same items a clean run stores.

const world = useFaultWorld();
const { cloudWatch, sns } = world;

const SLOT = '2026-11-27T10:00:00Z';
const INCLUDE = ['openai.gpt-oss-20b', 'anthropic.claude-sonnet-4-6'];
const LONG_ID = `openai.${'x'.repeat(2_500)}`;

/** Every (pk, sk) of a table but the lease, sorted: what a run left behind. */
async function storedKeys(client: DynamoDBClient, table: string): Promise<string[]> {
  const keys: string[] = [];
  const doc = DynamoDBDocumentClient.from(client);
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const i of page.Items ?? []) if (!String(i.pk).startsWith('LEASE#')) keys.push(`${i.pk} | ${i.sk}`);
    start = page.LastEvaluatedKey;
  } while (start);
  return keys.sort();
}

/** One scheduled run of `include` on a fresh table; the items it stored and how it ended. */
async function runOnce(
  client: DynamoDBClient,
  include: readonly string[],
  retry?: Parameters<typeof faultHandler>[0]['storeRetry'],
) {
  const table = await world.table('hostile');
  const { handler } = await faultHandler({
    sim: world.sim,
    dynamo: client,
    table,
    cloudWatch,
    sns,
    include,
    ...(retry ? { storeRetry: retry } : {}),
  });
  const outcome = await handler({ scheduledTime: SLOT }, lambdaContext()).then(
    () => 'completed',
    (err: Error) => err.message,
  );
  return { outcome, keys: await storedKeys(localClient(world.dynamo.endpoint), table) };
}

/**
 * A DynamoDB client in a throttling burst of `burstMs` on the store's own (fake) clock: every other
 * write is refused with ProvisionedThroughputExceededException, the others store only half of
 * their batch and hand the rest back as UnprocessedItems.
 */
function throttledDynamo(burstMs: number) {
  const client = localClient(world.dynamo.endpoint);
  let now = 0;
  let writes = 0;
  let refused = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const write =
        context.commandName === 'BatchWriteItemCommand' || context.commandName === 'PutItemCommand';
      const input = args.input as { RequestItems?: Record<string, unknown[]>; Item?: { pk?: unknown } };
      if (!write || now >= burstMs || String(input.Item?.pk ?? '').startsWith('LEASE#')) return next(args);
      writes += 1;
      if (writes % 2 === 1) {
        refused += 1;
        throw new ProvisionedThroughputExceededException({
          message: 'The level of configured provisioned throughput for the table was exceeded.',
          $metadata: { httpStatusCode: 400 },
        });
      }
      if (!input.RequestItems) return next(args);
      const [table, requests] = Object.entries(input.RequestItems)[0]!;
      const kept = requests.slice(0, Math.ceil(requests.length / 2));
      const left = requests.slice(kept.length);
      const out = await next({ ...args, input: { ...input, RequestItems: { [table]: kept } } });
      const output = out.output as { UnprocessedItems?: Record<string, unknown[]> };
      if (left.length > 0) output.UnprocessedItems = { [table]: left };
      return out;
    },
    { step: 'initialize', name: 'throttlingBurst' },
  );
  return {
    client,
    retry: {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    },
    get refused(): number {
      return refused;
    },
  };
}

describe('a short throttling burst', () => {
  it('stores every item a clean run stores', async () => {
    // Prepare
    const clean = await runOnce(localClient(world.dynamo.endpoint), INCLUDE);
    const burst = throttledDynamo(3_000);

    // Act
    const throttled = await runOnce(burst.client, INCLUDE, burst.retry);

    // Assess
    console.info(`throttling burst: ${throttled.keys.length} of ${clean.keys.length} items stored`);
    expect(throttled.outcome).toBe('completed');
    expect(throttled.keys).toEqual(clean.keys);
    expect(burst.refused).toBeGreaterThan(3);
  });
});

describe('a catalog with one model whose ID cannot be a key', () => {
  it('stores every other model, and the long one under a hashed key', async () => {
    // Prepare: the scenario's gpt-oss-20b once more on mantle, under a 2.5 KB ID
    const gptOss = world.tiny.models.find((m) => m.key === 'openai.gpt-oss-20b')!;
    const { runtime: _, ...mantleOnly } = gptOss;
    const long: ScenarioModel = { ...mantleOnly, key: LONG_ID, mantle: { ...gptOss.mantle!, id: LONG_ID } };
    const clean = await runOnce(localClient(world.dynamo.endpoint), INCLUDE);
    world.sim.setScenario({ ...world.tiny, models: [...world.tiny.models, long] });

    // Act
    const hostile = await runOnce(localClient(world.dynamo.endpoint), [...INCLUDE, 'openai.xxx*']);

    // Assess
    const others = hostile.keys.filter((k) => !k.includes('~sha256:'));
    const hashed = hostile.keys.filter((k) => k.includes('~sha256:'));
    console.info(
      `one over-long ID: ${others.length} of ${clean.keys.length} items of the other models stored, plus ${hashed.length} of the long one`,
    );
    expect(hostile.outcome).toBe('completed');
    // The run's record and the catalog's summary mention the extra model; every cell item is the clean run's.
    expect(others.filter((k) => k.includes('CELL#'))).toEqual(clean.keys.filter((k) => k.includes('CELL#')));
    expect(hashed.length).toBeGreaterThan(0);
    expect(hostile.keys.some((k) => k.includes('xxxxxxxxxx'))).toBe(false);
  });
});
