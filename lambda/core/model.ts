/**
 * The vocabulary of bedrock-matrix (see README.md): every other module speaks in these types.
 * The string values are a public contract (report JSON, stored items, alerts): extend, never rename.
 */

import type { StoredRunKind } from '../shared/names';

export const ENDPOINTS = ['runtime', 'mantle'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export const APIS = ['converse', 'invoke', 'chat', 'responses', 'messages'] as const;
export type Api = (typeof APIS)[number];

/** The variants that check one feature of an api, in the order every output lists them. */
export const FEATURE_VARIANTS = ['stream', 'tools', 'stateful', 'background'] as const;
export type FeatureVariant = (typeof FEATURE_VARIANTS)[number];
export const isFeatureVariant = (v: string): v is FeatureVariant =>
  (FEATURE_VARIANTS as readonly string[]).includes(v);

export const VARIANTS = ['basic', ...FEATURE_VARIANTS, 'guardrail'] as const;
export type Variant = (typeof VARIANTS)[number];

export const STATUSES = [
  'supported',
  'unsupported',
  'not-found',
  'no-access',
  'enforced',
  'ignored',
  'throttled',
  'error',
  'skipped',
] as const;
export type Status = (typeof STATUSES)[number];

/** Transient statuses never count as a change and never move a confirmed state. */
const TRANSIENT_STATUSES: ReadonlySet<Status> = new Set(['throttled', 'error', 'skipped']);
export const isTransient = (status: Status): boolean => TRANSIENT_STATUSES.has(status);

/** Where a run's answers came from: real AWS or the local simulator. */
export const RUN_SOURCES = ['aws', 'simulator'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];

/** Which catalog told us a model exists. */
export const CATALOG_SOURCES = ['mantle-models', 'foundation-models', 'inference-profiles'] as const;
export type CatalogSource = (typeof CATALOG_SOURCES)[number];

/** Which feature variants each api can express; a cell outside this map is never planned. */
export const API_VARIANTS: Readonly<Record<Api, readonly FeatureVariant[]>> = {
  converse: ['stream', 'tools'],
  invoke: ['stream'],
  chat: ['stream', 'tools'],
  responses: ['stream', 'tools', 'stateful', 'background'],
  messages: ['stream', 'tools'],
};

/** Which apis each endpoint serves at all (docs/bedrock-wire.md: mantle has no Converse/InvokeModel). */
export const ENDPOINT_APIS: Readonly<Record<Endpoint, readonly Api[]>> = {
  runtime: ['converse', 'invoke', 'chat', 'responses', 'messages'],
  mantle: ['chat', 'responses', 'messages'],
};

/** Which InvokeModel body a model speaks; `null` = no known body (the cell is skipped). */
export type InvokeFamily = 'anthropic' | 'gpt-oss' | 'nova' | 'meta' | 'mistral';

/** The Guardrail the `guardrail` variant attaches. */
export interface ProbeGuardrail {
  readonly id: string;
  readonly version: string;
}

export interface Evidence {
  readonly httpStatus: number | null;
  readonly errorType: string | null;
  readonly errorCode: string | null;
  /** Trimmed, secret-free message. */
  readonly message: string | null;
  readonly route: string | null;
  readonly modelId: string | null;
  readonly latencyMs: number | null;
  readonly ttfbMs: number | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly responseIdPrefix: string | null;
  readonly requestId: string | null;
  /** Why: for skipped cells, and for decisions taken among alternatives. */
  readonly reason: string | null;
  /** Extension: the attempts (route / id / shape) tried before the status was decided, in order. */
  readonly tried?: readonly string[];
  /**
   * Extension, `guardrail` cells: the signals the verdict rests on, e.g. `bedrock-guardrails- id`,
   * `0 input tokens`, `configured blocked message` (see docs/bedrock-wire.md).
   */
  readonly guardrailSignals?: readonly string[];
  /** Extension, `guardrail` cells: account or organization guardrails enforced on every call. */
  readonly enforcedGuardrails?: readonly string[];
}

export const emptyEvidence = (over: Partial<Evidence> = {}): Evidence => ({
  httpStatus: null,
  errorType: null,
  errorCode: null,
  message: null,
  route: null,
  modelId: null,
  latencyMs: null,
  ttfbMs: null,
  inputTokens: null,
  outputTokens: null,
  responseIdPrefix: null,
  requestId: null,
  reason: null,
  ...over,
});

/**
 * Where one matrix is measured: a region of an AWS account. Every store key and port takes one,
 * so one home table holds every region of every account without collisions.
 */
export interface Scope {
  /** 12-digit AWS account id (DynamoDB Local's tables report `000000000000`). */
  readonly account: string;
  readonly region: string;
}

/** `123456789012/us-east-1`, for logs and messages. */
export const scopeLabel = (s: Scope): string => `${s.account}/${s.region}`;

export interface CellKey {
  readonly region: string;
  readonly model: string;
  readonly endpoint: Endpoint;
  readonly api: Api;
  readonly variant: Variant;
}

export interface CellResult extends CellKey {
  readonly status: Status;
  readonly evidence: Evidence;
  /** Extension: when the cell entered this status (from the confirmed state; absent for a fresh probe). */
  readonly since?: string;
  /** Extension: the run whose evidence this is (absent = the report's own `runId`). */
  readonly runId?: string;
}

export const cellId = (k: CellKey): string => `${k.region}|${k.model}|${k.endpoint}|${k.api}|${k.variant}`;

/** Just the coordinates of a cell (or anything keyed like one), in the order every writer uses. */
export const cellKeyOf = (k: CellKey): CellKey => ({
  region: k.region,
  model: k.model,
  endpoint: k.endpoint,
  api: k.api,
  variant: k.variant,
});

/** What the control plane declares about a model (ListFoundationModels), to compare with what was measured. */
export interface DeclaredModel {
  /** `ACTIVE`, `LEGACY`, ... with the dates the catalog gives (ISO). */
  readonly lifecycle?: {
    readonly status: string;
    readonly legacyTime?: string;
    readonly endOfLifeTime?: string;
  };
  readonly responseStreamingSupported?: boolean;
  readonly inferenceTypesSupported?: readonly string[];
}

export interface ModelEntry {
  /** One identity across hosts, e.g. `openai.gpt-oss-120b`. */
  readonly key: string;
  readonly provider: string;
  /** The ID that reaches the model per endpoint; absent = no way to reach it there. */
  readonly ids: { readonly runtime?: string; readonly mantle?: string };
  readonly sources: readonly CatalogSource[];
  /** Extension: what ListFoundationModels declares (absent when the model is not listed there). */
  readonly declared?: DeclaredModel;
}

export type ChangeKind =
  | 'cell'
  | 'model-added'
  | 'model-removed'
  /** A region gained or lost a whole host (its name started or stopped resolving). */
  | 'endpoint-appeared'
  | 'endpoint-disappeared'
  /** A LOW, once-only warning that a model becomes LEGACY or reaches end of life soon. */
  | 'retirement-notice';

export interface Change {
  readonly region: string;
  readonly model: string;
  readonly endpoint: Endpoint;
  /** null for model-added / model-removed changes. */
  readonly api: Api | null;
  readonly variant: Variant | null;
  readonly from: Status | null;
  readonly to: Status | null;
  /** Extension of the README.md shape; absent means `cell`. */
  readonly kind?: ChangeKind;
  readonly at?: string;
  readonly evidence?: Evidence;
  /** The retirement notice a `retirement-notice` change carries. */
  readonly notice?: ChangeNotice;
}

/** What moved and how, the kind spelled out (`cell` when absent): where every change writer starts. */
export const changeFactsOf = (c: Change) => ({
  region: c.region,
  model: c.model,
  endpoint: c.endpoint,
  api: c.api,
  variant: c.variant,
  from: c.from,
  to: c.to,
  kind: c.kind ?? ('cell' as const),
});

/** The two dates of a model's lifecycle a notice warns of. */
export const NOTICE_KINDS = ['legacy', 'end-of-life'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What a retirement notice names: the date, and its once-only identity (see core/retirement.ts). */
export interface ChangeNotice {
  /** `<model>|<kind>|<YYYY-MM-DD>`: one alert per model and date. */
  readonly key: string;
  readonly kind: NoticeKind;
  /** The date the catalog gives (ISO). */
  readonly date: string;
}

/** The Guardrail control (ApplyGuardrail): proves the probe Guardrail itself works in a region. */
export interface GuardrailControl {
  readonly region: string;
  readonly guardrailId: string;
  readonly guardrailVersion: string;
  readonly status: Status;
  readonly evidence: Evidence;
}

export type StatusCounts = Partial<Record<Status, number>>;

export interface Summary {
  readonly cells: number;
  readonly models: number;
  readonly probesSent: number;
  readonly byStatus: StatusCounts;
  /** Keyed `${endpoint}/${api}`; counts `basic` cells (one per model) and guardrail cells separately. */
  readonly byEndpointApi: Readonly<
    Record<
      string,
      {
        readonly basic: StatusCounts;
        readonly guardrail: StatusCounts;
        readonly features: Partial<Record<FeatureVariant, StatusCounts>>;
      }
    >
  >;
}

export interface Report {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly partial: boolean;
  readonly regions: readonly string[];
  readonly models: readonly ModelEntry[];
  readonly cells: readonly CellResult[];
  readonly changes: readonly Change[];
  readonly summary: Summary;
  /** Extension: where the run came from, so output can say it is simulated. */
  readonly source?: RunSource;
  readonly guardrailControls?: readonly GuardrailControl[];
  /** Extension: account/organization guardrails (ListEnforcedGuardrailsConfiguration) per region. */
  readonly enforcedGuardrails?: readonly EnforcedGuardrail[];
  /**
   * Extension: what made the run unhealthy, one line each (a catalog that failed or answered
   * something that is not a catalog, a whole host failing the same way, the store failing).
   * Absent or empty = healthy.
   */
  readonly problems?: readonly RunProblem[];
  /** Extension: how many days ahead retirement notices look (absent = the default, 30). */
  readonly noticeDays?: number;
  /**
   * Extension: the bedrock-matrix that made the report (`0.1.0`, `0.1.0+3e8f328` from a clone).
   * Absent in reports written before it was recorded.
   */
  readonly toolVersion?: string;
  /**
   * Extension: what kind of run the report shows, when one kind: `sweep` (the full matrix) or
   * `targeted` (only the models the sentinel saw change). Absent for a CLI run and older reports.
   */
  readonly runKind?: StoredRunKind;
}

/** One thing that went wrong for a whole region or host during a run (never a capability fact). */
export interface RunProblem {
  readonly region: string;
  /** What failed: `mantle`, `runtime`, `control` (the Bedrock control plane), `store`, `alert`. */
  readonly scope: 'mantle' | 'runtime' | 'control' | 'store' | 'alert';
  readonly message: string;
}

/** An account- or organization-level guardrail Bedrock applies to every call (facts: docs/bedrock-wire.md). */
export interface EnforcedGuardrail {
  readonly region: string;
  readonly guardrailId: string;
  readonly guardrailVersion: string | null;
  /** `ACCOUNT` or `ORGANIZATION` as the API names the owner, null when not given. */
  readonly owner: string | null;
  /** Models it is limited to / excluded from; empty = every model. */
  readonly includedModels: readonly string[];
  readonly excludedModels: readonly string[];
}

/**
 * What an adapter saw when it sent one probe: the raw material `classify` turns into a status.
 * Adapters fill what they can; nothing here is interpreted yet.
 */
export interface Observation {
  readonly endpoint: Endpoint;
  readonly api: Api;
  readonly variant: Variant;
  readonly route: string | null;
  readonly modelId: string;
  /** null when no HTTP answer arrived (timeout, connection refused). */
  readonly httpStatus: number | null;
  /** SDK exception name (`ValidationException`) or OpenAI/Anthropic error `type` (`invalid_request_error`). */
  readonly errorName: string | null;
  /** Machine code when the wire gives one (`invalid_api_key`, `model_not_found`). */
  readonly errorCode: string | null;
  /** Raw error message, untrimmed; classify trims and scrubs it. */
  readonly message: string | null;
  /** Parsed body of a 200 answer when it matters (200 with an error body, guardrail markers). */
  readonly body?: unknown;
  readonly timedOut?: boolean;
  readonly requestId?: string | null;
  readonly latencyMs?: number | null;
  readonly ttfbMs?: number | null;
  readonly inputTokens?: number | null;
  readonly outputTokens?: number | null;
  readonly responseId?: string | null;
  /**
   * Feature variants: did the feature behave as specified (stream had a delta and a clean end,
   * a tool call came back with parseable arguments, ...)? `detail` says what was seen.
   */
  readonly check?: { readonly passed: boolean; readonly detail: string };
  /**
   * Guardrail variant: what the answer said about intervention. `intervened` is the explicit
   * marker (stopReason `guardrail_intervened`, `amazon-bedrock-guardrailAction: INTERVENED`,
   * ...), null when the wire has no marker; `text` is the answer text to compare with the
   * configured blocked message.
   */
  readonly guardrail?: { readonly intervened: boolean | null; readonly text: string | null };
  /**
   * Response headers that carry meaning (lower-case names): `x-amzn-errortype` names the error
   * before any body does (throttling). Only headers the adapters pick; never request headers.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** Set by the adapter when a 2xx answer is not this api's answer shape (HTML, `{}`, cut stream). */
  readonly malformed?: string;
  /**
   * The answer ended on the token limit with thinking (reasoning) content and no text or tool
   * call: a model that thinks by default spent `max_tokens` thinking. Not a failure of the api.
   */
  readonly thinkingOnly?: boolean;
}
