/**
 * The Lambda entry: reads and validates its environment, wires real SDK clients into
 * `createHandler`, and keeps them for the container's later invocations.
 */
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { accountFactsCalls } from './adapters/account-facts';
import { controlPlaneClient, dynamoDbClient, eventBridgeClient } from './adapters/aws-clients';
import { putMemberEvents } from './adapters/member-events';
import { createProbeClients } from './adapters/probes';
import { regionProbing } from './adapters/region-probing';
import { DynamoDbStore } from './adapters/store/dynamodb-store';
import { type ProberConfig, readProberConfig } from './config';
import { registerSecretsFromEnv } from './core/scrub';
import { createHandler, type ProberContext, type ProberEvent, type RunOutcome } from './handler';
import { createLogger } from './logger';
import { readMemberConfig } from './member/config';
import type { MemberDeps } from './member/ports';
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
  const probeMs = config.probeTimeoutMs ?? DEFAULTS.probeTimeoutMs;
  // Every client of a dependency gets the same bound: a silent one ends the run, named.
  const timeoutMs = config.dependencyTimeoutMs ?? DEFAULTS.dependencyTimeoutMs;
  const clients = createProbeClients({
    region,
    env,
    timeoutMs: probeMs,
    maxAnswerMb: config.maxAnswerMb ?? DEFAULTS.maxAnswerMb,
  });
  const bedrock = controlPlaneClient({ region, env, timeoutMs });
  const store = new DynamoDbStore({
    // The home's table, possibly in another region: the prober writes there across regions.
    client: dynamoDbClient({ region: config.tableRegion, env, timeoutMs }),
    tableName: config.tableName,
    historyTtlDays: config.historyTtlDays,
    callTimeoutMs: timeoutMs,
  });
  return createHandler({
    config,
    store,
    ...regionProbing(clients, bedrock, { timeoutMs: probeMs }, { dependencyTimeoutMs: timeoutMs }),
    log: createLogger(),
    ...memberDeps(env, config, bedrock, store, timeoutMs),
  });
}

/** In an organization's member: its state, account-facts calls and bus (lambda/member/). */
function memberDeps(
  env: NodeJS.ProcessEnv,
  config: ProberConfig,
  bedrock: BedrockClient,
  store: DynamoDbStore,
  timeoutMs: number,
): { member?: MemberDeps } {
  const member = readMemberConfig(env, config.account);
  if (!member) return {};
  const events = eventBridgeClient({ region: config.region, env, timeoutMs });
  return {
    member: {
      role: member.role,
      state: store.memberState(),
      ...accountFactsCalls(bedrock),
      send: (batch) => putMemberEvents(events, batch, timeoutMs),
    },
  };
}

export const handler: Handler = async (event, context) => {
  wired ??= wire(process.env);
  return wired(event, context);
};
