/**
 * The port between the probe engine and the SDK adapters: one call, one Observation. Alternatives
 * (other route, inference profile) and retries are the engine's business, not the adapter's.
 */
import type { Api, Endpoint, InvokeFamily, Observation, ProbeGuardrail, Variant } from '../core/model';

// Plan (pure core) speaks these too, so they live in the core vocabulary; re-exported for adapters.
export type { InvokeFamily, ProbeGuardrail } from '../core/model';

export interface ProbeRequest {
  readonly region: string;
  readonly endpoint: Endpoint;
  readonly api: Api;
  readonly variant: Variant;
  readonly modelKey: string;
  /** The ID sent on the wire (bare mantle ID, versioned runtime ID, or inference profile ID). */
  readonly modelId: string;
  /** Route prefix for the OpenAI-compatible and Messages apis (`/v1`, `/openai/v1`, `/anthropic/v1`); null for converse/invoke. */
  readonly route: string | null;
  /** For `invoke`: the body format. */
  readonly family: InvokeFamily | null;
  readonly maxTokens: number;
  /** For the `guardrail` variant: the probe Guardrail to attach. */
  readonly guardrail: ProbeGuardrail | null;
  /** The canary phrase the probe Guardrail's word filter blocks. */
  readonly canary: string;
  /**
   * `alternate`: the other request shape the api accepts, tried when the default shape got a
   * 400 nobody recognises (chat: `max_tokens` for `max_completion_tokens`; responses: `input` as
   * a message list; messages: content as text blocks). @default 'default'
   */
  readonly shape?: RequestShape;
  /**
   * This call's timeout, when the engine chose one (mantle's first call to a model is slow to
   * start; the run's deadline caps every call). @default the prober's `timeoutMs`
   */
  readonly timeoutMs?: number;
}

export type RequestShape = 'default' | 'alternate';

/** Apis with a second request shape worth trying before a 400 is left unexplained. */
export const SHAPED_APIS: ReadonlySet<string> = new Set(['chat', 'responses', 'messages']);

/**
 * Sends one probe. Never throws for an API answer: every answer (and timeout) becomes an
 * Observation. `signal` ends the call early; @default the request's own timeout only.
 */
export type Prober = (req: ProbeRequest, signal?: AbortSignal) => Promise<Observation>;
