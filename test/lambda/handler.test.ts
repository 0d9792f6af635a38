import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { controlPlaneClient } from '../../lambda/adapters/aws-clients';
import { publishMetrics } from '../../lambda/adapters/cloudwatch-metrics';
import { createProbeClients } from '../../lambda/adapters/probes';
import { regionProbing } from '../../lambda/adapters/region-probing';
import { publishAlert } from '../../lambda/adapters/sns-alerts';
import { DynamoDbStore } from '../../lambda/adapters/store';
import type { Prober } from '../../lambda/engine/probe-port';
import { createHandler, type HandlerDeps } from '../../lambda/handler';
import { createHomeHandler } from '../../lambda/home/notifier';
import { createLogger } from '../../lambda/logger';
import { HOME_METRICS } from '../../lambda/shared/names';
import type { Scenario } from '../../simulator/types';
import { runStreamRecord } from '../faults/support';
import { drifted } from '../support/drift';
import { type DynamoDbLocal, localClient } from '../support/dynamodb-local';
import { useLocalWorld } from '../support/local-world';
import { ACCOUNT, mockedOutputs, proberConfig, TOPIC } from '../support/prober-harness';

const SCOPE = { account: ACCOUNT, region: 'us-east-1' };

import {
  SIM_BACKGROUND_POLL_MS,
  SIM_CREDENTIALS,
  simulatorEnv,
  type TestSimulator,
} from '../support/simulator';

// The prober Lambda's job end to end: the real store on DynamoDB Local, the real SDKs against the
// simulator; CloudWatch and SNS have no local stand-in, so they are mocked and the exact
// commands sent are asserted.

const { cloudWatch, sns } = mockedOutputs();

let dynamo: DynamoDbLocal;
let sim: TestSimulator;
let tiny: Scenario;
let ddb: DynamoDBClient;
let tableNo = 0;

useLocalWorld((w) => {
  ({ dynamo, sim, tiny } = w);
  ddb = localClient(dynamo.endpoint);
});

interface Harness {
  readonly handler: ReturnType<typeof createHandler>;
  /** The home's notifier on the same table, fed the stream record of the newest run. */
  readonly notify: () => Promise<unknown>;
  readonly table: string;
  readonly logs: string[];
}

async function harness(
  opts: { wrapProber?: (p: Prober) => Prober; store?: Partial<DynamoDbStore>; now?: () => Date } = {},
): Promise<Harness> {
  const table = `results-${++tableNo}`;
  const store = new DynamoDbStore({ client: ddb, tableName: table });
  await store.ensureTable();
  const env = simulatorEnv(sim);
  const clientOptions = { region: sim.region, env, credentials: SIM_CREDENTIALS };
  const clients = createProbeClients({ ...clientOptions, timeoutMs: 2_000 });
  const config = proberConfig(sim, table, ['openai.gpt-oss-20b', 'anthropic.claude-sonnet-4-6']);
  const probing = regionProbing(clients, controlPlaneClient(clientOptions), {
    timeoutMs: 2_000,
    backgroundPollMs: SIM_BACKGROUND_POLL_MS,
  });
  const logs: string[] = [];
  const deps: HandlerDeps = {
    config,
    store: Object.assign(store, opts.store ?? {}),
    ...probing,
    prober: opts.wrapProber ? opts.wrapProber(probing.prober) : probing.prober,
    log: createLogger((line) => logs.push(line)),
    reserveMs: 0,
    // The retries themselves are under test, not the production back-off's real waiting.
    probeLimits: { backoffBaseMs: 5, backoffMaxMs: 20, modelPacingMs: 0 },
    ...(opts.now ? { now: opts.now } : {}),
  };
  const scope = { account: config.account, region: config.region };
  const home = createHomeHandler({
    store,
    account: config.account,
    regions: [config.region],
    staleAfterMs: 3_600_000,
    publishAlert: (alert) => publishAlert(new SNSClient({ region: sim.region }), TOPIC, alert),
    publishEvents: async () => undefined,
    publishMetrics: (data) => publishMetrics(new CloudWatchClient({ region: sim.region }), data),
    log: createLogger((line) => logs.push(line)),
    dependencyTimeoutMs: 5_000,
  });
  const notify = async () => {
    const [newest] = await store.listRuns(scope, { limit: 1 });
    return newest ? home({ Records: [runStreamRecord(newest)] }) : undefined;
  };
  return { handler: createHandler(deps), notify, table, logs };
}

const context = (remainingMs = 120_000) => ({
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => remainingMs,
});

const metric = (name: string, dims: Record<string, string> = {}) => {
  const datums = cloudWatch
    .commandCalls(PutMetricDataCommand)
    .flatMap((c) => c.args[0].input.MetricData ?? []);
  return datums.find(
    (d) =>
      d.MetricName === name &&
      Object.entries(dims).every(([k, v]) => d.Dimensions?.some((x) => x.Name === k && x.Value === v)),
  )?.Value;
};

async function countItems(table: string): Promise<number> {
  const out = await ddb.send(new ScanCommand({ TableName: table, Select: 'COUNT' }));
  return out.Count ?? 0;
}

describe('the prober handler', () => {
  it('stores a baseline, then confirms exactly the drift, sending nothing itself; home alerts once', async () => {
    // Prepare
    const { handler, notify } = await harness();
    const first = await handler({ scheduledTime: '2026-11-25T10:00:00Z' }, context());
    sim.setScenario(drifted(tiny));

    // Act
    const second = await handler({ scheduledTime: '2026-11-25T11:00:00Z' }, context());
    const sentByProber =
      sns.commandCalls(PublishCommand).length + cloudWatch.commandCalls(PutMetricDataCommand).length;
    await notify();
    await notify(); // a second delivery of the same stream record

    // Assess
    expect(first).toMatchObject({ baseline: true, changes: 0, runId: 'sched-2026-11-25T10:00:00Z' });
    expect(second).toMatchObject({ baseline: false, changes: 2, partial: false });
    // A region publishes no metric and no alert: home does, once.
    expect(sentByProber).toBe(0);
    const publishes = sns.commandCalls(PublishCommand);
    expect(publishes).toHaveLength(1);
    const input = publishes[0]!.args[0].input;
    expect(input).toMatchObject({
      TopicArn: TOPIC,
      Subject: 'bedrock-matrix: 2 changes in us-east-1 (HIGH)',
      MessageStructure: 'json',
      MessageAttributes: {
        region: { DataType: 'String', StringValue: 'us-east-1' },
        severity: { DataType: 'String', StringValue: 'high' },
      },
    });
    const email = (JSON.parse(input.Message ?? '{}') as { email: string }).email;
    expect(email).toMatch(/openai\.gpt-oss-20b[\s\S]*mantle[\s\S]*chat[\s\S]*supported[\s\S]*unsupported/);
    expect(email).toMatch(/enforced[\s\S]*ignored/);
    expect(metric(HOME_METRICS.confirmedChanges)).toBe(2);
    expect(metric(HOME_METRICS.guardrailChanges)).toBe(1);
    const data = cloudWatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input;
    expect(data?.Namespace).toBe('BedrockMatrix');
    // No dimension: one series per deployment, the region is in the alert text.
    expect(data?.MetricData?.every((d) => d.Dimensions === undefined)).toBe(true);
  });

  it('believes no change when a flapping cell recovers on re-probe', async () => {
    // Prepare: the first answer of one cell in the second run says "no access"; re-probes do not
    let flapNext = false;
    const { handler } = await harness({
      wrapProber: (inner) => async (req, signal) => {
        const obs = await inner(req, signal);
        const target =
          req.endpoint === 'mantle' &&
          req.api === 'chat' &&
          req.variant === 'basic' &&
          req.modelId === 'openai.gpt-oss-20b';
        if (flapNext && target) {
          flapNext = false;
          return {
            ...obs,
            httpStatus: 403,
            errorName: 'permission_error',
            errorCode: null,
            message: 'Model access is not enabled',
          };
        }
        return obs;
      },
    });
    await handler({ runId: 'steady' }, context());
    flapNext = true;

    // Act
    const outcome = await handler({ runId: 'flap' }, context());

    // Assess
    expect(flapNext).toBe(false);
    expect(outcome.changes).toBe(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('writes nothing twice when a run id is replayed', async () => {
    // Prepare
    const { handler, table } = await harness();
    await handler({ scheduledTime: '2026-11-25T12:00:00Z' }, context());
    const before = await countItems(table);

    // Act
    const replay = await handler({ scheduledTime: '2026-11-25T12:00:00Z' }, context());

    // Assess
    expect(await countItems(table)).toBe(before);
    expect(replay.changes).toBe(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('leaves a partial summary and the finished cells when the time budget runs out midway', async () => {
    // Prepare: a host that takes 40 ms a call on the run's clock, whatever this machine's speed:
    // the 250 ms budget runs out after the first waves of probes. The real call keeps a timeout
    // of its own, since its slowness is only simulated on the clock.
    let clock = Date.parse('2026-11-25T13:00:00Z');
    const slow =
      (inner: Prober): Prober =>
      async (req, signal) => {
        const obs = await inner({ ...req, timeoutMs: 10_000 }, signal);
        clock += 40;
        return obs;
      };
    const { handler, table } = await harness({ wrapProber: slow, now: () => new Date(clock) });
    const store = new DynamoDbStore({ client: ddb, tableName: table });

    // Act
    const outcome = await handler({ runId: 'cut-short' }, context(250));

    // Assess
    expect(outcome.partial).toBe(true);
    const [run] = await store.listRuns(SCOPE);
    expect(run).toMatchObject({ runId: 'cut-short', partial: true });
    const saved = await store.loadRun(SCOPE, 'cut-short');
    const statuses = new Set(saved?.cells.map((c) => c.status));
    expect(statuses.has('supported')).toBe(true);
    expect(
      saved?.cells.some((c) => c.status === 'skipped' && /time budget/.test(c.evidence.reason ?? '')),
    ).toBe(true);
    expect(saved?.run.outcome).toBe('partial');
  });

  it('saves what it can and fails the invocation when the store fails', async () => {
    // Prepare
    const { handler, logs } = await harness({
      store: {
        saveChanges: async () => {
          throw new Error('ProvisionedThroughputExceededException: slow down');
        },
      },
    });

    // Act
    const invocation = handler({ runId: 'store-down' }, context());

    // Assess
    await expect(invocation).rejects.toThrow(
      /finished with failures: store: .*ProvisionedThroughputExceededException/,
    );
    expect(logs.some((l) => l.includes('"level":"ERROR"') && l.includes('store-down'))).toBe(true);
  });

  it('keeps every secret out of its log lines', async () => {
    // Prepare
    const { handler, logs } = await harness();

    // Act
    await handler({ runId: 'quiet' }, context());

    // Assess
    const text = logs.join('\n');
    expect(text).toContain('run finished');
    expect(text).not.toMatch(/bedrock-api-key-|Signature=|Credential=/);
    expect(text).not.toContain(SIM_CREDENTIALS.secretAccessKey);
  });
});
