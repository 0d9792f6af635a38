/**
 * The one settings spec. Each setting names its CDK context key, the prober Lambda's environment
 * variable and the CLI flag (where it has them), its parser, bounds, default and meaning; the CDK
 * config (lib/config.ts), the Lambda config (lambda/config.ts) and the CLI (cli/settings.ts) all
 * derive from it, and a test holds the README tables to it. No runtime dependencies: bundled
 * into the Lambda and read at synth time and by the CLI.
 */
import { APIS, type Api } from '../core/model';
import { DEFAULT_NOTICE_DAYS, MAX_NOTICE_DAYS } from '../core/retirement';
import { DEFAULTS, ENV } from './names';

/** A parsed value, or the reason it is wrong (the reason quotes the value; callers add the name). */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

export interface Setting<T> {
  /** Name of the setting in the config objects. */
  readonly key: string;
  /** CDK context key (`-c key=value`), when the stack takes it. */
  readonly context?: string;
  /** Environment variable of the prober Lambda, when the stack passes it on. */
  readonly env?: string;
  /** CLI flag, when the CLI takes it. */
  readonly flag?: string;
  /** The CLI falls back to the environment variable when the flag is absent. */
  readonly cliReadsEnv?: boolean;
  /** Value when nothing is set (`undefined` = unset). */
  readonly default: T;
  /** The default as the README tables write it. */
  readonly defaultText: string;
  /** The allowed values as the README tables write them. */
  readonly bounds: string;
  readonly doc: string;
  readonly parse: (text: string) => Parsed<T>;
}

/** The one region pattern (the name's shape; BEDROCK_REGIONS says where Bedrock runs). */
export const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$/;
/**
 * Regions where Amazon Bedrock runs (docs/bedrock-wire.md "Regions": the mantle list plus the regions that
 * serve only the runtime host, and other documented Bedrock regions). A typo such as
 * `us-east-9` matches the region pattern, so the pattern alone is not enough: `cdk synth` and
 * every CLI `--region` refuse a name outside this list with the same words, before any work.
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

// One @, no spaces, a dot in the domain; SNS confirms the address anyway.
const EMAIL_PATTERN = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const GLOB_PATTERN = /^[A-Za-z0-9.*?:_-]+$/;
// A canary must survive a word filter intact: printable, no commas (context lists), not blank.
const CANARY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _-]{5,99}$/;
// Real guardrail IDs are [a-z0-9]+; a dash is allowed too, so local scenarios can use readable ones.
const GUARDRAIL_ID_PATTERN = /^([a-z0-9-]{1,64}|arn:aws[a-z-]*:bedrock:\S+)$/i;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Splits a comma list, dropping blanks and duplicates. */
export const splitList = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ),
];

/** Turns a context value (string, number, boolean, JSON array) into the text the parsers read. */
export const settingText = (raw: unknown): string | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw.join(',');
  return JSON.stringify(raw);
};

const integer =
  (min: number, max: number) =>
  (text: string): Parsed<number> => {
    const t = text.trim();
    if (!/^\d+$/.test(t)) return bad(`"${text}" is not a whole number`);
    const n = Number(t);
    return n < min || n > max ? bad(`${n} is out of range (${min} to ${max})`) : ok(n);
  };

const optionalInteger =
  (min: number, max: number) =>
  (text: string): Parsed<number | undefined> =>
    text.trim() === '' ? ok(undefined) : integer(min, max)(text);

const list =
  (check: (item: string) => string | undefined) =>
  (text: string): Parsed<readonly string[]> => {
    const items = splitList(text);
    for (const item of items) {
      const problem = check(item);
      if (problem !== undefined) return bad(`"${item}" ${problem}`);
    }
    return ok(items);
  };

/** Why one region name is refused, or undefined. */
export const regionProblem = (r: string): string | undefined => {
  // `--region "us-east-1 eu-west-1"` or `-c regions="a b"`: one item with a blank in it.
  if (/\s/.test(r)) {
    const parts = r.split(/\s+/).filter((p) => p !== '');
    return `holds spaces: give several regions as a comma list (${parts.join(',')})`;
  }
  if (!REGION_PATTERN.test(r)) return 'is not an AWS region name (e.g. us-east-1)';
  if (!BEDROCK_REGIONS.includes(r)) return 'is not an AWS region where Amazon Bedrock runs';
  return undefined;
};

const globs = list((g) =>
  GLOB_PATTERN.test(g) ? undefined : 'is not a model glob (letters, digits, . - _ : and * ? only)',
);

const apis = (text: string): Parsed<readonly Api[]> => {
  for (const a of splitList(text)) {
    if (!(APIS as readonly string[]).includes(a))
      return bad(`unknown api "${a}" (expected ${APIS.join(', ')})`);
  }
  return ok(splitList(text) as Api[]);
};

const boolean = (text: string): Parsed<boolean> => {
  const t = text.trim().toLowerCase();
  if (t === 'true') return ok(true);
  if (t === 'false' || t === '') return ok(false);
  return bad(`"${text}" is not true or false`);
};

const trimmed =
  (pattern: RegExp, problem: string) =>
  (text: string): Parsed<string> => {
    const t = text.trim();
    return pattern.test(t) ? ok(t) : bad(`"${text}" ${problem}`);
  };

const setting = <T>(spec: Setting<T>): Setting<T> => spec;

/** Every setting; the order is the order of the README table. */
export const SETTINGS = {
  regions: setting<readonly string[]>({
    key: 'regions',
    context: 'regions',
    flag: '--region',
    default: ['us-east-1'],
    defaultText: '`us-east-1` (CLI: required)',
    bounds: 'regions where Bedrock runs',
    doc: 'comma list of regions to probe; the app deploys one region stack per region',
    parse: list(regionProblem),
  }),
  home: setting<string | undefined>({
    key: 'home',
    context: 'home',
    default: undefined,
    defaultText: 'the first of `regions`',
    bounds: 'a region where Bedrock runs',
    doc: 'region of the home stack: the results table of every region, the alert topics, the dashboard and the alarms',
    parse: (text) => {
      const t = text.trim();
      if (t === '') return ok(undefined);
      const problem = regionProblem(t);
      return problem === undefined ? ok(t) : bad(`"${t}" ${problem}`);
    },
  }),
  schedule: setting<string>({
    key: 'schedule',
    context: 'schedule',
    // Daily: the full sweep is for drift in models whose catalog entry did not change; new and
    // changed catalog entries are the catalog sentinel's job (issue 23: minutes, not a day). A
    // daily sweep costs a twenty-fourth of an hourly one in tokens, Lambda time and writes.
    default: 'rate(1 day)',
    defaultText: '`rate(1 day)`',
    bounds: '15 min to 1 day',
    doc: 'the full sweep of every region: EventBridge Scheduler `rate(…)` or daily `cron(…)`; daily by default, the cost lever (tokens, Lambda time, writes)',
    parse: (text) => ok(text.trim()),
  }),
  sentinelSchedule: setting<string>({
    key: 'sentinelSchedule',
    context: 'sentinelSchedule',
    // Every 5 minutes: the catalogs are free to read, and a tick costs about a second of the
    // prober (cost/model.ts prices it); a new model's matrix then lands within ~10 minutes.
    default: 'rate(5 minutes)',
    defaultText: '`rate(5 minutes)`',
    bounds: '1 min to 1 hour',
    doc: 'how often each region reads the free catalogs; a change starts a targeted run of the changed models at once',
    parse: (text) => ok(text.trim()),
  }),
  alarmEmails: setting<readonly string[]>({
    key: 'alarmEmails',
    context: 'alarmEmails',
    default: [],
    defaultText: 'empty',
    bounds: 'e-mail addresses',
    doc: 'comma list of e-mail subscribers of the alerts and ops topics',
    parse: list((e) => (EMAIL_PATTERN.test(e) ? undefined : 'is not an e-mail address')),
  }),
  includeModels: setting<readonly string[]>({
    key: 'includeModels',
    context: 'includeModels',
    env: ENV.includeModels,
    flag: '--models',
    default: [],
    defaultText: 'empty (all)',
    bounds: 'model-key globs',
    doc: 'only model keys matching these globs',
    parse: globs,
  }),
  excludeModels: setting<readonly string[]>({
    key: 'excludeModels',
    context: 'excludeModels',
    env: ENV.excludeModels,
    flag: '--exclude-models',
    default: [],
    defaultText: 'empty',
    bounds: 'model-key globs',
    doc: 'skip model keys matching these globs',
    parse: globs,
  }),
  apis: setting<readonly Api[]>({
    key: 'apis',
    context: 'apis',
    env: ENV.apis,
    flag: '--apis',
    default: [],
    defaultText: 'empty (all)',
    bounds: APIS.join(','),
    doc: 'only these apis',
    parse: apis,
  }),
  maxTokens: setting<number>({
    key: 'maxTokens',
    context: 'maxTokens',
    env: ENV.maxTokens,
    flag: '--max-tokens',
    default: DEFAULTS.maxTokens,
    defaultText: String(DEFAULTS.maxTokens),
    bounds: '1..4096',
    doc: '`max_tokens` per probe',
    parse: integer(1, 4096),
  }),
  concurrency: setting<number>({
    key: 'concurrency',
    context: 'concurrency',
    env: ENV.concurrency,
    flag: '--concurrency',
    default: DEFAULTS.concurrency,
    defaultText: String(DEFAULTS.concurrency),
    bounds: '1..64',
    doc: 'probes in flight at once',
    parse: integer(1, 64),
  }),
  perModelConcurrency: setting<number>({
    key: 'perModelConcurrency',
    context: 'perModelConcurrency',
    env: ENV.perModelConcurrency,
    flag: '--per-model-concurrency',
    default: DEFAULTS.perModelConcurrency,
    defaultText: String(DEFAULTS.perModelConcurrency),
    bounds: '1..16',
    doc: 'probes in flight at once on one model (every endpoint, route and ID of it together), so no per-model quota answers 429',
    parse: integer(1, 16),
  }),
  canary: setting<string>({
    key: 'canary',
    context: 'canary',
    env: ENV.canary,
    flag: '--canary',
    cliReadsEnv: true,
    default: DEFAULTS.canary,
    defaultText: `\`${DEFAULTS.canary}\``,
    bounds: '6-100 letters, digits, space, _ or -',
    doc: "the phrase the probe Guardrail's word filter blocks",
    parse: trimmed(
      CANARY_PATTERN,
      'must be 6-100 letters, digits, spaces, _ or -, starting with a letter or digit',
    ),
  }),
  historyTtlDays: setting<number>({
    key: 'historyTtlDays',
    context: 'historyTtlDays',
    env: ENV.historyTtlDays,
    default: DEFAULTS.historyTtlDays,
    defaultText: String(DEFAULTS.historyTtlDays),
    bounds: '1..3650',
    doc: 'days of per-cell history (DynamoDB TTL)',
    parse: integer(1, 3650),
  }),
  confirmCount: setting<number>({
    key: 'confirmCount',
    context: 'confirmCount',
    env: ENV.confirmCount,
    flag: '--confirm',
    default: DEFAULTS.confirmCount,
    defaultText: String(DEFAULTS.confirmCount),
    bounds: '0..5',
    doc: 're-probes that must agree before a change is believed',
    parse: integer(0, 5),
  }),
  noticeDays: setting<number>({
    key: 'noticeDays',
    context: 'noticeDays',
    env: ENV.noticeDays,
    flag: '--notice-days',
    default: DEFAULT_NOTICE_DAYS,
    defaultText: String(DEFAULT_NOTICE_DAYS),
    bounds: `0..${MAX_NOTICE_DAYS}`,
    doc: 'days ahead a model’s LEGACY or end-of-life date is announced (reports, one LOW alert per model and date)',
    parse: integer(0, MAX_NOTICE_DAYS),
  }),
  maxCalls: setting<number>({
    key: 'maxCalls',
    context: 'maxCalls',
    env: ENV.maxCalls,
    flag: '--max-calls',
    default: 0,
    defaultText: '0 (no cap)',
    bounds: '0..1000000',
    doc: 'cap on probe calls per run and region, retries included',
    parse: integer(0, 1_000_000),
  }),
  maxRunTokens: setting<number>({
    key: 'maxRunTokens',
    context: 'maxRunTokens',
    env: ENV.maxRunTokens,
    flag: '--max-run-tokens',
    default: 0,
    defaultText: '0 (no cap)',
    bounds: '0..100000000',
    doc: 'stop starting probes once the run has spent this many tokens (in + out)',
    parse: integer(0, 100_000_000),
  }),
  probeTimeoutMs: setting<number>({
    key: 'probeTimeoutMs',
    context: 'probeTimeoutMs',
    env: ENV.probeTimeoutMs,
    flag: '--timeout',
    default: DEFAULTS.probeTimeoutMs,
    defaultText: String(DEFAULTS.probeTimeoutMs),
    bounds: '100..900000',
    doc: 'timeout of one probe call, in ms',
    parse: integer(100, 900_000),
  }),
  dependencyTimeoutMs: setting<number>({
    key: 'dependencyTimeoutMs',
    context: 'dependencyTimeoutMs',
    env: ENV.dependencyTimeoutMs,
    flag: '--dependency-timeout',
    default: 10_000,
    defaultText: '10000',
    bounds: '100..120000',
    doc: 'timeout of one call to the Bedrock control plane, DynamoDB, CloudWatch or SNS, in ms',
    parse: integer(100, 120_000),
  }),
  mantleFirstCallTimeoutMs: setting<number>({
    key: 'mantleFirstCallTimeoutMs',
    context: 'mantleFirstCallTimeoutMs',
    env: ENV.mantleFirstCallTimeoutMs,
    flag: '--mantle-first-timeout',
    default: 120_000,
    defaultText: '120000',
    bounds: '1000..600000',
    doc: 'timeout of the first call to each mantle model, in ms (mantle cold starts take 60 s and more)',
    parse: integer(1000, 600_000),
  }),
  maxAnswerMb: setting<number>({
    key: 'maxAnswerMb',
    context: 'maxAnswerMb',
    env: ENV.maxAnswerMb,
    flag: '--max-answer-mb',
    default: DEFAULTS.maxAnswerMb,
    defaultText: String(DEFAULTS.maxAnswerMb),
    bounds: '1..64',
    doc: 'largest probe answer read, in MB; past it the cell is `error` ("answer larger than N MB")',
    parse: integer(1, 64),
  }),
  guardrailId: setting<string | undefined>({
    key: 'guardrailId',
    env: ENV.guardrailId,
    flag: '--guardrail-id',
    cliReadsEnv: true,
    default: undefined,
    defaultText: 'the stack’s guardrail (CLI: none)',
    bounds: 'guardrail ID or ARN',
    doc: 'the probe Guardrail; with its version it enables `guardrail` cells',
    parse: (text) =>
      text.trim() === ''
        ? ok(undefined)
        : trimmed(GUARDRAIL_ID_PATTERN, 'is not a guardrail ID or ARN')(text),
  }),
  guardrailVersion: setting<string | undefined>({
    key: 'guardrailVersion',
    env: ENV.guardrailVersion,
    flag: '--guardrail-version',
    cliReadsEnv: true,
    default: undefined,
    defaultText: 'the stack’s pinned version (CLI: none)',
    bounds: 'a version number or DRAFT',
    doc: 'version of the probe Guardrail',
    parse: (text) =>
      text.trim() === '' ? ok(undefined) : trimmed(/^(\d+|DRAFT)$/, 'is not a version number or DRAFT')(text),
  }),
  subscribeModels: setting<boolean>({
    key: 'subscribeModels',
    context: 'subscribeModels',
    default: false,
    defaultText: 'false',
    bounds: 'true or false',
    doc: 'let the prober subscribe to third-party models through AWS Marketplace on first call',
    parse: boolean,
  }),
  reservedConcurrency: setting<number | undefined>({
    key: 'reservedConcurrency',
    context: 'reservedConcurrency',
    default: undefined,
    defaultText: 'unset',
    bounds: '1..1000',
    doc: 'reserved concurrency of the prober function; runs are kept apart by a lease item anyway',
    parse: optionalInteger(1, 1000),
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;
/** The value type of a setting. */
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K] extends Setting<infer T> ? T : never;

/** The settings in README order. */
export const SETTING_LIST: readonly Setting<unknown>[] = Object.values(SETTINGS);

/** Parses `text` (absent = the default) with the setting's parser. */
export const parseSetting = <K extends SettingKey>(
  key: K,
  text: string | undefined,
): Parsed<SettingValue<K>> => {
  const spec = SETTINGS[key] as unknown as Setting<SettingValue<K>>;
  return text === undefined ? ok(spec.default) : spec.parse(text);
};
