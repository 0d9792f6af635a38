/** Turns the probe/demo flags into validated settings; every error is a one-line UsageError. */
import type { PlanConfig } from '../lambda/core/plan';
import type { ProbeLimits } from '../lambda/engine/matrix-prober';
import { DEFAULT_LIMITS } from '../lambda/engine/matrix-prober';
import { ENV } from '../lambda/shared/names';
import {
  type Format,
  parseApis,
  parseCanary,
  parseFormat,
  parseGlobs,
  parseGuardrail,
  parseInteger,
  parseStore,
  type StoreKind,
  UsageError,
} from './options';

export interface ProbeFlags {
  readonly format?: string;
  readonly out?: string;
  readonly models?: string;
  readonly excludeModels?: string;
  readonly apis?: string;
  readonly concurrency?: string;
  readonly maxTokens?: string;
  readonly maxCalls?: string;
  readonly maxRunTokens?: string;
  readonly timeout?: string;
  readonly guardrailId?: string;
  readonly guardrailVersion?: string;
  readonly canary?: string;
  readonly store?: string;
  readonly table?: string;
  readonly confirm?: string;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

export interface ProbeSettings {
  readonly format: Format;
  readonly out: string | undefined;
  readonly plan: PlanConfig;
  readonly limits: ProbeLimits;
  readonly timeoutMs: number;
  readonly canary: string;
  readonly store: StoreKind;
  readonly table: string;
  readonly confirmCount: number;
  readonly quiet: boolean;
  readonly color: boolean;
}

export function probeSettings(flags: ProbeFlags): ProbeSettings {
  const maxCalls =
    flags.maxCalls === undefined ? undefined : parseInteger('--max-calls', flags.maxCalls, 1, 1_000_000, 1);
  const table = flags.table ?? 'bedrock-matrix';
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) {
    throw new UsageError(`--table: "${table}" is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)`);
  }
  return {
    format: parseFormat(flags.format),
    out: flags.out,
    plan: {
      ...(flags.apis ? { apis: parseApis(flags.apis) } : {}),
      include: parseGlobs('--models', flags.models),
      exclude: parseGlobs('--exclude-models', flags.excludeModels),
      guardrail: parseGuardrail(flags),
    },
    limits: {
      ...DEFAULT_LIMITS,
      concurrency: parseInteger('--concurrency', flags.concurrency, 1, 64, DEFAULT_LIMITS.concurrency),
      maxTokens: parseInteger('--max-tokens', flags.maxTokens, 1, 4096, DEFAULT_LIMITS.maxTokens),
      ...(maxCalls !== undefined ? { maxCalls } : {}),
      ...(flags.maxRunTokens !== undefined
        ? { maxRunTokens: parseInteger('--max-run-tokens', flags.maxRunTokens, 1, 100_000_000, 1) }
        : {}),
    },
    timeoutMs: parseInteger('--timeout', flags.timeout, 100, 900_000, 20_000),
    canary: parseCanary(flags.canary),
    store: parseStore(flags.store),
    table,
    confirmCount: parseInteger('--confirm', flags.confirm, 0, 5, 2),
    quiet: flags.quiet ?? false,
    color: flags.color ?? true,
  };
}

/**
 * The probe Guardrail and canary may also come from the environment the stack's Lambda uses, so a
 * shell that exported them once does not repeat them on every command. Flags win.
 */
export function withEnvironment<T extends ProbeFlags>(flags: T, env: NodeJS.ProcessEnv): T {
  const fromEnv = (flag: string | undefined, name: string) => flag ?? (env[name]?.trim() || undefined);
  const guardrailId = fromEnv(flags.guardrailId, ENV.guardrailId);
  const guardrailVersion = fromEnv(flags.guardrailVersion, ENV.guardrailVersion);
  const canary = fromEnv(flags.canary, ENV.canary);
  return {
    ...flags,
    ...(guardrailId ? { guardrailId } : {}),
    ...(guardrailVersion ? { guardrailVersion } : {}),
    ...(canary ? { canary } : {}),
  };
}
