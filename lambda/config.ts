/**
 * The prober Lambda's configuration, read from the environment the stack sets (names in
 * shared/names.ts). Every problem is collected so one error says everything that is wrong.
 */
import { APIS, type Api } from './core/model';
import { DEFAULTS, ENV, METRICS_NAMESPACE } from './shared/names';

export interface ProberConfig {
  readonly region: string;
  readonly tableName: string;
  readonly topicArn: string;
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
  /** Infinity when unset or 0. */
  readonly maxCalls: number;
  readonly metricsNamespace: string;
  /** One call to the control plane, DynamoDB, CloudWatch or SNS. @default DEFAULTS.dependencyTimeoutMs */
  readonly dependencyTimeoutMs?: number;
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
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}="${raw}" is not a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const list = (name: string): string[] =>
    (env[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const region = env.AWS_REGION?.trim() || required('AWS_REGION');
  const apis = list(ENV.apis);
  for (const a of apis) {
    if (!(APIS as readonly string[]).includes(a)) problems.push(`${ENV.apis} has unknown api "${a}"`);
  }
  const maxCalls = integer(ENV.maxCalls, 0, 0, 1_000_000);
  const config: ProberConfig = {
    region,
    tableName: required(ENV.tableName),
    topicArn: required(ENV.topicArn),
    guardrail: { id: required(ENV.guardrailId), version: required(ENV.guardrailVersion) },
    canary: env[ENV.canary]?.trim() || DEFAULTS.canary,
    include: list(ENV.includeModels),
    exclude: list(ENV.excludeModels),
    apis: apis.length > 0 ? (apis as Api[]) : undefined,
    maxTokens: integer(ENV.maxTokens, DEFAULTS.maxTokens, 1, 4096),
    concurrency: integer(ENV.concurrency, DEFAULTS.concurrency, 1, 64),
    historyTtlDays: integer(ENV.historyTtlDays, DEFAULTS.historyTtlDays, 1, 3650),
    confirmCount: integer(ENV.confirmCount, DEFAULTS.confirmCount, 0, 5),
    maxCalls: maxCalls === 0 ? Number.POSITIVE_INFINITY : maxCalls,
    metricsNamespace: env[ENV.metricsNamespace]?.trim() || METRICS_NAMESPACE,
  };
  if (problems.length > 0)
    throw new ConfigError(`bedrock-matrix prober configuration: ${problems.join('; ')}`);
  return config;
}
