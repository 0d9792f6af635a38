import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { type DynamoDbLocal, LOCAL_CREDENTIALS, localClient } from '../support/dynamodb-local';
import { freshTable, useLocalWorld } from '../support/local-world';
import { type SilentHost, startSilentHost } from '../support/silent-host';
import type { TestSimulator } from '../support/simulator';
import { faultHandler, lambdaContext, mockedOutputs } from './support';

// Nothing hangs: a dependency that accepts the connection and never answers ends the run within
// its deadline, with a line naming the dependency. Each dependency call is bounded at 500 ms here.

const { cloudWatch, sns } = mockedOutputs();
const CALL_MS = 500;

let dynamo: DynamoDbLocal;
let sim: TestSimulator;
let silent: SilentHost;
let tableNo = 0;

useLocalWorld((w) => ({ dynamo, sim } = w));
beforeAll(async () => {
  silent = await startSilentHost();
});
afterAll(async () => silent?.close());

/** The handler on a fresh table, every dependency call bounded at CALL_MS, `host` silent. */
async function silentHandler(host: 'control' | 'mantle') {
  return faultHandler({
    sim,
    dynamo: localClient(dynamo.endpoint),
    table: await freshTable(dynamo, `silent-${++tableNo}`),
    cloudWatch,
    sns,
    dependencyTimeoutMs: CALL_MS,
    env: { [ENDPOINT_OVERRIDE_ENV[host]]: silent.url },
  });
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T | Error; ms: number }> {
  const started = Date.now();
  const result = await run().catch((err: Error) => err);
  return { result, ms: Date.now() - started };
}

describe('the prober handler with a silent dependency', () => {
  it('finishes without the control plane, naming it, and probes what mantle still lists', async () => {
    // Prepare
    const { handler, logs } = await silentHandler('control');

    // Act
    const { result, ms } = await timed(() => handler({ runId: 'silent-control' }, lambdaContext(30_000)));

    // Assess
    if (result instanceof Error) throw result;
    expect(result).toMatchObject({ runId: 'silent-control', partial: false });
    expect(ms).toBeLessThan(30_000);
    const problems = logs.filter((l) => l.includes('run problem')).join('\n');
    expect(problems).toMatch(/ListFoundationModels did not answer within 500 ms/);
    expect(problems).toMatch(/ListInferenceProfiles did not answer within 500 ms/);
  });

  it('finishes without mantle, naming its catalog', async () => {
    // Prepare
    const { handler, logs } = await silentHandler('mantle');

    // Act
    const { result, ms } = await timed(() => handler({ runId: 'silent-mantle' }, lambdaContext(30_000)));

    // Assess
    if (result instanceof Error) throw result;
    expect(result).toMatchObject({ runId: 'silent-mantle' });
    expect(ms).toBeLessThan(30_000);
    expect(logs.join('\n')).toMatch(/mantle GET \/v1\/models did not answer within 500 ms/);
  });

  it('fails fast when DynamoDB is silent, naming DynamoDB, and publishes no heartbeat', async () => {
    // Prepare
    const { handler } = await faultHandler({
      sim,
      dynamo: new DynamoDBClient({
        region: 'us-east-1',
        endpoint: silent.url,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 1,
      }),
      table: 'results',
      cloudWatch,
      sns,
      dependencyTimeoutMs: CALL_MS,
      storeTimeoutMs: CALL_MS,
    });

    // Act
    const { result, ms } = await timed(() => handler({ runId: 'silent-dynamo' }, lambdaContext(30_000)));

    // Assess
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(
      /failed before probing: store: DynamoDB PutItem on table results \(LEASE#123456789012#us-east-1\) did not answer within 500 ms/,
    );
    expect(ms).toBeLessThan(10_000);
    // The home's watch sees no new run stored: the region turns stale there, not by a metric here.
    expect(cloudWatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });
});
