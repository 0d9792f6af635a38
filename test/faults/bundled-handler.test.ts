import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_OVERRIDE_ENV, ENV } from '../../lambda/shared/names';
import { loadScenario } from '../../simulator/scenario';
import type { Scenario } from '../../simulator/types';
import { type AwsStandIn, startAwsStandIn } from '../support/aws-stand-in';
import { bundleProber, invokeBundled } from '../support/bundled-handler';
import { withoutMantleChat } from '../support/drift';
import { type DynamoDbLocal, LOCAL_CREDENTIALS, sharedDynamoDbLocal } from '../support/dynamodb-local';
import { freshTable } from '../support/local-world';
import { type SilentHost, startSilentHost } from '../support/silent-host';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';

// The deployed artefacts under faults: the region's prober (lambda/index.ts) and the home's
// function (lambda/home/index.ts) bundled as the stacks bundle them, each invoked in a process of
// its own with its stack's environment. CloudWatch, SNS and EventBridge are loopback stand-ins
// reached through the SDK's AWS_ENDPOINT_URL_<SERVICE>; DynamoDB (home's table) is DynamoDB Local.

let bundle: string;
let homeBundle: string;
let dynamo: DynamoDbLocal;
let sim: TestSimulator;
let aws: AwsStandIn;
let silent: SilentHost;
let tiny: Scenario;
let tableNo = 0;

beforeAll(async () => {
  [bundle, homeBundle, dynamo, sim, aws, silent, tiny] = await Promise.all([
    bundleProber(),
    bundleProber('home/index.ts'),
    sharedDynamoDbLocal(),
    withSimulator('tiny'),
    startAwsStandIn(),
    startSilentHost(),
    loadScenario('tiny'),
  ]);
});
afterAll(async () => {
  await Promise.all([sim?.close(), aws?.close(), silent?.close()]);
  await dynamo?.stop();
});

const ACCOUNT = '123456789012';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:bedrock-matrix-alerts';

/** The home function's environment on the prober environment's table. */
const homeEnvironment = (prober: Record<string, string>): Record<string, string> => {
  const { [ENV.guardrailId]: _, [ENV.guardrailVersion]: __, [ENV.includeModels]: ___, ...common } = prober;
  return {
    ...common,
    [ENV.topicArn]: TOPIC,
    [ENV.regions]: 'us-east-1',
    [ENV.staleAfterMinutes]: '180',
    [ENV.dependencyTimeoutMs]: '2000',
  };
};

/** The stream record of a finished run, as the home's event source mapping delivers it. */
const finished = (runId: string, outcome = 'completed') => ({
  Records: [
    {
      eventName: 'MODIFY',
      dynamodb: {
        Keys: { pk: { S: `RUNS#${ACCOUNT}#us-east-1` } },
        NewImage: {
          account: { S: ACCOUNT },
          region: { S: 'us-east-1' },
          runId: { S: runId },
          outcome: { S: outcome },
        },
      },
    },
  ],
});

async function environment(over: Record<string, string> = {}): Promise<Record<string, string>> {
  const table = await freshTable(dynamo, `bundled-${++tableNo}`);
  return {
    AWS_REGION: 'us-east-1',
    // DynamoDB Local keeps tables per access key: the same key as the test's own client.
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_CLOUDWATCH: aws.url,
    AWS_ENDPOINT_URL_SNS: aws.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: aws.url,
    ...simulatorEnv(sim),
    [ENDPOINT_OVERRIDE_ENV.dynamodb]: dynamo.endpoint,
    [ENV.tableName]: table,
    [ENV.tableRegion]: 'us-east-1',
    [ENV.account]: ACCOUNT,
    [ENV.guardrailId]: 'gr-probe',
    [ENV.guardrailVersion]: '1',
    [ENV.includeModels]: 'openai.gpt-oss-20b,anthropic.claude-sonnet-4-6',
    ...over,
  };
}

const publishes = () => aws.calls.filter((c) => c.service === 'sns' && c.action === 'Publish');

describe('the bundled prober Lambda', () => {
  it('keeps two overlapping invocations apart: one runs, one queues its run; neither sends a metric or alert', async () => {
    // Prepare: answers slow enough to keep the first run busy however long the second takes to
    // start; the second starts once the first holds the lease (it reads the catalogs only then).
    sim.setScenario({ ...tiny, latency: { fixedMs: 5_000 } });
    const env = await environment();
    const callsBefore = sim.world.calls.length;
    const awsBefore = aws.calls.length;

    // Act
    const first = invokeBundled(bundle, env, { runId: 'overlap-a' });
    while (sim.world.calls.length === callsBefore) await new Promise((r) => setTimeout(r, 20));
    const second = await invokeBundled(bundle, env, { runId: 'overlap-b' });
    sim.setScenario(tiny);
    const done = await first;

    // Assess
    expect(done).toMatchObject({ ok: true, result: { runId: 'overlap-a' } });
    expect((done.result as { probesSent: number }).probesSent).toBeGreaterThan(0);
    expect(second).toMatchObject({
      ok: true,
      result: {
        runId: 'overlap-b',
        kind: 'sweep',
        probesSent: 0,
        skipped: 'queued: another run of this region holds the lease',
      },
    });
    // A region stack publishes nothing: metrics and alerts are the home's.
    expect(aws.calls.slice(awsBefore)).toEqual([]);
  });

  it("home sends the alert of a region's run once, after SNS refused its first delivery", async () => {
    // Prepare: a baseline, then the surface drifts and SNS refuses the first alert
    const env = await environment();
    const home = homeEnvironment(env);
    await invokeBundled(bundle, env, { scheduledTime: '2026-11-28T10:00:00Z' });
    sim.setScenario(withoutMantleChat(tiny));
    const drift = await invokeBundled(bundle, env, { scheduledTime: '2026-11-28T11:00:00Z' });
    sim.setScenario(tiny);
    const before = publishes().length;
    const eventsBefore = aws.calls.filter((c) => c.service === 'events').length;
    // The SNS client makes two attempts: refuse both.
    aws.failPublishes(2);

    // Act: the stream delivers the finished run; Lambda retries the failed batch; then a watch tick
    const run = finished('sched-2026-11-28T11:00:00Z');
    const failed = await invokeBundled(homeBundle, home, run);
    const retried = await invokeBundled(homeBundle, home, run);
    const tick = await invokeBundled(homeBundle, home, {});

    // Assess
    expect(drift).toMatchObject({ ok: true, result: { changes: 1 } });
    expect(failed.ok).toBe(false);
    expect(failed.result).toMatch(
      /alerts failed: 123456789012\/us-east-1: .*(InternalError|stand-in refused)/,
    );
    expect(retried).toMatchObject({ ok: true, result: { alerted: { '123456789012/us-east-1': 1 } } });
    // The tick drains nothing more; the slot of 2026-11-28 is days old, so the region counts stale.
    expect(tick).toMatchObject({
      ok: true,
      result: { alerted: { '123456789012/us-east-1': 0 }, stale: ['us-east-1'] },
    });
    const sent = publishes().slice(before);
    expect(sent.map((p) => p.accepted)).toEqual([false, false, true]);
    expect(String(sent[2]?.input.Subject)).toBe('bedrock-matrix: 1 change in us-east-1 (MEDIUM)');
    // The change also went to EventBridge, as often as the alert was attempted (at least once).
    const events = aws.calls.filter((c) => c.service === 'events').slice(eventsBefore);
    expect(events.length).toBeGreaterThanOrEqual(1);
    const entries = (events.at(-1)?.input.Entries ?? []) as { Source: string; DetailType: string }[];
    const entry = entries[0];
    expect(entry).toMatchObject({ Source: 'bedrock-matrix', DetailType: 'Bedrock Matrix Cell Changed' });
  });

  it('ends within its deadline naming DynamoDB when DynamoDB accepts connections and never answers', async () => {
    // Prepare
    const env = await environment({
      [ENDPOINT_OVERRIDE_ENV.dynamodb]: silent.url,
      [ENV.dependencyTimeoutMs]: '500',
    });

    // Act
    const run = await invokeBundled(bundle, env, { runId: 'silent-store' }, 60_000);

    // Assess
    expect(run.ok).toBe(false);
    expect(run.result).toMatch(
      /DynamoDB PutItem on table bundled-\d+ \(LEASE#123456789012#us-east-1\) did not answer within 500 ms/,
    );
    expect(run.ms).toBeLessThan(30_000);
  });
});
