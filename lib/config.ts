import type { Node } from 'constructs';
import { APIS, type Api } from '../lambda/core/model';
import { DEFAULTS } from '../lambda/shared/names';

/**
 * Validated configuration of the CDK app, read from `cdk.json` context (overridable with `-c`).
 * Everything is checked before a construct is built so a typo fails `cdk synth` with one line
 * naming the key and the value instead of a half-built stack or a failed deployment.
 */
export interface MatrixConfig {
  /** Regions to deploy one monitoring stack to. */
  readonly regions: readonly string[];
  /** EventBridge Scheduler expression, `rate(...)` or `cron(...)`. */
  readonly schedule: string;
  /** Longest gap between two scheduled runs, in minutes (sizes the heartbeat alarm). */
  readonly schedulePeriodMinutes: number;
  /** E-mail addresses subscribed to the alerts topic (may be empty). */
  readonly alarmEmails: readonly string[];
  /** Model-key globs to include (empty = all). */
  readonly includeModels: readonly string[];
  /** Model-key globs to exclude. */
  readonly excludeModels: readonly string[];
  /** Apis to probe (empty = all). */
  readonly apis: readonly Api[];
  readonly maxTokens: number;
  readonly concurrency: number;
  readonly canary: string;
  readonly historyTtlDays: number;
  readonly confirmCount: number;
  /** Cap on probe calls per run; 0 = no cap. */
  readonly maxCalls: number;
}

/** A configuration value is wrong; `message` is one line naming the context key and the value. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`Invalid context "${key}": ${JSON.stringify(value)} ${reason}`);
    this.name = 'ConfigError';
  }
}

/**
 * Regions where Amazon Bedrock runs (BEDROCK-FACTS §1.4: the mantle list plus the regions that
 * serve only the runtime host, and other documented Bedrock regions). A typo such as
 * `us-east-9` matches the region pattern, so the pattern alone is not enough.
 */
export const BEDROCK_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'ca-central-1',
  'ca-west-1',
  'mx-central-1',
  'sa-east-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'af-south-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
];

/** The context keys read by {@link readConfig}, with the defaults used when a key is absent. */
export const CONTEXT_DEFAULTS = {
  regions: 'us-east-1',
  schedule: 'rate(1 hour)',
  alarmEmails: '',
  includeModels: '',
  excludeModels: '',
  apis: '',
  maxTokens: DEFAULTS.maxTokens,
  concurrency: DEFAULTS.concurrency,
  canary: DEFAULTS.canary,
  historyTtlDays: DEFAULTS.historyTtlDays,
  confirmCount: DEFAULTS.confirmCount,
  maxCalls: 0,
} as const;

export type ContextKey = keyof typeof CONTEXT_DEFAULTS;

/**
 * Bounds of the schedule period. Shorter than the prober's timeout and runs would queue behind
 * the reserved concurrency of 1; longer than a day and the "no run for two periods" heartbeat
 * alarm would exceed what one CloudWatch alarm can evaluate at that resolution.
 */
export const MIN_SCHEDULE_MINUTES = 15;
export const MAX_SCHEDULE_MINUTES = 24 * 60;

const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
// Deliberately simple: one @, no spaces, a dot in the domain. SNS confirms the address anyway.
const EMAIL_PATTERN = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const GLOB_PATTERN = /^[A-Za-z0-9._:/*?-]+$/;
// A canary must survive a word filter intact: printable, no commas (context lists), not blank.
const CANARY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _-]{5,99}$/;

/** Reads a context key, falling back to the default; only `node.tryGetContext` is needed. */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

/** Reads and validates the app configuration from construct context. Throws {@link ConfigError}. */
export const readConfig = (scope: { readonly node: Node } | ContextSource): MatrixConfig => {
  const source: ContextSource = 'node' in scope ? scope.node : scope;
  const raw = (key: ContextKey): unknown => {
    const value = source.tryGetContext(key);
    return value === undefined || value === null ? CONTEXT_DEFAULTS[key] : value;
  };

  const regions = parseRegions(raw('regions'));
  const schedule = stringValue('schedule', raw('schedule')).trim();
  const schedulePeriodMinutes = schedulePeriod(schedule);
  return {
    regions,
    schedule,
    schedulePeriodMinutes,
    alarmEmails: parseList('alarmEmails', raw('alarmEmails'), (item) =>
      EMAIL_PATTERN.test(item) ? undefined : 'is not an e-mail address',
    ),
    includeModels: parseGlobs('includeModels', raw('includeModels')),
    excludeModels: parseGlobs('excludeModels', raw('excludeModels')),
    apis: parseList('apis', raw('apis'), (item) =>
      (APIS as readonly string[]).includes(item) ? undefined : `is not an api (one of ${APIS.join(', ')})`,
    ) as readonly Api[],
    maxTokens: parseInteger('maxTokens', raw('maxTokens'), 1, 4096),
    concurrency: parseInteger('concurrency', raw('concurrency'), 1, 64),
    canary: parseCanary(raw('canary')),
    historyTtlDays: parseInteger('historyTtlDays', raw('historyTtlDays'), 1, 3650),
    confirmCount: parseInteger('confirmCount', raw('confirmCount'), 0, 5),
    maxCalls: parseInteger('maxCalls', raw('maxCalls'), 0, 100_000),
  };
};

const stringValue = (key: ContextKey, value: unknown): string => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  throw new ConfigError(key, value, 'is not a string');
};

/** Splits a comma list (or takes a JSON array from cdk.json), checking each item. */
const parseList = (
  key: ContextKey,
  value: unknown,
  check: (item: string) => string | undefined,
): readonly string[] => {
  const items = stringValue(key, value)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const item of items) {
    const problem = check(item);
    if (problem !== undefined) throw new ConfigError(key, item, problem);
  }
  return [...new Set(items)];
};

const parseRegions = (value: unknown): readonly string[] => {
  const regions = parseList('regions', value, (item) => {
    if (!REGION_PATTERN.test(item)) return 'is not an AWS region name';
    return BEDROCK_REGIONS.includes(item) ? undefined : 'is not an AWS region where Amazon Bedrock runs';
  });
  if (regions.length === 0) throw new ConfigError('regions', value, 'names no region');
  return regions;
};

const parseGlobs = (key: ContextKey, value: unknown): readonly string[] =>
  parseList(key, value, (item) =>
    GLOB_PATTERN.test(item) ? undefined : 'is not a model glob (letters, digits, . _ : / - * ? only)',
  );

const parseInteger = (key: ContextKey, value: unknown, min: number, max: number): number => {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^-?\d+$/.test(text)) throw new ConfigError(key, value, 'is not an integer');
  const n = Number(text);
  if (n < min || n > max) throw new ConfigError(key, value, `is out of range ${min}..${max}`);
  return n;
};

const parseCanary = (value: unknown): string => {
  const canary = stringValue('canary', value).trim();
  if (!CANARY_PATTERN.test(canary)) {
    throw new ConfigError(
      'canary',
      value,
      'is not a canary phrase (6-100 letters, digits, spaces, _ or -, starting with a letter or digit)',
    );
  }
  return canary;
};

const RATE_PATTERN = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON_PATTERN = /^cron\(([^()]+)\)$/;
const CRON_FIELD = /^[A-Za-z0-9*?,/#L W-]+$/;

/** Returns the longest gap between two runs of `schedule` in minutes, or throws ConfigError. */
export const schedulePeriod = (schedule: string): number => {
  const minutes = RATE_PATTERN.test(schedule) ? ratePeriod(schedule) : cronPeriod(schedule);
  if (minutes < MIN_SCHEDULE_MINUTES || minutes > MAX_SCHEDULE_MINUTES) {
    throw new ConfigError(
      'schedule',
      schedule,
      `runs every ${minutes} minutes; allowed is ${MIN_SCHEDULE_MINUTES} minutes to 1 day`,
    );
  }
  return minutes;
};

const ratePeriod = (schedule: string): number => {
  const [, value, unit] = RATE_PATTERN.exec(schedule) ?? [];
  const n = Number(value);
  const singular = unit?.endsWith('s') === false;
  // Scheduler rejects `rate(1 minutes)` and `rate(2 minute)`; catch it here, not at deploy time.
  if (n === 0 || (n === 1) !== singular) {
    throw new ConfigError('schedule', schedule, 'is not a valid rate expression');
  }
  const factor = unit?.startsWith('minute') ? 1 : unit?.startsWith('hour') ? 60 : 1440;
  return n * factor;
};

/**
 * Computes the longest gap of a `cron(min hour dom month dow year)` expression that runs every
 * day. Day, month and weekday fields must be `*` or `?`: a schedule that skips days has gaps the
 * heartbeat alarm cannot tell from an outage.
 */
const cronPeriod = (schedule: string): number => {
  const match = CRON_PATTERN.exec(schedule);
  const invalid = (): ConfigError =>
    new ConfigError('schedule', schedule, 'is not a schedule expression (rate(N unit) or cron(6 fields))');
  if (!match) throw invalid();
  const fields = (match[1] ?? '').trim().split(/\s+/);
  if (fields.length !== 6 || !fields.every((f) => CRON_FIELD.test(f))) throw invalid();
  const [minute = '', hour = '', dom = '', month = '', dow = '', year = ''] = fields;
  if ((dom === '?') === (dow === '?')) throw invalid(); // Scheduler needs exactly one `?`.
  if (![dom, month, dow, year].every((f) => f === '*' || f === '?')) {
    throw new ConfigError(
      'schedule',
      schedule,
      'must run every day (day-of-month, month, day-of-week and year fields * or ?)',
    );
  }
  const minutes = expandField(minute, 0, 59);
  const hours = expandField(hour, 0, 23);
  if (!minutes || !hours) throw invalid();
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
  return times.reduce((longest, t, i) => {
    const next = times[i + 1] ?? (times[0] ?? 0) + 1440;
    return Math.max(longest, next - t);
  }, 0);
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
