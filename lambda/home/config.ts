/**
 * What the home's functions (the notifier-watch and the dashboard widget) read from the
 * environment the home stack sets: the table, the account and regions it watches, and for the
 * notifier its topic and namespace. Every problem is collected into one error, each under the
 * variable's own name.
 */
import { ConfigError, readAccount } from '../config';
import { ENV, METRICS_NAMESPACE } from '../shared/names';
import { ORG_ENV } from '../shared/org-names';
import { parseSetting } from '../shared/settings';

export interface WatchedConfig {
  /** The home region (the function's own). */
  readonly region: string;
  readonly tableName: string;
  readonly account: string;
  /** The probed regions, in the order the stack lists them. */
  readonly regions: readonly string[];
  /** A region whose newest run started longer ago than this is stale. */
  readonly staleAfterMs: number;
}

export interface HomeConfig extends WatchedConfig {
  readonly topicArn: string;
  readonly metricsNamespace: string;
  /** One call to DynamoDB, SNS, EventBridge or CloudWatch. */
  readonly dependencyTimeoutMs: number;
  /** An organization's home (ORG_ENV set by lib/org/); null for a single account. */
  readonly org: OrgHomeConfig | null;
}

export interface OrgHomeConfig {
  /** The probe account of each region. */
  readonly probeAccounts: Readonly<Record<string, string>>;
  /** Target OU ids, whose names and accounts are read from Organizations. */
  readonly organizationalUnits: readonly string[];
}

/** `region=account,...` and the OU list; null when the home is not an organization's. */
export function readOrgHomeConfig(env: NodeJS.ProcessEnv, problems: string[]): OrgHomeConfig | null {
  const probes = env[ORG_ENV.probeAccounts]?.trim();
  if (!probes) return null;
  const probeAccounts: Record<string, string> = {};
  for (const pair of probes.split(',')) {
    const [region = '', account = ''] = pair.split('=').map((x) => x.trim());
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region) || !/^\d{12}$/.test(account)) {
      problems.push(`${ORG_ENV.probeAccounts}: "${pair}" is not region=12-digit-account`);
    } else probeAccounts[region] = account;
  }
  const organizationalUnits = (env[ORG_ENV.organizationalUnits] ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  return { probeAccounts, organizationalUnits };
}

export function readWatchedConfig(env: NodeJS.ProcessEnv, problems: string[] = []): WatchedConfig {
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name} is missing`);
    return v ?? '';
  };
  const region = env.AWS_REGION?.trim() || required('AWS_REGION');
  const tableName = required(ENV.tableName);
  const account = readAccount(env, problems);
  const regions = parseSetting('regions', required(ENV.regions));
  if (!regions.ok) problems.push(`${ENV.regions}: ${regions.reason}`);
  const staleText = required(ENV.staleAfterMinutes);
  const stale = Number(staleText);
  if (staleText && !(Number.isInteger(stale) && stale > 0))
    problems.push(`${ENV.staleAfterMinutes}: "${staleText}" is not a whole number of minutes above 0`);
  const config = {
    region,
    tableName,
    account,
    regions: regions.ok ? regions.value : [],
    staleAfterMs: stale * 60_000,
  };
  if (problems.length > 0) throw new ConfigError(`bedrock-matrix home configuration: ${problems.join('; ')}`);
  return config;
}

export function readHomeConfig(env: NodeJS.ProcessEnv): HomeConfig {
  const problems: string[] = [];
  const topicArn = env[ENV.topicArn]?.trim() ?? '';
  if (!topicArn) problems.push(`${ENV.topicArn} is missing`);
  const timeout = parseSetting('dependencyTimeoutMs', env[ENV.dependencyTimeoutMs]?.trim() || undefined);
  if (!timeout.ok) problems.push(`${ENV.dependencyTimeoutMs}: ${timeout.reason}`);
  const org = readOrgHomeConfig(env, problems);
  const watched = readWatchedConfig(env, problems);
  return {
    org,
    ...watched,
    topicArn,
    metricsNamespace: env[ENV.metricsNamespace]?.trim() || METRICS_NAMESPACE,
    dependencyTimeoutMs: timeout.ok ? timeout.value : 0,
  };
}
