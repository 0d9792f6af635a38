/**
 * Turns the probe/demo flags into validated settings; every error is a one-line UsageError.
 * Bounds and defaults come from the one settings spec (lambda/shared/settings.ts).
 */
import type { PlanConfig } from '../lambda/core/plan';
import type { ProbeLimits } from '../lambda/engine/matrix-prober';
import { DEFAULT_LIMITS } from '../lambda/engine/matrix-prober';
import { SETTING_LIST, SETTINGS, type SettingKey } from '../lambda/shared/settings';
import {
  type Format,
  parseApis,
  parseCanary,
  parseFormat,
  parseGlobs,
  parseGuardrail,
  parseSettingAs,
  parseStore,
  type StoreKind,
  UsageError,
} from './options';
import type { StackFlag } from './stack-outputs';

export interface ProbeFlags {
  readonly format?: string;
  readonly out?: string;
  readonly models?: string;
  readonly excludeModels?: string;
  readonly apis?: string;
  readonly concurrency?: string;
  readonly perModelConcurrency?: string;
  readonly maxTokens?: string;
  readonly maxCalls?: string;
  readonly maxRunTokens?: string;
  readonly timeout?: string;
  readonly dependencyTimeout?: string;
  readonly mantleFirstTimeout?: string;
  readonly maxAnswerMb?: string;
  readonly guardrailId?: string;
  readonly guardrailVersion?: string;
  readonly canary?: string;
  readonly store?: string;
  readonly table?: string;
  /** `--stack [name]`: the table from a deployed stack's outputs (cli/stack-outputs.ts). */
  readonly stack?: StackFlag;
  readonly confirm?: string;
  readonly noticeDays?: string;
  readonly quiet?: boolean;
  readonly color?: boolean;
  /** `--wide`: the table's full view, whatever the terminal's width. */
  readonly wide?: boolean;
  /**
   * Which flags were filled from an environment variable (by {@link withEnvironment}), and from
   * which, so a bad value is reported under the variable's name rather than a flag never typed.
   */
  readonly fromEnv?: Readonly<Partial<Record<EnvFilled, string>>>;
}

/** The flags the CLI may fill from the environment (settings marked `cliReadsEnv`). */
type EnvFilled = 'guardrailId' | 'guardrailVersion' | 'canary';

export interface ProbeSettings {
  readonly format: Format;
  readonly out: string | undefined;
  readonly plan: PlanConfig;
  readonly limits: ProbeLimits;
  readonly timeoutMs: number;
  /** Timeout of one call to the control plane, DynamoDB, CloudWatch or SNS. */
  readonly dependencyTimeoutMs: number;
  /** Timeout of the first call to each mantle model. */
  readonly mantleFirstCallTimeoutMs: number;
  /** Largest probe answer read, in MB. */
  readonly maxAnswerMb: number;
  readonly canary: string;
  readonly store: StoreKind;
  readonly table: string;
  /** The table is read from this stack's outputs instead (`--stack`). @default none */
  readonly stack?: StackFlag;
  readonly confirmCount: number;
  /** Days ahead a retirement notice is given. */
  readonly noticeDays: number;
  readonly quiet: boolean;
  readonly color: boolean;
  readonly wide: boolean;
}

/** A numeric setting of the spec read from its flag. */
const numeric = (key: SettingKey, value: string | undefined): number =>
  parseSettingAs(key, SETTINGS[key].flag as string, value) as number;

/** The DynamoDB table every `--table` flag names when not given. */
export const DEFAULT_TABLE = 'bedrock-matrix';

export function probeSettings(flags: ProbeFlags): ProbeSettings {
  const maxCalls = numeric('maxCalls', flags.maxCalls);
  const maxRunTokens = numeric('maxRunTokens', flags.maxRunTokens);
  const table = flags.table ?? DEFAULT_TABLE;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) {
    throw new UsageError(`--table: "${table}" is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)`);
  }
  const from = flags.fromEnv ?? {};
  return {
    format: parseFormat(flags.format),
    out: flags.out,
    plan: {
      ...(flags.apis ? { apis: parseApis(flags.apis) } : {}),
      include: parseGlobs('--models', flags.models),
      exclude: parseGlobs('--exclude-models', flags.excludeModels),
      guardrail: parseGuardrail(flags, {
        id: from.guardrailId ?? '--guardrail-id',
        version: from.guardrailVersion ?? '--guardrail-version',
      }),
    },
    limits: {
      ...DEFAULT_LIMITS,
      concurrency: numeric('concurrency', flags.concurrency),
      perModelConcurrency: numeric('perModelConcurrency', flags.perModelConcurrency),
      maxTokens: numeric('maxTokens', flags.maxTokens),
      // 0 = no cap, as in the stack's context.
      ...(maxCalls > 0 ? { maxCalls } : {}),
      ...(maxRunTokens > 0 ? { maxRunTokens } : {}),
    },
    timeoutMs: numeric('probeTimeoutMs', flags.timeout),
    dependencyTimeoutMs: numeric('dependencyTimeoutMs', flags.dependencyTimeout),
    mantleFirstCallTimeoutMs: numeric('mantleFirstCallTimeoutMs', flags.mantleFirstTimeout),
    maxAnswerMb: numeric('maxAnswerMb', flags.maxAnswerMb),
    canary: parseCanary(flags.canary, from.canary),
    store: parseStore(flags.store),
    table,
    ...(flags.stack === undefined ? {} : { stack: flags.stack }),
    confirmCount: numeric('confirmCount', flags.confirm),
    noticeDays: numeric('noticeDays', flags.noticeDays),
    quiet: flags.quiet ?? false,
    color: flags.color ?? true,
    wide: flags.wide ?? false,
  };
}

/**
 * The probe Guardrail and canary may also come from the environment the stack's Lambda uses
 * (settings marked `cliReadsEnv`), so a shell that exported them once does not repeat them on
 * every command. Flags win.
 */
export function withEnvironment<T extends ProbeFlags>(flags: T, env: NodeJS.ProcessEnv): T {
  const filled: Record<string, string> = {};
  const fromEnv: Record<string, string> = {};
  for (const spec of SETTING_LIST) {
    const key = spec.key as EnvFilled;
    const value = spec.cliReadsEnv && spec.env ? env[spec.env]?.trim() : undefined;
    if (spec.env && value && flags[key] === undefined) {
      filled[key] = value;
      fromEnv[key] = spec.env;
    }
  }
  return { ...flags, ...filled, fromEnv: { ...flags.fromEnv, ...fromEnv } };
}
