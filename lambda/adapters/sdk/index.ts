/**
 * The probe adapters: `createProber` implements the engine's `Prober` port with the real SDKs,
 * one attempt per call; every answer and every failure becomes an Observation.
 */
import type { Observation } from '../../core/model';
import type { ProbeGuardrail, ProbeRequest, Prober } from '../../engine/probe-port';
import type { ProbeClients } from './clients';
import { probeMessages } from './messages';
import { baseOf, errorFields, type Fields, probeSignal } from './observe';
import { probeChat, probeResponses } from './openai-compat';
import { probeApplyGuardrail, probeConverse, probeInvoke } from './runtime-native';

export { createProbeClients, hostUrl, type ProbeClients } from './clients';

export interface ProberOptions {
  /** Per probe, stateful and background probes' follow-up calls included. @default 20000 */
  readonly timeoutMs?: number;
}

export function createProber(clients: ProbeClients, options: ProberOptions = {}): Prober {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return (req, outer) =>
    observe(req, outer, timeoutMs, (signal) => {
      switch (req.api) {
        case 'converse':
          return probeConverse(clients.runtime, req, signal);
        case 'invoke':
          return probeInvoke(clients.runtime, req, signal);
        case 'chat':
          return probeChat(clients.openai(req.endpoint, req.route ?? '/openai/v1'), req, signal);
        case 'responses':
          return probeResponses(clients.openai(req.endpoint, req.route ?? '/openai/v1'), req, signal);
        case 'messages':
          return probeMessages(clients.anthropic(req.endpoint), req, signal);
      }
    });
}

/**
 * The ApplyGuardrail control. It is no cell of the matrix; its Observation names the guardrail
 * as the model ID (`guardrail/<id>:<version>`) and uses api `converse`, variant `guardrail`.
 */
export function applyGuardrail(
  clients: ProbeClients,
  options: ProbeGuardrail & {
    readonly canary: string;
    readonly timeoutMs?: number;
    readonly signal?: AbortSignal;
  },
): Promise<Observation> {
  const req: ProbeRequest = {
    region: clients.region,
    endpoint: 'runtime',
    api: 'converse',
    variant: 'guardrail',
    modelKey: `guardrail/${options.id}`,
    modelId: `guardrail/${options.id}:${options.version}`,
    route: null,
    family: null,
    maxTokens: 0,
    guardrail: options,
    canary: options.canary,
  };
  return observe(req, options.signal ?? new AbortController().signal, options.timeoutMs ?? 20_000, (signal) =>
    probeApplyGuardrail(clients.runtime, options, options.canary, signal),
  );
}

async function observe(
  req: ProbeRequest,
  outer: AbortSignal,
  timeoutMs: number,
  call: (signal: AbortSignal) => Promise<Fields>,
): Promise<Observation> {
  const { signal, timedOut, done } = probeSignal(outer, timeoutMs);
  const started = performance.now();
  try {
    return { ...baseOf(req), ...(await call(signal)) };
  } catch (err) {
    return {
      ...baseOf(req),
      latencyMs: Math.round(performance.now() - started),
      ...errorFields(err, timedOut()),
    };
  } finally {
    done();
  }
}
