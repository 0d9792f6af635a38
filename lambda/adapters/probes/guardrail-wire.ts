/**
 * How the probe Guardrail rides on each api's request (docs/bedrock-wire.md, "Guardrail signals"):
 * Converse takes `guardrailConfig`, InvokeModel its guardrail parameters, and the OpenAI-compatible
 * and Messages paths the `X-Amzn-Bedrock-Guardrail*` headers. Only `guardrail` probes attach it.
 * What an answer says back is read by core/guardrail-verdict.ts (`guardrailAction`).
 */
import type { ConverseCommandInput, InvokeModelCommandInput } from '@aws-sdk/client-bedrock-runtime';
import type { ProbeRequest } from '../../engine/probe-port';

const guardrailOf = (req: ProbeRequest) => (req.variant === 'guardrail' ? req.guardrail : null);

export function converseGuardrail(req: ProbeRequest): Pick<ConverseCommandInput, 'guardrailConfig'> {
  const g = guardrailOf(req);
  return g
    ? { guardrailConfig: { guardrailIdentifier: g.id, guardrailVersion: g.version, trace: 'enabled' } }
    : {};
}

/** The SDK sends these as the `X-Amzn-Bedrock-Guardrail*` headers of InvokeModel. */
export function invokeGuardrail(
  req: ProbeRequest,
): Pick<InvokeModelCommandInput, 'guardrailIdentifier' | 'guardrailVersion' | 'trace'> {
  const g = guardrailOf(req);
  return g ? { guardrailIdentifier: g.id, guardrailVersion: g.version, trace: 'ENABLED' } : {};
}

export function guardrailHeaders(req: ProbeRequest): Record<string, string> {
  const g = guardrailOf(req);
  if (!g) return {};
  return {
    'X-Amzn-Bedrock-GuardrailIdentifier': g.id,
    'X-Amzn-Bedrock-GuardrailVersion': g.version,
    'X-Amzn-Bedrock-Trace': 'ENABLED',
  };
}

/**
 * Per-call options of the header-carrying apis (Chat, Responses, Messages): the abort signal, the
 * guardrail headers, and a client timeout past the probe's own.
 */
export function headerCallOptions(req: ProbeRequest, signal: AbortSignal) {
  return {
    signal,
    headers: guardrailHeaders(req),
    // The probe's signal ends the call; the SDK's timeout is only a backstop just beyond it.
    ...(req.timeoutMs !== undefined ? { timeout: req.timeoutMs + 1000 } : {}),
  };
}
