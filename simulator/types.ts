/**
 * The local Bedrock simulator's contract: the scenario file shape and the `World` that every
 * host handler consults. Host handlers (hosts/runtime, hosts/openai, hosts/anthropic, control) only
 * translate between wire formats and these decisions; all behaviour lives in the scenario.
 */
import type { Host, SimApi, SimFeature } from './surface';

export type { Host, SimApi, SimFeature };

/** Which Bedrock InvokeModel body format a model speaks (also used for Converse text rendering). */
export type ModelFamily = 'anthropic' | 'gpt-oss' | 'nova' | 'meta' | 'mistral' | 'other';

/** How one api behaves for one model on one host. */
export interface ApiSupport {
  /**
   * Route prefixes that accept the model. Mantle chat/responses: `/v1` and/or `/openai/v1`.
   * Runtime chat/responses: `/openai/v1`; messages: `/anthropic/v1`; converse/invoke: ignored.
   */
  readonly routes?: readonly string[];
  /** Features that work on this api (stream, tools, stateful, background). */
  readonly features?: readonly SimFeature[];
}

export interface HostPresence {
  /** The ID this host knows the model by (mantle: bare; runtime: versioned foundation-model ID). */
  readonly id: string;
  /** Listed in this host's catalog (mantle `/v1/models`; runtime ListFoundationModels). @default true */
  readonly listed?: boolean;
  /** Runtime only: false = the bare ID answers "on-demand throughput isn't supported". @default true */
  readonly onDemand?: boolean;
  /** Runtime only: system inference profile IDs that reach the model (`us.anthropic.claude-sonnet-4-6`). */
  readonly profiles?: readonly string[];
  /** @default 'granted' */
  /** `iam-denied`: the caller's own IAM role lacks bedrock:InvokeModel (403 naming the action). */
  readonly access?: 'granted' | 'denied' | 'legacy-locked' | 'iam-denied';
  /** @default 'ACTIVE' */
  readonly lifecycle?: 'ACTIVE' | 'LEGACY' | 'EOL';
  /**
   * Runtime only: the catalog's `modelLifecycle.legacyTime` / `endOfLifeTime`. An ISO 8601 time,
   * or a whole-day duration (`P10D`) counted from the moment the catalog answers, so a scenario
   * file keeps a retirement the same distance ahead whenever it is run.
   */
  readonly legacyTime?: string;
  readonly endOfLifeTime?: string;
  /**
   * Runtime only: what the catalog declares as `responseStreamingSupported` when it differs from
   * what the model serves (the control plane is a document, not a measurement).
   * @default true when any api of the model streams
   */
  readonly declaredStreaming?: boolean;
  /** Api -> support; an api absent here is refused with the host's "not supported" error. */
  readonly apis: Partial<Record<SimApi, ApiSupport>>;
}

export interface ScenarioModel {
  /** Model key, one identity across hosts, e.g. `openai.gpt-oss-120b`. */
  readonly key: string;
  readonly provider: string;
  readonly name?: string;
  readonly family: ModelFamily;
  /**
   * Thinks before answering unless the request disables it (Messages `thinking: {type: disabled}`,
   * Converse `additionalModelRequestFields.thinking`), like Claude Sonnet 5: a tiny max_tokens is
   * spent thinking (brain.ts THINKING_TOKENS). Non-streaming answers only, and on Converse only
   * without a guardrail.
   */
  readonly thinksByDefault?: boolean;
  readonly runtime?: HostPresence;
  readonly mantle?: HostPresence;
}

export type GuardrailBehaviour = 'enforced' | 'ignored';

export interface ScenarioGuardrail {
  readonly id: string;
  /** Numeric versions that exist (plus `DRAFT`). */
  readonly versions: readonly string[];
  /** Word filter: any of these (case-insensitive substring) in the input is blocked. */
  readonly words: readonly string[];
  readonly blockedInputMessage: string;
  readonly blockedOutputMessage: string;
}

export interface ScenarioEnforcedGuardrail {
  readonly guardrailId: string;
  readonly guardrailVersion: string;
  /** Model IDs the configuration is limited to / excludes; absent = every model. */
  readonly includedModels?: readonly string[];
  readonly excludedModels?: readonly string[];
}

export type LatencySpec = { readonly fixedMs: number } | { readonly minMs: number; readonly maxMs: number };

export interface FaultMatch {
  readonly host?: Host;
  readonly api?: SimApi;
  /** Model ID or key as sent, or `*`. */
  readonly model?: string;
}

/** Faults that act on the whole HTTP exchange, before any handler: `control` is the control plane. */
export interface WireMatch {
  readonly host?: Host | 'control';
}

/**
 * Faults seen in the real world (see README "Simulator faults"). `count` = only the first N
 * matching calls; `percent` = each matching call independently, drawn from the scenario's
 * seeded generator so a run is repeatable.
 */
export type Fault =
  /** Matching calls get 429 throttling; needs a count, a percent, or both. */
  | {
      readonly type: 'throttle';
      readonly count?: number;
      readonly percent?: number;
      readonly match?: FaultMatch;
      /** `daily`: the refusal names the daily token quota ("Too many tokens per day"). */
      readonly quota?: 'daily';
    }
  /** Matching calls fail with a 5xx (503 default); neither count nor percent = every call. */
  | {
      readonly type: 'server-error';
      readonly status?: number;
      readonly count?: number;
      readonly percent?: number;
      readonly match?: FaultMatch;
    }
  /**
   * Matching streamed Responses calls answer 200, send their first delta, then end in
   * `response.failed` (`server_error`): the host failing after its 200.
   */
  | {
      readonly type: 'stream-failed';
      readonly count?: number;
      readonly percent?: number;
      readonly match?: FaultMatch;
    }
  /** Matching calls wait `delayMs` before answering (to push a probe past its timeout). */
  | { readonly type: 'slow'; readonly delayMs: number; readonly count?: number; readonly match?: FaultMatch }
  /** HTTP 200 with an HTML page or `{}` to every request of the host (a captive portal, a broken proxy). */
  | {
      readonly type: 'garbage';
      readonly body: 'html' | 'empty-object';
      readonly count?: number;
      readonly match?: WireMatch;
    }
  /** The first `count` catalog reads answer an empty list (mantle `/v1/models`, ListFoundationModels). */
  | { readonly type: 'empty-catalog'; readonly count: number; readonly match?: WireMatch }
  /** The host accepts the connection and reads the request, then never answers. */
  | { readonly type: 'silent'; readonly count?: number; readonly match?: WireMatch };

export type WireFault = Extract<Fault, { type: 'garbage' | 'empty-catalog' | 'silent' }>;
export type CallFault = Exclude<Fault, WireFault>;

/**
 * How one region differs from the scenario's surface (a region the scenario does not name serves
 * all of it): models it does not serve, hosts it does not have.
 */
export interface ScenarioRegion {
  /** Model keys this region does not serve: absent from its catalogs, answered as unknown models. */
  readonly withoutModels?: readonly string[];
  /** Hosts this region lacks (only `mantle`: every Bedrock region has the runtime). @default none */
  readonly withoutHosts?: readonly Host[];
}

/**
 * One AWS account of a simulated organization: the account facts that differ per account
 * (docs/bedrock-wire.md "Accounts on the wire"). An account the scenario does not name has none.
 */
export interface ScenarioAccount {
  /** Access key ids whose requests are this account's (SigV4 scope, or a short-term key's URL). */
  readonly accessKeyIds: readonly string[];
  /** Model keys this account has no access to: refused as `access: denied` is. @default none */
  readonly withoutAccess?: readonly string[];
  /** Model keys an SCP or IAM policy explicitly denies to this account's callers. @default none */
  readonly denied?: readonly string[];
  /** This account's ListEnforcedGuardrailsConfiguration answer. @default the scenario's `enforcedGuardrails` */
  readonly enforcedGuardrails?: readonly ScenarioEnforcedGuardrail[];
  /** The account's name, as Organizations would give it (the organization demo). @default the id */
  readonly name?: string;
  /** The name of the OU the account sits in (the organization demo). @default none */
  readonly ou?: string;
}

export interface Scenario {
  readonly name: string;
  readonly description?: string;
  /** The account a request whose credentials name no known access key is answered as. @default '123456789012' */
  readonly defaultAccount?: string;
  /** 12-digit account id -> its account facts; accounts not named have none. @default none */
  readonly accounts?: Readonly<Record<string, ScenarioAccount>>;
  /** The region a request whose credentials name none is answered as. @default 'us-east-1' */
  readonly defaultRegion?: string;
  /** Region name -> how that region differs; regions not named serve the whole scenario. @default none */
  readonly regions?: Readonly<Record<string, ScenarioRegion>>;
  /** Guardrail behaviour per host x api when a guardrail is attached and the input matches it. */
  readonly guardrailBehaviour: Partial<Record<Host, Partial<Record<SimApi, GuardrailBehaviour>>>>;
  readonly guardrails: readonly ScenarioGuardrail[];
  /** Account/organization guardrails ListEnforcedGuardrailsConfiguration lists (control plane only). */
  readonly enforcedGuardrails?: readonly ScenarioEnforcedGuardrail[];
  /** Wrong mantle route answers 400 `isn't supported on this route` by default; 401 `is not enabled` if set. */
  readonly wrongRouteStatus?: 400 | 401;
  readonly latency?: LatencySpec;
  /** Seed of the generator behind `percent` faults. @default 1 */
  readonly seed?: number;
  readonly faults?: readonly Fault[];
  readonly models: readonly ScenarioModel[];
}

/** A decision for one inference call, made by the World from the scenario. */
export type SimErrorKind =
  | 'not-found' // host does not know the ID (404 / "does not exist")
  | 'invalid-id' // runtime: "The provided model identifier is invalid."
  | 'unsupported-api' // model known, api refused
  | 'wrong-route' // mantle: model served under another prefix
  | 'no-access' // 403
  | 'iam-denied' // 403: the caller's IAM role lacks the action
  | 'legacy-locked' // runtime 404 "marked by provider as Legacy"
  | 'end-of-life' // runtime 404 "reached the end of its life"
  | 'needs-profile' // runtime: on-demand not supported, use an inference profile
  | 'unsupported-feature' // e.g. background on runtime Responses, tools on a model without tools
  | 'throttled' // 429
  | 'server-error'; // 5xx

export interface SimError {
  readonly kind: SimErrorKind;
  readonly status: number;
  /** Exact message for the host's wire shape (strings from docs/bedrock-wire.md where it gives them). */
  readonly message: string;
}

export interface CallRequest {
  readonly host: Host;
  /** The region the call is answered as (simulator/region.ts). */
  readonly region: string;
  /** The account the call is answered as (simulator/account.ts). @default the scenario's default account */
  readonly account?: string;
  readonly api: SimApi;
  /** Route prefix the call arrived on (`/v1`, `/openai/v1`, `/anthropic/v1`), null for converse/invoke. */
  readonly route: string | null;
  /** Model ID exactly as sent. */
  readonly modelId: string;
  /** Features this particular call exercises. */
  readonly features: readonly SimFeature[];
  /** The full called path, e.g. `/v1/responses`, for "does not support the '<path>' API" messages. */
  readonly path: string;
}

export type Decision =
  | {
      readonly ok: true;
      readonly model: ScenarioModel;
      /** Guardrail behaviour for this host x api in this scenario. */
      readonly guardrail: GuardrailBehaviour;
      /** A `stream-failed` fault: the stream ends in failure after its 200. */
      readonly streamFails?: boolean;
    }
  | { readonly ok: false; readonly error: SimError };

/** One recorded call, for tests and for `--control` inspection (never holds secrets). */
export interface CallRecord {
  readonly at: string;
  readonly host: Host | 'control';
  readonly method: string;
  readonly path: string;
  readonly api: SimApi | null;
  readonly modelId: string | null;
  /** 0 = never answered (a `silent` fault). */
  readonly status: number;
  /** `sigv4`, `bearer`, or `none`: how the call authenticated. */
  readonly auth: 'sigv4' | 'bearer' | 'none';
  /** Guardrail identifier seen on the call (header, guardrailConfig or body), if any. */
  readonly guardrailId: string | null;
}

/** What every host handler gets: the live scenario and its bookkeeping. */
export interface World {
  readonly scenario: Scenario;
  /** Decide one inference call: faults and latency first, then catalog, access, api, route, features. */
  decide(req: CallRequest): Promise<Decision>;
  /**
   * Check a guardrail attached to a call. Returns the blocked message if `text` trips the
   * guardrail's word filter, null if it passes; throws a SimError-shaped 400/404 if the
   * guardrail id or version is unknown.
   */
  checkGuardrail(id: string, version: string, text: string, source: 'INPUT' | 'OUTPUT'): GuardrailVerdict;
  /** Stored Responses (mantle and runtime), keyed by response id. */
  readonly responses: Map<string, StoredResponse>;
  record(call: CallRecord): void;
  readonly calls: readonly CallRecord[];
  /** Replace the scenario while serving (fault counters reset). */
  setScenario(next: Scenario): void;
  /** The fault that takes this whole exchange over (garbage, empty catalog, silence), if any. */
  wireFault(req: Pick<SimRequest, 'host' | 'method' | 'path'>): WireAction | null;
}

export type WireAction =
  | { readonly kind: 'garbage'; readonly body: 'html' | 'empty-object' }
  | { readonly kind: 'empty-catalog'; readonly catalog: 'mantle' | 'control' }
  | { readonly kind: 'silent' };

export type GuardrailVerdict =
  | { readonly found: false; readonly error: SimError }
  | { readonly found: true; readonly blocked: false }
  | { readonly found: true; readonly blocked: true; readonly message: string; readonly matchedWord: string };

export interface StoredResponse {
  readonly id: string;
  readonly host: Host;
  readonly model: string;
  /** The conversation so far (input turns and output text), for previous_response_id recall. */
  readonly transcript: readonly { readonly role: 'user' | 'assistant'; readonly text: string }[];
  status: 'queued' | 'in_progress' | 'completed' | 'cancelled' | 'failed';
  /** Full Responses API object as last returned. */
  body: Record<string, unknown>;
}

/** How a call authenticated, as parsed from its headers (never holds the secret itself). */
export interface AuthInfo {
  readonly kind: 'sigv4' | 'bearer' | 'none';
  /** Well-formed for this host (bearer `bedrock-api-key-` + a presigned CallWithBearerToken URL; SigV4 header shape). */
  readonly valid: boolean;
  /** Why not valid, for the host's error message. */
  readonly problem?: string;
}

/** A request as host handlers see it: framework-free, body already read. */
export interface SimRequest {
  readonly host: Host | 'control';
  readonly method: string;
  /** Path without the query string, percent-decoding NOT applied (handlers decode path params). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
  readonly auth: AuthInfo;
  /** The region the request is answered as: its credentials' region, else the scenario's default. */
  readonly region: string;
  /** The account the request is answered as: its access key's account, else the scenario's default. */
  readonly account: string;
}

/** The minimal response surface shared by node:http and node:http2 compat responses. */
export interface SimResponse {
  writeHead(status: number, headers?: Record<string, string | number>): unknown;
  write(chunk: string | Uint8Array): unknown;
  end(chunk?: string | Uint8Array): unknown;
  readonly writableEnded: boolean;
}

/** A host handler: answers the request and returns true, or returns false when the path is not its. */
export type HostHandler = (world: World, req: SimRequest, res: SimResponse) => Promise<boolean>;
