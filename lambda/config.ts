/**
 * The prober Lambda's configuration, read from the environment the stack sets. Names, parsers,
 * bounds and defaults come from the one settings spec (shared/settings.ts). Every problem is
 * collected so one error says everything that is wrong, each under the variable's own name.
 */
import type { Api } from './core/model';
import { ENV } from './shared/names';
import { parseSetting, SETTINGS, type SettingKey, type SettingValue } from './shared/settings';

export interface ProberConfig {
  /** The region probed (the function's own). */
  readonly region: string;
  /** The account measured (the function's own): with `region`, the run's scope. */
  readonly account: string;
  readonly tableName: string;
  /** Region of the results table: the home region, which may differ from `region`. */
  readonly tableRegion: string;
  readonly guardrail: { readonly id: string; readonly version: string };
  readonly canary: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** undefined = every api. */
  readonly apis: readonly Api[] | undefined;
  readonly maxTokens: number;
  readonly concurrency: number;
  readonly historyTtlDays: number;
  readonly confirmCount: number;
  /** Days ahead a retirement notice is given. */
  readonly noticeDays: number;
  /** Infinity when unset or 0. */
  readonly maxCalls: number;
  // Optional so hand-built configs (tests) need not spell them; readProberConfig always sets them.
  /** Infinity when unset or 0. @default Infinity */
  readonly maxRunTokens?: number;
  /** Timeout of one probe call. @default 20000 */
  readonly probeTimeoutMs?: number;
  /** Timeout of one call to the control plane, DynamoDB, CloudWatch or SNS. @default 10000 */
  readonly dependencyTimeoutMs?: number;
  /** Timeout of the first call to each mantle model (cold starts take 60 s and more). @default 120000 */
  readonly mantleFirstCallTimeoutMs?: number;
  /** Largest probe answer read, in MB. @default DEFAULTS.maxAnswerMb (4) */
  readonly maxAnswerMb?: number;
  /** Probe calls in flight on one model. @default DEFAULTS.perModelConcurrency (2) */
  readonly perModelConcurrency?: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function readProberConfig(env: NodeJS.ProcessEnv): ProberConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name} is missing`);
    return v ?? '';
  };
  /** A setting from its own variable; an empty variable counts as unset (the stack writes '' for "none"). */
  const read = <K extends SettingKey>(key: K): SettingValue<K> => {
    const name = SETTINGS[key].env as string;
    const raw = env[name];
    const parsed = parseSetting(key, raw?.trim() ? raw : undefined);
    if (parsed.ok) return parsed.value;
    problems.push(`${name}: ${parsed.reason}`);
    return SETTINGS[key].default as SettingValue<K>;
  };
  const uncapped = (n: number): number => (n === 0 ? Number.POSITIVE_INFINITY : n);

  const region = env.AWS_REGION?.trim() || required('AWS_REGION');
  const tableName = required(ENV.tableName);
  const tableRegion = env[ENV.tableRegion]?.trim() || region;
  const account = readAccount(env, problems);
  // The stack always sets its own guardrail, so here (unlike the CLI) both are required.
  const present = (name: string): boolean => Boolean(env[name]?.trim());
  const guardrailId = present(ENV.guardrailId) ? (read('guardrailId') ?? '') : required(ENV.guardrailId);
  const guardrailVersion = present(ENV.guardrailVersion)
    ? (read('guardrailVersion') ?? '')
    : required(ENV.guardrailVersion);
  const apis = read('apis');
  const config: ProberConfig = {
    region,
    account,
    tableName,
    tableRegion,
    guardrail: { id: guardrailId, version: guardrailVersion },
    canary: read('canary'),
    include: read('includeModels'),
    exclude: read('excludeModels'),
    apis: apis.length > 0 ? apis : undefined,
    maxTokens: read('maxTokens'),
    concurrency: read('concurrency'),
    perModelConcurrency: read('perModelConcurrency'),
    historyTtlDays: read('historyTtlDays'),
    confirmCount: read('confirmCount'),
    noticeDays: read('noticeDays'),
    maxCalls: uncapped(read('maxCalls')),
    maxRunTokens: uncapped(read('maxRunTokens')),
    probeTimeoutMs: read('probeTimeoutMs'),
    dependencyTimeoutMs: read('dependencyTimeoutMs'),
    mantleFirstCallTimeoutMs: read('mantleFirstCallTimeoutMs'),
    maxAnswerMb: read('maxAnswerMb'),
  };
  if (problems.length > 0)
    throw new ConfigError(`bedrock-matrix prober configuration: ${problems.join('; ')}`);
  return config;
}

const ACCOUNT_PATTERN = /^\d{12}$/;

/** The account of the function's scope: 12 digits, as the stack sets it (`AWS::AccountId`). */
export function readAccount(env: NodeJS.ProcessEnv, problems: string[]): string {
  const raw = env[ENV.account]?.trim() ?? '';
  if (!raw) problems.push(`${ENV.account} is missing`);
  else if (!ACCOUNT_PATTERN.test(raw))
    problems.push(`${ENV.account}: "${raw}" is not a 12-digit AWS account id`);
  return raw;
}
