/**
 * The home function's entry: reads and validates its environment, wires real SDK clients into
 * `createHomeHandler`, and keeps them for the container's later invocations.
 */

import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { cloudWatchClient, dynamoDbClient, eventBridgeClient, snsClient } from '../adapters/aws-clients';
import { publishMetrics } from '../adapters/cloudwatch-metrics';
import { putChangeEvents } from '../adapters/eventbridge-events';
import { listOrgAccounts } from '../adapters/organizations';
import { publishAlert } from '../adapters/sns-alerts';
import { DynamoDbStore } from '../adapters/store/dynamodb-store';
import type { Alert } from '../core/alert-message';
import type { BusEnvelope } from '../core/org/parse-event';
import { registerSecretsFromEnv } from '../core/scrub';
import { createLogger } from '../logger';
import { memberStaleAfterMinutes } from '../shared/org-names';
import { readHomeConfig } from './config';
import { createHomeHandler, type HomeEvent, type HomeOutcome, type InboxRecord } from './notifier';
import { createOrgHome } from './org-home';

type Handler = (
  event: HomeEvent | BusEnvelope | { Records: readonly InboxRecord[] } | undefined,
) => Promise<HomeOutcome>;

let wired: Handler | undefined;

/** Built on first use, so a bad environment fails the invocation with one clear line, not the import. */
function wire(env: NodeJS.ProcessEnv): Handler {
  registerSecretsFromEnv(env);
  const config = readHomeConfig(env);
  const { region, dependencyTimeoutMs: timeoutMs } = config;
  const cloudWatch = cloudWatchClient({ region, timeoutMs });
  const sns = snsClient({ region, timeoutMs });
  const events = eventBridgeClient({ region, timeoutMs });
  const log = createLogger();
  const store = new DynamoDbStore({
    client: dynamoDbClient({ region, env, timeoutMs }),
    tableName: config.tableName,
    callTimeoutMs: timeoutMs,
  });
  const publishAlertTo = (alert: Alert) => publishAlert(sns, config.topicArn, alert);
  const publishMetricsTo = (data: Parameters<typeof publishMetrics>[1]) =>
    publishMetrics(cloudWatch, data, config.metricsNamespace);
  const org = config.org;
  return createHomeHandler({
    store,
    ...(org
      ? {
          org: createOrgHome({
            store: store.org(),
            probeAccounts: org.probeAccounts,
            regions: config.regions,
            memberStaleAfterMs: memberStaleAfterMinutes() * 60_000,
            listAccounts: () =>
              listOrgAccounts(
                new OrganizationsClient({ region: 'us-east-1' }),
                org.organizationalUnits,
                timeoutMs,
              ),
            publishAlert: publishAlertTo,
            publishMetrics: publishMetricsTo,
            log,
          }),
        }
      : {}),
    account: config.account,
    regions: config.regions,
    staleAfterMs: config.staleAfterMs,
    publishAlert: publishAlertTo,
    publishEvents: (changes, runId) => putChangeEvents(events, changes, { runId }),
    publishMetrics: publishMetricsTo,
    log,
    dependencyTimeoutMs: timeoutMs,
  });
}

export const handler: Handler = async (event) => {
  wired ??= wire(process.env);
  return wired(event);
};
