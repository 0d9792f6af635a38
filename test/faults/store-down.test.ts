import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../lambda/core/report-file';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { loadScenario } from '../../simulator/scenario';
import { runCli } from '../cli/support';
import {
  type DynamoDbLocal,
  localClient,
  sharedDynamoDbLocal,
  startOwnDynamoDbLocal,
} from '../support/dynamodb-local';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';

// A store failure keeps what was probed: DynamoDB dies while `probe --store dynamodb --out F`
// probes, and the report file still holds every probed cell, the message names DynamoDB and the
// operation, and the exit code says the run failed. Bad filters stop before any store write.

let sim: TestSimulator;
const dir = mkdtempSync(join(tmpdir(), 'bmx-store-down-'));

beforeAll(async () => {
  // Every call takes 150 ms, so the run is still probing when DynamoDB goes away.
  const tiny = await loadScenario('tiny');
  sim = await withSimulator({ ...tiny, latency: { fixedMs: 150 } });
});
afterAll(async () => sim?.close());

const envFor = (dynamo: DynamoDbLocal): NodeJS.ProcessEnv =>
  simulatorEnv(sim, { [ENDPOINT_OVERRIDE_ENV.dynamodb]: dynamo.endpoint });

describe('probe --store dynamodb when DynamoDB dies mid-run', () => {
  // A DynamoDB Local of its own, since the test kills it; its start (slow on a busy machine) is
  // set-up, not part of what the test bounds.
  let dynamo: DynamoDbLocal;
  beforeAll(async () => {
    dynamo = await startOwnDynamoDbLocal();
  });
  afterAll(async () => dynamo?.stop());

  it('still writes the report, names DynamoDB and the operation, and exits 1', async () => {
    // Prepare
    const out = join(dir, 'run.json');
    const callsBefore = sim.world.calls.length;
    let finished = false;
    const killer = (async () => {
      // Wait for the first probe calls, then take DynamoDB away under the running probe (a run
      // that ends before them fails the assertions below instead of waiting here for ever).
      while (sim.world.calls.length < callsBefore + 5 && !finished) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await dynamo.stop();
    })();

    // Act
    const { code, stderr } = await runCli(
      [
        'probe',
        '--region',
        'us-east-1',
        '--store',
        'dynamodb',
        '--table',
        'dies',
        '--format',
        'json',
        '--out',
        out,
        // Room for a busy machine's DynamoDB Local to answer the table check before it dies.
        '--dependency-timeout',
        '10000',
        // Two models keep the slow (150 ms a call) run short; the store dies under it all the same.
        '--models',
        'openai.gpt-oss-20b,anthropic.claude-sonnet-4-6',
      ],
      envFor(dynamo),
    ).finally(() => {
      finished = true;
    });
    await killer;

    // Assess
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /run failed: us-east-1: DynamoDB (BatchWriteItem|PutItem) on table dies .* failed: .*ECONNREFUSED/,
    );
    expect(existsSync(out)).toBe(true);
    const report = parseReport(readFileSync(out, 'utf8'), out);
    expect(report.cells.filter((c) => c.status === 'supported').length).toBeGreaterThan(0);
    expect(report.problems?.some((p) => p.scope === 'store' && /DynamoDB/.test(p.message))).toBe(true);
  });
});

describe('probe with filters that match no model', () => {
  it.each([
    [['--models', 'nomatch.*'], /no model matches --models nomatch\.\* in us-east-1; models there: /],
    [['--exclude-models', '*'], /no model matches --exclude-models \* in us-east-1; models there: /],
  ])('%s exits 2 with one line and stores nothing', async (flags, message) => {
    // Prepare
    const dynamo = await sharedDynamoDbLocal();
    const probes = () => sim.world.calls.filter((c) => c.api !== null).length;
    const probesBefore = probes();

    // Act
    const { code, stderr, stdout } = await runCli(
      ['probe', '--region', 'us-east-1', '--store', 'dynamodb', '--table', 'filters', ...flags],
      envFor(dynamo),
    );
    const client = localClient(dynamo.endpoint);
    const tables = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
    const items = tables.includes('filters')
      ? ((await client.send(new ScanCommand({ TableName: 'filters', Select: 'COUNT' }))).Count ?? 0)
      : 0;
    client.destroy();
    await dynamo.stop();

    // Assess
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
    expect(items).toBe(0);
    expect(probes()).toBe(probesBefore);
  });
});
