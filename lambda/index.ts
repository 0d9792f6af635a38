/**
 * The Lambda entry: reads and validates its environment, wires real SDK clients into
 * `createHandler`, and keeps them for the container's later invocations.
 */
import { cloudWatchClient, controlPlaneClient, dynamoDbClient, snsClient } from './adapters/aws-clients';
import { publishMetrics } from './adapters/cloudwatch-metrics';
import { DynamoDbStore } from './adapters/dynamodb-store';
import { createProbeClients } from './adapters/probes';
import { regionProbing } from './adapters/region-probing';
import { publishAlert } from './adapters/sns-alerts';
import { readProberConfig } from './config';
import { registerSecretsFromEnv } from './core/scrub';
import { createHandler, type ProberContext, type ProberEvent, type RunOutcome } from './handler';
import { createLogger } from './logger';
import { DEFAULTS } from './shared/names';

type Handler = (event: ProberEvent | undefined, context: ProberContext) => Promise<RunOutcome>;

let wired: Handler | undefined;

/** Built on first use, so a bad environment fails the invocation with one clear line, not the import. */
function wire(env: NodeJS.ProcessEnv): Handler {
  // The execution role's secret key and session token live in the environment: an endpoint that
  // echoes one raw must still not get it into a log line, a stored item or an alert.
  registerSecretsFromEnv(env);
  const config = readProberConfig(env);
  const region = config.region;
  const clients = createProbeClients({ region, env, timeoutMs: DEFAULTS.probeTimeoutMs });
  const cloudWatch = cloudWatchClient({ region });
  const sns = snsClient({ region });
  return createHandler({
    config,
    store: new DynamoDbStore({
      client: dynamoDbClient({ region, env }),
      tableName: config.tableName,
      historyTtlDays: config.historyTtlDays,
    }),
    ...regionProbing(clients, controlPlaneClient({ region, env }), { timeoutMs: DEFAULTS.probeTimeoutMs }),
    publishMetrics: (data) => publishMetrics(cloudWatch, data, config.metricsNamespace),
    publishAlert: (alert) => publishAlert(sns, config.topicArn, alert),
    log: createLogger(),
  });
}

export const handler: Handler = async (event, context) => {
  wired ??= wire(process.env);
  return wired(event, context);
};
