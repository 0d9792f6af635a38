/**
 * The fault suite's harness: the prober handler with its real parts (the store on DynamoDB Local,
 * the real SDKs against the simulator) and CloudWatch/SNS mocked, plus a DynamoDB client whose
 * calls can be made to fail or go silent at a chosen point.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { controlPlaneClient } from '../../lambda/adapters/aws-clients';
import { publishMetrics } from '../../lambda/adapters/cloudwatch-metrics';
import { createProbeClients } from '../../lambda/adapters/probes';
import { regionProbing } from '../../lambda/adapters/region-probing';
import { publishAlert } from '../../lambda/adapters/sns-alerts';
import { DynamoDbStore, type DynamoDbStoreOptions } from '../../lambda/adapters/store';
import type { RunRecord, RunStore, Store, StoreReader } from '../../lambda/core/ports';
import type { Prober } from '../../lambda/engine/probe-port';
import { createHandler } from '../../lambda/handler';
import { createHomeHandler, type StreamRecord } from '../../lambda/home/notifier';
import { createLogger } from '../../lambda/logger';
import type { Scenario } from '../../simulator/types';
import { type DynamoDbLocal, LOCAL_CREDENTIALS, localClient } from '../support/dynamodb-local';
import { copyTable, freshTable, useLocalWorld } from '../support/local-world';
import { mockedOutputs, proberConfig, TOPIC } from '../support/prober-harness';
import {
  SIM_BACKGROUND_POLL_MS,
  SIM_CREDENTIALS,
  simulatorEnv,
  type TestSimulator,
} from '../support/simulator';

export { mockedOutputs, proberConfig, TOPIC } from '../support/prober-harness';

/** What every fault suite works in; the hooks start it, so read it inside tests and hooks only. */
export interface FaultWorld {
  readonly cloudWatch: AwsClientStub<CloudWatchClient>;
  readonly sns: AwsClientStub<SNSClient>;
  readonly dynamo: DynamoDbLocal;
  readonly sim: TestSimulator;
  /** The `tiny` scenario the simulator is reset to before each test. */
  readonly tiny: Scenario;
  /** A new results table on DynamoDB Local, `<prefix>-<n>`. */
  table(prefix: string): Promise<string>;
  /** The handler on a new table `<prefix>-<n>` whose DynamoDB client can be armed to fail. */
  faultyHandler(prefix: string): Promise<FaultyHandler>;
  /** Copies every item of one table into another (a stored baseline shared by several tests). */
  copyTable(from: string, to: string): Promise<void>;
  /** The prober and home as deployed (`faultHandler`) on `table` of the shared DynamoDB Local, with this world's mocks. */
  handlerOn(
    table: string,
    opts?: Omit<FaultHarnessOptions, 'sim' | 'dynamo' | 'table' | 'cloudWatch' | 'sns'>,
  ): ReturnType<typeof faultHandler>;
}

export type FaultyHandler = {
  readonly faulty: ReturnType<typeof faultyDynamo>;
  readonly table: string;
} & Awaited<ReturnType<typeof faultHandler>>;

/**
 * The fault suites' shared prologue: CloudWatch and SNS mocked, the shared DynamoDB Local and a
 * simulator on `tiny` (reset before each test). Call once at the top of a test file.
 */
export function useFaultWorld(): FaultWorld {
  const { cloudWatch, sns } = mockedOutputs();
  let local: { dynamo: DynamoDbLocal; sim: TestSimulator; tiny: Scenario } | undefined;
  useLocalWorld((w) => {
    local = w;
  });
  const started = () => {
    if (!local) throw new Error('the fault world is used before beforeAll started it');
    return local;
  };
  let tables = 0;
  return {
    cloudWatch,
    sns,
    get dynamo() {
      return started().dynamo;
    },
    get sim() {
      return started().sim;
    },
    get tiny() {
      return started().tiny;
    },
    table: (prefix) => freshTable(started().dynamo, `${prefix}-${++tables}`),
    async faultyHandler(prefix) {
      const faulty = faultyDynamo(started().dynamo.endpoint);
      const table = await this.table(prefix);
      const built = await faultHandler({ sim: started().sim, dynamo: faulty.client, table, cloudWatch, sns });
      return { faulty, table, ...built };
    },
    copyTable: (from, to) => copyTable(started().dynamo, from, to),
    handlerOn: (table, opts = {}) =>
      faultHandler({
        sim: started().sim,
        dynamo: localClient(started().dynamo.endpoint),
        table,
        cloudWatch,
        sns,
        ...opts,
      }),
  };
}

/** Which DynamoDB call to fail: matched on the low-level command name and the first item's key. */
export interface DynamoFault {
  /** The low-level command name the document client sends. */
  readonly command: 'BatchWriteItemCommand' | 'PutItemCommand' | 'QueryCommand' | 'DeleteItemCommand';
  /** The first key (`pk`) of the request starts with this. */
  readonly pk: string;
  /** Delete requests only (the outbox being emptied), for BatchWriteItem. */
  readonly deletes?: boolean;
  /** Fail the n-th matching call (1 = the first). @default 1 */
  readonly nth?: number;
}

/** A DynamoDB client that throws "connection refused" once, at the armed point. */
export function faultyDynamo(endpoint: string) {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  let armed: DynamoFault | null = null;
  let seen = 0;
  let fired = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fault = armed;
      if (fault && context.commandName === fault.command && firstPk(args.input).startsWith(fault.pk)) {
        const deletes = hasDeletes(args.input);
        if (fault.deletes === undefined || fault.deletes === deletes) {
          seen += 1;
          if (seen === (fault.nth ?? 1)) {
            armed = null;
            fired += 1;
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
          }
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'faultInjection' },
  );
  return {
    client,
    arm(fault: DynamoFault): void {
      armed = fault;
      seen = 0;
    },
    get fired(): number {
      return fired;
    },
  };
}

// The middleware sits at `initialize`, where the document client's input is still plain values.
type Attrs = Record<string, unknown>;
interface DocInput {
  RequestItems?: Record<string, { PutRequest?: { Item: Attrs }; DeleteRequest?: { Key: Attrs } }[]>;
  Item?: Attrs;
  Key?: Attrs;
  ExpressionAttributeValues?: Attrs;
}

function firstPk(input: unknown): string {
  const i = input as DocInput;
  const request = Object.values(i.RequestItems ?? {})[0]?.[0];
  const item = request?.PutRequest?.Item ?? request?.DeleteRequest?.Key ?? i.Item ?? i.Key;
  return String(item?.pk ?? i.ExpressionAttributeValues?.[':pk'] ?? '');
}

function hasDeletes(input: unknown): boolean {
  const i = input as DocInput;
  return Object.values(i.RequestItems ?? {}).some((reqs) => reqs.some((r) => r.DeleteRequest));
}

export interface FaultHarnessOptions {
  readonly sim: TestSimulator;
  readonly dynamo: DynamoDBClient;
  readonly table: string;
  readonly cloudWatch: AwsClientStub<CloudWatchClient>;
  readonly sns: AwsClientStub<SNSClient>;
  readonly include?: readonly string[];
  /** Control plane, CloudWatch and SNS calls. */
  readonly dependencyTimeoutMs?: number;
  /** DynamoDB calls. @default the store's default */
  readonly storeTimeoutMs?: number;
  readonly env?: Record<string, string>;
  /** Another store in place of DynamoDB Local (its contract suite proves the two alike). @default DynamoDbStore on `dynamo` */
  readonly store?: RunStore & StoreReader & Pick<Store, 'pendingAlerts' | 'markAlerted'>;
  /** The store's retry clock and sleep (a throttled store without real waits). @default real ones */
  readonly storeRetry?: Pick<DynamoDbStoreOptions, 'sleep' | 'now'>;
  /** The prober's and the home's clock (a simulated one). @default the real clock */
  readonly now?: () => Date;
  /** Wraps the prober (e.g. to spend simulated time per call). @default none */
  readonly wrapProber?: (prober: Prober) => Prober;
}

/**
 * The prober wired like lambda/index.ts against the simulator and the given DynamoDB client, and
 * the home's notifier wired like lambda/home/index.ts on the same table. `handler` runs them as
 * deployed: the prober's run, then the home's turn on the stream record of the run it finished
 * (built from the stored run item, in the stream's NEW_IMAGE shape), then the prober's error, if
 * any, is thrown. `prober` and `home` are there for tests that drive them apart.
 */
export async function faultHandler(o: FaultHarnessOptions) {
  const store =
    o.store ??
    new DynamoDbStore({
      client: o.dynamo,
      tableName: o.table,
      ...(o.storeTimeoutMs ? { callTimeoutMs: o.storeTimeoutMs } : {}),
      ...o.storeRetry,
    });
  const env = simulatorEnv(o.sim, o.env);
  const clientOptions = {
    region: o.sim.region,
    env,
    credentials: SIM_CREDENTIALS,
    ...(o.dependencyTimeoutMs ? { timeoutMs: o.dependencyTimeoutMs } : {}),
  };
  const clients = createProbeClients({ ...clientOptions, timeoutMs: 2_000 });
  const logs: string[] = [];
  const config = proberConfig(
    o.sim,
    o.table,
    o.include ?? ['openai.gpt-oss-20b', 'anthropic.claude-sonnet-4-6'],
  );
  const probing = regionProbing(
    clients,
    controlPlaneClient(clientOptions),
    { timeoutMs: 2_000, backgroundPollMs: SIM_BACKGROUND_POLL_MS },
    o.dependencyTimeoutMs ? { dependencyTimeoutMs: o.dependencyTimeoutMs } : {},
  );
  const prober = createHandler({
    config,
    store,
    ...probing,
    prober: o.wrapProber ? o.wrapProber(probing.prober) : probing.prober,
    ...(o.now ? { now: o.now } : {}),
    log: createLogger((line) => logs.push(line)),
    reserveMs: 0,
    ...(o.dependencyTimeoutMs ? { dependencyTimeoutMs: o.dependencyTimeoutMs } : {}),
    // The retries and their order are under test, not the production back-off's real waiting.
    probeLimits: { backoffBaseMs: 5, backoffMaxMs: 20, modelPacingMs: 0 },
  });
  const scope = { account: config.account, region: config.region };
  const home = createHomeHandler({
    store,
    account: config.account,
    regions: [config.region],
    staleAfterMs: 3 * 3_600_000,
    publishAlert: (alert) => publishAlert(new SNSClient({ region: o.sim.region }), TOPIC, alert),
    publishEvents: async () => undefined,
    publishMetrics: (data) => publishMetrics(new CloudWatchClient({ region: o.sim.region }), data),
    log: createLogger((line) => logs.push(line)),
    dependencyTimeoutMs: o.dependencyTimeoutMs ?? 10_000,
    ...(o.now ? { now: o.now } : {}),
  });
  /** The home's turn after a run: the stream record of the scope's newest run item, if it finished. */
  const notify = async (): Promise<unknown> => {
    const [newest] = await store.listRuns(scope, { limit: 1 });
    return newest ? home({ Records: [runStreamRecord(newest)] }) : undefined;
  };
  const handler = async (...args: Parameters<typeof prober>) => {
    const outcome = await prober(...args).catch((err: unknown) => err as Error);
    // Home is another function: its failure (SNS down) is its own, and leaves the outbox whole.
    await notify().catch((err: unknown) => logs.push(`home: ${String(err)}`));
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  return { handler, prober, home, notify, store, logs, scope };
}

/** The stream record DynamoDB sends for a run item (NEW_IMAGE), as the home's event source mapping passes it. */
export function runStreamRecord(run: RunRecord): StreamRecord {
  const pk = `RUNS#${run.account}#${run.region}`;
  return {
    eventName: 'MODIFY',
    dynamodb: {
      Keys: { pk: { S: pk }, sk: { S: `RUN#${run.startedAt}#${run.runId}` } },
      NewImage: {
        pk: { S: pk },
        account: { S: run.account },
        region: { S: run.region },
        runId: { S: run.runId },
        ...(run.outcome ? { outcome: { S: run.outcome } } : {}),
      },
    },
  };
}

export const lambdaContext = (remainingMs = 120_000) => ({
  awsRequestId: `req-${Math.random().toString(16).slice(2)}`,
  getRemainingTimeInMillis: () => remainingMs,
});

/** The changes every accepted SNS Publish carried, as `model endpoint/api/variant from->to`. */
export function alertedChanges(sns: AwsClientStub<SNSClient>): string[][] {
  return sns.commandCalls(PublishCommand).map((call) => {
    const body = JSON.parse(call.args[0].input.Message ?? '{}') as { sqs?: string };
    const machine = JSON.parse(body.sqs ?? '{}') as { changes?: { model: string; variant: string }[] };
    return (machine.changes ?? []).map((c) => `${c.model}/${c.variant}`).sort();
  });
}

export const metricValue = (cloudWatch: AwsClientStub<CloudWatchClient>, name: string): number | undefined =>
  cloudWatch
    .commandCalls(PutMetricDataCommand)
    .flatMap((c) => c.args[0].input.MetricData ?? [])
    .find((d) => d.MetricName === name)?.Value;
