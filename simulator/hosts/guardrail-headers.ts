/**
 * The guardrail as the OpenAI-compatible and Anthropic paths take it: `X-Amzn-Bedrock-Guardrail*`
 * headers (docs/bedrock-wire.md), enforced or silently ignored as the scenario says per host x api.
 */
import type { BrainReply } from '../brain';
import type { Decision, GuardrailVerdict, SimError, SimRequest } from '../types';
import type { Exchange } from './exchange';

/** The guardrail headers, as node lower-cases them; InvokeModel takes the same three. */
export const GUARDRAIL_HEADER = {
  id: 'x-amzn-bedrock-guardrailidentifier',
  version: 'x-amzn-bedrock-guardrailversion',
  trace: 'x-amzn-bedrock-trace',
} as const;

export function guardrailHeaders(req: SimRequest): {
  readonly id: string | null;
  readonly version: string | null;
  readonly trace: boolean;
} {
  const id = req.headers[GUARDRAIL_HEADER.id]?.trim() || null;
  const version = req.headers[GUARDRAIL_HEADER.version]?.trim() || null;
  const trace = (req.headers[GUARDRAIL_HEADER.trace] ?? '').toUpperCase().startsWith('ENABLED');
  return { id, version, trace };
}

export type GuardOutcome =
  | { readonly action: 'pass' }
  | { readonly action: 'blocked'; readonly message: string }
  | { readonly action: 'error'; readonly error: SimError };

/**
 * Apply the guardrail headers as this host x api does in the scenario: `ignored` lets the call
 * through untouched (the drift the product watches for); `enforced` checks the input text.
 */
export function applyGuardrail(x: Exchange, decision: Decision, inputText: string): GuardOutcome {
  if (!decision.ok || decision.guardrail !== 'enforced') return { action: 'pass' };
  const { id, version } = guardrailHeaders(x.req);
  if (!id) return { action: 'pass' };
  if (!version) {
    // Guessed wording: the docs only say both headers are required.
    return {
      action: 'error',
      error: {
        kind: 'unsupported-feature',
        status: 400,
        message:
          'X-Amzn-Bedrock-GuardrailVersion is required when X-Amzn-Bedrock-GuardrailIdentifier is set.',
      },
    };
  }
  let verdict: GuardrailVerdict;
  try {
    verdict = x.world.checkGuardrail(id, version, inputText, 'INPUT');
  } catch (err) {
    const e = err as Partial<SimError>;
    if (typeof e.status === 'number' && typeof e.message === 'string') {
      return {
        action: 'error',
        error: { kind: e.kind ?? 'not-found', status: e.status, message: e.message },
      };
    }
    throw err;
  }
  if (!verdict.found) return { action: 'error', error: verdict.error };
  return verdict.blocked ? { action: 'blocked', message: verdict.message } : { action: 'pass' };
}

/** The reply a blocked input gets: the configured message, no model call, nothing billed. */
export function blockedReply(message: string): BrainReply {
  return { text: message, toolCall: null, inputTokens: 0, outputTokens: 0, stopReason: 'end' };
}
