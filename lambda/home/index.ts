/**
 * The home function's entry: reads and validates its environment, wires real SDK clients into
 * `createHomeHandler`, and keeps them for the container's later invocations.
 */
import { cloudWatchClient, dynamoDbClient, eventBridgeClient, snsClient } from '../adapters/aws-clients';
import { publishMetrics } from '../adapters/cloudwatch-metrics';
import { putChangeEvents } from '../adapters/eventbridge-events';
import { publishAlert } from '../adapters/sns-alerts';
import { DynamoDbStore } from '../adapters/store/dynamodb-store';
import { registerSecretsFromEnv } from '../core/scrub';
import { createLogger } from '../logger';
import { readHomeConfig } from './config';
import { createHomeHandler, type HomeEvent, type HomeOutcome } from './notifier';

type Handler = (event: HomeEvent | undefined) => Promise<HomeOutcome>;

let wired: Handler | undefined;

/** Built on first use, so a bad environment fails the invocation with one clear line, not the import. */
function wire(env: NodeJS.ProcessEnv): Handler {
  registerSecretsFromEnv(env);
  const config = readHomeConfig(env);
  const { region, dependencyTimeoutMs: timeoutMs } = config;
  const cloudWatch = cloudWatchClient({ region, timeoutMs });
  const sns = snsClient({ region, timeoutMs });
  const events = eventBridgeClient({ region, timeoutMs });
  return createHomeHandler({
    store: new DynamoDbStore({
      client: dynamoDbClient({ region, env, timeoutMs }),
      tableName: config.tableName,
      callTimeoutMs: timeoutMs,
    }),
    account: config.account,
    regions: config.regions,
    staleAfterMs: config.staleAfterMs,
    publishAlert: (alert) => publishAlert(sns, config.topicArn, alert),
    publishEvents: (changes, runId) => putChangeEvents(events, changes, { runId }),
    publishMetrics: (data) => publishMetrics(cloudWatch, data, config.metricsNamespace),
    log: createLogger(),
    dependencyTimeoutMs: timeoutMs,
  });
}

export const handler: Handler = async (event) => {
  wired ??= wire(process.env);
  return wired(event);
};
