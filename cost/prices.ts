/**
 * The prices `npm run cost` uses: us-east-1 list prices in USD, with the date they were read and
 * where. Plain data, so a price change is one line here and the README figure test says which
 * README numbers moved. Free tiers are NOT subtracted: they are per account, shared with whatever
 * else the account runs, so a region's cost is priced as if they were used up.
 */

export interface Price {
  readonly usd: number;
  /** What one `usd` buys. */
  readonly per: string;
  readonly source: string;
}

const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const DYNAMODB = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
const S3 = 'https://aws.amazon.com/s3/pricing/';

export const PRICES_DATE = '2026-12-06';
export const PRICES_REGION = 'us-east-1';

export const PRICES = {
  /** Prorated by the hour: a series costs only in the hours it receives data (the home's get data every tick). */
  metricSeriesMonth: { usd: 0.3, per: 'custom metric series a month (first 10,000)', source: CLOUDWATCH },
  putMetricDataRequests: { usd: 0.01, per: '1,000 PutMetricData requests', source: CLOUDWATCH },
  /** Per metric an alarm reads: a metric-math alarm over 3 metrics is 3 alarm metrics. */
  alarmMetricMonth: { usd: 0.1, per: 'standard-resolution alarm metric a month', source: CLOUDWATCH },
  highResAlarmMetricMonth: { usd: 0.3, per: 'high-resolution alarm metric a month', source: CLOUDWATCH },
  compositeAlarmMonth: { usd: 0.5, per: 'composite alarm a month', source: CLOUDWATCH },
  /** The first 3 dashboards of an account are free; not subtracted (see the file comment). */
  dashboardMonth: { usd: 3, per: 'dashboard a month', source: CLOUDWATCH },
  logIngestGb: { usd: 0.5, per: 'GB of log data ingested', source: CLOUDWATCH },
  logStorageGbMonth: { usd: 0.03, per: 'GB-month of log data stored', source: CLOUDWATCH },
  kmsKeyMonth: {
    usd: 1,
    per: 'customer-managed KMS key a month',
    source: 'https://aws.amazon.com/kms/pricing/',
  },
  lambdaArmGbSecond: { usd: 0.0000133334, per: 'GB-second (arm64)', source: LAMBDA },
  lambdaX86GbSecond: { usd: 0.0000166667, per: 'GB-second (x86_64)', source: LAMBDA },
  lambdaRequests: { usd: 0.2, per: 'million requests', source: LAMBDA },
  schedulerInvocations: {
    usd: 1,
    per: 'million scheduler invocations (14 million a month free, not subtracted)',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
  },
  dynamoWriteUnits: { usd: 0.625, per: 'million write request units (on demand)', source: DYNAMODB },
  dynamoReadUnits: { usd: 0.125, per: 'million read request units (on demand)', source: DYNAMODB },
  dynamoStorageGbMonth: { usd: 0.25, per: 'GB-month of table storage', source: DYNAMODB },
  dynamoPitrGbMonth: { usd: 0.2, per: 'GB-month of point-in-time recovery', source: DYNAMODB },
  /** Content, denied-topic and sensitive-information filters; the word filter is free. */
  guardrailContentTextUnits: {
    usd: 0.15,
    per: '1,000 text units (content filter; 1 text unit = up to 1,000 characters)',
    source: 'https://aws.amazon.com/bedrock/pricing/',
  },
  /** A region writing to the home table (and reading it back) crosses regions; the home region does not. */
  interRegionTransferGb: {
    usd: 0.02,
    per: 'GB transferred between two AWS regions (us-east-1 out)',
    source: 'https://aws.amazon.com/ec2/pricing/on-demand/ (Data Transfer, to another AWS Region)',
  },
  snsPublishes: { usd: 0.5, per: 'million SNS publishes', source: 'https://aws.amazon.com/sns/pricing/' },
  eventBridgeEvents: {
    usd: 1,
    per: 'million custom events',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
  },
} as const satisfies Record<string, Price>;

export type PriceTable = typeof PRICES;

/**
 * The prices only an organization adds (cost/org-model.ts, cost/org-home.ts), apart so that the
 * single-account `npm run cost` prints the price list it always printed. A custom event
 * (PRICES.eventBridgeEvents) is billed per 64 KB chunk of an entry.
 */
export const ORG_PRICES = {
  /**
   * A member's rule delivering its events to the organization's bus in the home account. The
   * pricing page prices cross-account events per event *sent*: the sender pays, and the model
   * takes the receiving bus as not billing them again. It has long listed them at $1.00 per
   * million; AWS's price list (service AWSEvents, operation CrossAccountInvoke-CustomEvent)
   * lists $0.05 per million cross-account deliveries of custom events. Priced at the higher: an
   * upper bound.
   */
  eventBridgeCrossAccountEvents: {
    usd: 1,
    per: 'million events delivered to an event bus in another account (64 KB chunks, billed to the sender)',
    source:
      'https://aws.amazon.com/eventbridge/pricing/ ("Cross-account events"); AWS price list AWSEvents, CrossAccountInvoke-CustomEvent',
  },
  s3StorageGbMonth: { usd: 0.023, per: 'GB-month of S3 Standard storage', source: S3 },
  s3GetRequests: { usd: 0.0004, per: '1,000 S3 GET requests', source: S3 },
  /**
   * The home's inbox queue: every API call on it is a request, each 64 KB chunk of a message one
   * request, an empty receive too; the queue's owner pays, whoever calls (EventBridge's
   * SendMessage, Lambda's pollers). Standard queue, first 100 billion a month.
   */
  sqsRequests: {
    usd: 0.4,
    per: 'million SQS standard queue requests (each 64 KB chunk one; the first million a month free, not subtracted)',
    source: 'https://aws.amazon.com/sqs/pricing/',
  },
} as const satisfies Record<string, Price>;

export type OrgPriceTable = typeof ORG_PRICES;

/** One model's on-demand token price, USD per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly source: string;
}

const BEDROCK = 'https://aws.amazon.com/bedrock/pricing/';
/** Prices found only in public code that prices Bedrock models, not yet checked against AWS's page. */
const PUBLIC_CODE =
  'public price tables in code found by search, unverified against https://aws.amazon.com/bedrock/pricing/';
const LITELLM =
  'https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json (bedrock, bedrock_mantle)';

/**
 * On-demand prices of the models the simulator's `today` world probes, by model key (the bare
 * mantle spelling). A model not listed is priced at the dearest listed model of its provider (the
 * key's first segment), or of the whole table when its provider has none: an upper bound, and
 * `npm run cost` names every model priced that way.
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'amazon.nova-micro': { input: 0.035, output: 0.14, source: BEDROCK },
  'amazon.nova-lite': { input: 0.06, output: 0.24, source: LITELLM },
  'amazon.nova-pro': { input: 0.8, output: 3.2, source: BEDROCK },
  'amazon.nova-premier': { input: 2.5, output: 12.5, source: BEDROCK },
  'amazon.nova-2-lite': { input: 0.3, output: 2.5, source: LITELLM },
  'meta.llama3-3-70b-instruct': { input: 0.72, output: 0.72, source: BEDROCK },
  'anthropic.claude-3-haiku-20240307': { input: 0.25, output: 1.25, source: BEDROCK },
  'anthropic.claude-3-5-sonnet-20240620': { input: 3, output: 15, source: BEDROCK },
  'anthropic.claude-haiku-4-5': { input: 1, output: 5, source: BEDROCK },
  'anthropic.claude-sonnet-4-5': { input: 3, output: 15, source: BEDROCK },
  'anthropic.claude-sonnet-4-6': { input: 3, output: 15, source: BEDROCK },
  'anthropic.claude-opus-4-7': { input: 5, output: 25, source: BEDROCK },
  'openai.gpt-oss-120b': { input: 0.15, output: 0.6, source: LITELLM },
  'openai.gpt-oss-20b': { input: 0.075, output: 0.3, source: LITELLM },
  'openai.gpt-oss-safeguard-120b': { input: 0.15, output: 0.6, source: LITELLM },
  'openai.gpt-oss-safeguard-20b': { input: 0.075, output: 0.3, source: LITELLM },
  'openai.gpt-5.4': { input: 2.75, output: 16.5, source: LITELLM },
  'deepseek.r1': { input: 1.35, output: 5.4, source: BEDROCK },
  'deepseek.v3.1': { input: 0.58, output: 1.68, source: BEDROCK },
  'qwen.qwen3-32b': { input: 0.15, output: 0.6, source: BEDROCK },
  'qwen.qwen3-235b-a22b-2507': { input: 0.22, output: 0.88, source: BEDROCK },
  'qwen.qwen3-coder-30b-a3b-instruct': { input: 0.15, output: 0.6, source: BEDROCK },
  'qwen.qwen3-coder-480b-a35b-instruct': { input: 0.45, output: 1.8, source: BEDROCK },
  'mistral.mistral-large-3-675b-instruct': { input: 0.5, output: 1.5, source: BEDROCK },
  'deepseek.v3.2': { input: 0.62, output: 1.85, source: PUBLIC_CODE },
  'google.gemma-3-4b-it': { input: 0.04, output: 0.08, source: PUBLIC_CODE },
  'google.gemma-3-12b-it': { input: 0.09, output: 0.29, source: PUBLIC_CODE },
  'google.gemma-3-27b-it': { input: 0.23, output: 0.38, source: PUBLIC_CODE },
  'qwen.qwen3-next-80b-a3b': { input: 0.14, output: 1.2, source: PUBLIC_CODE },
  'qwen.qwen3-vl-235b-a22b': { input: 0.53, output: 2.66, source: PUBLIC_CODE },
};
