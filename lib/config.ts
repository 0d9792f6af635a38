import type { Node } from 'constructs';
import type { ENV } from '../lambda/shared/names';
import {
  parseSetting,
  SETTING_LIST,
  SETTINGS,
  type SettingKey,
  type SettingValue,
  settingText,
} from '../lambda/shared/settings';

/**
 * The settings that reach the prober as environment variables: each setting of the spec
 * (lambda/shared/settings.ts) with a context key and a variable, in the spec's order.
 */
export const PROBER_ENV_SETTINGS = [
  'includeModels',
  'excludeModels',
  'apis',
  'maxTokens',
  'concurrency',
  'perModelConcurrency',
  'canary',
  'historyTtlDays',
  'confirmCount',
  'noticeDays',
  'maxCalls',
  'maxRunTokens',
  'probeTimeoutMs',
  'dependencyTimeoutMs',
  'mantleFirstCallTimeoutMs',
  'maxAnswerMb',
] as const satisfies readonly (keyof typeof ENV & SettingKey)[];

export type ProberEnvSetting = (typeof PROBER_ENV_SETTINGS)[number];

/** The settings the CDK app reads from context (each one with a context key), in the spec's order. */
export const CONTEXT_SETTINGS = [
  'regions',
  'home',
  'schedule',
  'sentinelSchedule',
  'alarmEmails',
  ...PROBER_ENV_SETTINGS,
  'subscribeModels',
  'reservedConcurrency',
] as const satisfies readonly SettingKey[];

/**
 * Validated configuration of the CDK app, read from `cdk.json` context (overridable with `-c`):
 * one value per setting of {@link CONTEXT_SETTINGS}, whose meaning, parser, bounds and default are
 * written once in the settings spec (lambda/shared/settings.ts). Everything is checked before a
 * construct is built so a typo fails `cdk synth` with one line naming the key and the value
 * instead of a half-built stack or a failed deployment.
 */
export type MatrixConfig = {
  readonly [K in Exclude<(typeof CONTEXT_SETTINGS)[number], 'home'>]: SettingValue<K>;
} & {
  /** The home region: the `home` setting, or the first of `regions` when it is unset. */
  readonly home: string;
  /** Longest gap between two sentinel ticks, in minutes (sizes the home's staleness threshold). */
  readonly sentinelPeriodMinutes: number;
};

/** A configuration value is wrong; `message` is one line naming the context key and the value. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`Invalid context "${key}": ${reason}`);
    this.name = 'ConfigError';
  }
}

/** The regions where Bedrock runs, from the settings spec (one list, one message for the CDK and the CLI). */
export { BEDROCK_REGIONS } from '../lambda/shared/settings';

/** The context keys read by {@link readConfig} (every setting of the spec that has one). */
export const CONTEXT_KEYS: readonly string[] = SETTING_LIST.flatMap((s) => (s.context ? [s.context] : []));

/**
 * Bounds of the schedule period. Shorter than the prober's timeout and runs would meet each
 * other's lease; longer than a day and a region would go unprobed for days between two sweeps.
 */
export const MIN_SCHEDULE_MINUTES = 15;
export const MAX_SCHEDULE_MINUTES = 24 * 60;

/**
 * The settings that hold a schedule expression, and the gaps each allows. The sentinel only reads
 * the free catalogs, so it may tick every minute; past an hour a new model would wait longer than
 * the detection budget, and the home's staleness threshold (three sentinel periods) would grow
 * past a few hours.
 */
export const SCHEDULE_BOUNDS = {
  schedule: { min: MIN_SCHEDULE_MINUTES, max: MAX_SCHEDULE_MINUTES, text: '15 minutes to 1 day' },
  sentinelSchedule: { min: 1, max: 60, text: '1 minute to 1 hour' },
} as const;
export type ScheduleSetting = keyof typeof SCHEDULE_BOUNDS;

/** Reads a context key, falling back to the default; only `node.tryGetContext` is needed. */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

/** Reads and validates the app configuration from construct context. Throws {@link ConfigError}. */
export const readConfig = (scope: { readonly node: Node } | ContextSource): MatrixConfig => {
  const source: ContextSource = 'node' in scope ? scope.node : scope;
  const read = <K extends SettingKey>(key: K): SettingValue<K> => {
    const contextKey = SETTINGS[key].context as string;
    const raw = source.tryGetContext(contextKey);
    const parsed = parseSetting(key, settingText(raw));
    if (!parsed.ok) throw new ConfigError(contextKey, raw, parsed.reason);
    return parsed.value;
  };

  const values = Object.fromEntries(
    CONTEXT_SETTINGS.map((key) => {
      const value = read(key);
      // Checked further than the spec can, in reading order so the first bad key is the one named.
      if (key === 'regions') parseRegions(value as readonly string[], source.tryGetContext('regions'));
      if (key === 'schedule' || key === 'sentinelSchedule') schedulePeriod(value as string, key);
      return [key, value];
    }),
  ) as Omit<MatrixConfig, 'sentinelPeriodMinutes' | 'home'> & { readonly home: string | undefined };
  const home = values.home ?? (values.regions[0] as string);
  return {
    ...values,
    home,
    sentinelPeriodMinutes: schedulePeriod(values.sentinelSchedule, 'sentinelSchedule'),
  };
};

/** The spec checks each name and that Bedrock runs there; an empty list is only the context's slip. */
const parseRegions = (regions: readonly string[], raw: unknown): void => {
  if (regions.length === 0) throw new ConfigError('regions', raw, `${JSON.stringify(raw)} names no region`);
};

const RATE_PATTERN = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON_PATTERN = /^cron\(([^()]+)\)$/;
const CRON_FIELD = /^[A-Za-z0-9*?,/#L W-]+$/;

/**
 * The longest gap between two ticks of a valid `rate(...)` or daily `cron(...)` expression, in
 * minutes, whatever its length (the home's watch ticks every 5 minutes). Throws ConfigError
 * naming `key`, the setting the expression came from.
 */
export const scheduleGap = (schedule: string, key: ScheduleSetting = 'schedule'): number =>
  RATE_PATTERN.test(schedule) ? ratePeriod(schedule, key) : gapsOf(cronTimes(schedule, key));

/**
 * Returns the longest gap, in minutes, between two ticks of the expression of `key` (the full
 * sweep's `schedule` or the `sentinelSchedule`), or throws ConfigError when it is malformed or
 * outside that setting's {@link SCHEDULE_BOUNDS}.
 */
export const schedulePeriod = (schedule: string, key: ScheduleSetting = 'schedule'): number => {
  const minutes = scheduleGap(schedule, key);
  const bounds = SCHEDULE_BOUNDS[key];
  if (minutes < bounds.min || minutes > bounds.max) {
    throw new ConfigError(
      key,
      schedule,
      `"${schedule}" runs every ${minutes} minutes; allowed is ${bounds.text}`,
    );
  }
  return minutes;
};

const ratePeriod = (schedule: string, key: ScheduleSetting): number => {
  const [, value, unit] = RATE_PATTERN.exec(schedule) ?? [];
  const n = Number(value);
  const singular = unit?.endsWith('s') === false;
  // Scheduler rejects `rate(1 minutes)` and `rate(2 minute)`; catch it here, not at deploy time.
  if (n === 0 || (n === 1) !== singular) {
    throw new ConfigError(key, schedule, `"${schedule}" is not a valid rate expression`);
  }
  const factor = unit?.startsWith('minute') ? 1 : unit?.startsWith('hour') ? 60 : 1440;
  return n * factor;
};

/** How many ticks `schedule` starts a day (a valid expression of {@link scheduleGap}); prices a month. */
export const runsPerDay = (schedule: string, key: ScheduleSetting = 'schedule'): number => {
  scheduleGap(schedule, key);
  return RATE_PATTERN.test(schedule) ? 1440 / ratePeriod(schedule, key) : cronTimes(schedule, key).length;
};

/** The longest gap, in minutes, between daily start times (minutes after midnight, sorted). */
const gapsOf = (times: readonly number[]): number =>
  times.reduce((longest, t, i) => {
    const next = times[i + 1] ?? (times[0] ?? 0) + 1440;
    return Math.max(longest, next - t);
  }, 0);

/**
 * The daily start times, in minutes after midnight, of a `cron(min hour dom month dow year)`
 * expression that runs every day. Day, month and weekday fields must be `*` or `?`: a schedule
 * that skips days has gaps the home's staleness watch cannot tell from an outage.
 */
const cronTimes = (schedule: string, key: ScheduleSetting): number[] => {
  const match = CRON_PATTERN.exec(schedule);
  const invalid = (): ConfigError =>
    new ConfigError(
      key,
      schedule,
      `"${schedule}" is not a schedule expression (rate(N unit) or cron(6 fields))`,
    );
  if (!match) throw invalid();
  const fields = (match[1] ?? '').trim().split(/\s+/);
  if (fields.length !== 6 || !fields.every((f) => CRON_FIELD.test(f))) throw invalid();
  const [minute = '', hour = '', dom = '', month = '', dow = '', year = ''] = fields;
  if ((dom === '?') === (dow === '?')) throw invalid(); // Scheduler needs exactly one `?`.
  if (![dom, month, dow, year].every((f) => f === '*' || f === '?')) {
    throw new ConfigError(
      key,
      schedule,
      `"${schedule}" must run every day (day-of-month, month, day-of-week and year fields * or ?)`,
    );
  }
  const minutes = expandField(minute, 0, 59);
  const hours = expandField(hour, 0, 23);
  if (!minutes || !hours) throw invalid();
  return hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
};

/** Expands `*`, `N`, `a-b`, `*\/n`, `a/n`, `a-b/n` and comma lists; undefined when malformed. */
const expandField = (field: string, min: number, max: number): number[] | undefined => {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const start = m[1] === '*' ? min : Number(m[1]);
    const end = m[2] !== undefined ? Number(m[2]) : m[1] === '*' || m[3] !== undefined ? max : start;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (start < min || end > max || start > end || step < 1) return undefined;
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return [...values];
};
