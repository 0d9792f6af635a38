/**
 * Names shared by the prober Lambda and the CDK code. Both import this module so a metric,
 * environment variable or key attribute can never drift between what is deployed and what runs.
 * No runtime dependencies: it is bundled into the Lambda and read at synth time.
 */

/** Environment variables the prober Lambda reads (set by the CDK stack). */
export const ENV = {
  tableName: 'BEDROCK_MATRIX_TABLE_NAME',
  topicArn: 'BEDROCK_MATRIX_TOPIC_ARN',
  guardrailId: 'BEDROCK_MATRIX_GUARDRAIL_ID',
  guardrailVersion: 'BEDROCK_MATRIX_GUARDRAIL_VERSION',
  canary: 'BEDROCK_MATRIX_CANARY',
  /** Comma list of model globs to include (empty = all). */
  includeModels: 'BEDROCK_MATRIX_INCLUDE_MODELS',
  /** Comma list of model globs to exclude. */
  excludeModels: 'BEDROCK_MATRIX_EXCLUDE_MODELS',
  /** Comma list of apis to probe (empty = all). */
  apis: 'BEDROCK_MATRIX_APIS',
  maxTokens: 'BEDROCK_MATRIX_MAX_TOKENS',
  concurrency: 'BEDROCK_MATRIX_CONCURRENCY',
  /** Probe calls in flight on one model (all its endpoints, routes and IDs together). */
  perModelConcurrency: 'BEDROCK_MATRIX_PER_MODEL_CONCURRENCY',
  historyTtlDays: 'BEDROCK_MATRIX_HISTORY_TTL_DAYS',
  confirmCount: 'BEDROCK_MATRIX_CONFIRM_COUNT',
  /** Days ahead a retirement notice is given. */
  noticeDays: 'BEDROCK_MATRIX_NOTICE_DAYS',
  /** Cap on probe calls per run. */
  maxCalls: 'BEDROCK_MATRIX_MAX_CALLS',
  /** Cap on tokens (in + out) per run. */
  maxRunTokens: 'BEDROCK_MATRIX_MAX_RUN_TOKENS',
  /** Timeout of one probe call. */
  probeTimeoutMs: 'BEDROCK_MATRIX_PROBE_TIMEOUT_MS',
  /** Timeout of one call to the control plane, DynamoDB, CloudWatch or SNS. */
  dependencyTimeoutMs: 'BEDROCK_MATRIX_DEPENDENCY_TIMEOUT_MS',
  /** Timeout of the first call to each mantle model (cold starts). */
  mantleFirstCallTimeoutMs: 'BEDROCK_MATRIX_MANTLE_FIRST_TIMEOUT_MS',
  /** Largest probe answer read, in MB. */
  maxAnswerMb: 'BEDROCK_MATRIX_MAX_ANSWER_MB',
  metricsNamespace: 'BEDROCK_MATRIX_METRICS_NAMESPACE',
  /**
   * Region of the results table (the home region). A region's prober writes there across regions.
   * @default the function's own region
   */
  tableRegion: 'BEDROCK_MATRIX_TABLE_REGION',
  /** The AWS account a function measures or watches (its scope's account; the stack's own). */
  account: 'BEDROCK_MATRIX_ACCOUNT',
  /** Home only: comma list of the probed regions the home watches and shows. */
  regions: 'BEDROCK_MATRIX_REGIONS',
  /** Home only: a region whose last sign of life (sentinel tick or run start) is older than this is stale. */
  staleAfterMinutes: 'BEDROCK_MATRIX_STALE_AFTER_MINUTES',
} as const;

/** Local-testing endpoint overrides (README.md contract). The Lambda never sets them. */
export const ENDPOINT_OVERRIDE_ENV = {
  runtime: 'BEDROCK_MATRIX_RUNTIME_URL',
  mantle: 'BEDROCK_MATRIX_MANTLE_URL',
  control: 'BEDROCK_MATRIX_CONTROL_URL',
  dynamodb: 'BEDROCK_MATRIX_DYNAMODB_URL',
} as const;

export const METRICS_NAMESPACE = 'BedrockMatrix';

/** Name of the stack of one probed region (the CDK app's and the CLI's `--stack` default). */
export const stackNameFor = (region: string): string => `BedrockMatrix-${region}`;

/** Name of the home stack: one per account, in the home region (table, topics, dashboard, alarms). */
export const HOME_STACK_NAME = 'BedrockMatrix-Home';

/**
 * Physical name of the results table in the home region. Fixed, so a region stack (and, in an
 * organization, a StackSet's member template) can name it without a cross-region reference.
 */
export const HOME_TABLE_NAME = 'bedrock-matrix-results';

/**
 * Output keys of the home and region stacks (lib/home-stack.ts, lib/region-stack.ts), read back by the CLI's `--stack`
 * (cli/stack-outputs.ts), so the deployed table is found by its stack, not guessed by name.
 */
export const STACK_OUTPUTS = {
  tableName: 'TableName',
  topicArn: 'TopicArn',
  topicName: 'TopicName',
  opsTopicArn: 'OpsTopicArn',
  opsTopicName: 'OpsTopicName',
  functionName: 'FunctionName',
  widgetFunctionName: 'WidgetFunctionName',
  /** Region of the results table (a region stack's table lives in its home region). */
  tableRegion: 'TableRegion',
  homeFunctionName: 'HomeFunctionName',
} as const;

/** The `source` of every change event on the default EventBridge bus (IAM limits PutEvents to it). */
export const EVENT_SOURCE = 'bedrock-matrix';

/**
 * The home's few series, each without dimensions: one per deployment, not one per region (the
 * alert text names the region; per-region detail lives in the table and the widget).
 */
export const HOME_METRICS = {
  /** Confirmed changes that the home notified (SNS and EventBridge), any kind. */
  confirmedChanges: 'ConfirmedChanges',
  /** Of those, changes of `guardrail` cells. */
  guardrailChanges: 'GuardrailChanges',
  /** Probed regions silent longer than the stale threshold (no sentinel tick, no run). Missing = the home's watch stopped. */
  staleRegions: 'StaleRegions',
  /** Probed regions whose last run failed (nothing probed) or ended partial. */
  failingRegions: 'FailingRegions',
} as const;

/**
 * What a prober invocation does, named in its event (`kind`) and, for runs, in the run record. The
 * region stack's two schedules send `sweep` (the full matrix, for drift in models whose catalog
 * entry did not change) and `sentinel` (read the free catalogs; when they changed since the last
 * stored run, a `targeted` run of only the changed models, in the same invocation). In an
 * organization's member, `account` reads the account's own facts (lambda/member/account-tick.ts).
 */
export const RUN_KINDS = ['sweep', 'targeted', 'sentinel', 'account'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** The kinds a stored run (and a report of one) has: a sentinel tick that found nothing stores no run. */
export const STORED_RUN_KINDS = ['sweep', 'targeted'] as const satisfies readonly RunKind[];
export type StoredRunKind = (typeof STORED_RUN_KINDS)[number];

/** Minutes between two watch ticks of the home function (its schedule, and the alert window of lambda/home/notifier.ts). */
export const WATCH_PERIOD_MINUTES = 5;

/** The results table's key design lives in table-schema.ts; re-exported for existing imports. */
export { TABLE } from './table-schema';

/** SNS message attributes set on every alert, for subscription filter policies. */
export const ALERT_ATTRIBUTES = {
  region: 'region',
  severity: 'severity',
  changeCount: 'changeCount',
} as const;

export const DEFAULTS = {
  maxTokens: 16,
  concurrency: 8,
  /**
   * Calls in flight on one model: real per-model quotas answer 429 when one model gets many
   * parallel calls (6 were measured at concurrency 8 before this cap, issue 23).
   */
  perModelConcurrency: 2,
  historyTtlDays: 90,
  confirmCount: 2,
  canary: 'BMX-CANARY-7F3A9C',
  /** Per-probe timeout. */
  probeTimeoutMs: 20_000,
  /** One call to the control plane, DynamoDB, CloudWatch or SNS (each page of a listing). */
  dependencyTimeoutMs: 10_000,
  /** Largest probe answer read, in MB (a 16-token answer is a few KB). */
  maxAnswerMb: 4,
} as const;

/**
 * The probe Guardrail's blocked messages. The stack configures its Guardrail with them and the
 * prober recognises them in answers that carry no intervention marker (Chat, Messages).
 */
export const GUARDRAIL_MESSAGES = {
  input: '[bedrock-matrix] blocked by probe guardrail (input)',
  output: '[bedrock-matrix] blocked by probe guardrail (output)',
} as const;
