/**
 * The probe adapters: `createProber` implements the engine's `Prober` port with the real SDKs,
 * one attempt per call; every answer, error and timeout becomes an Observation and nothing throws
 * for an API answer.
 */
import { defaultRoute } from '../../core/endpoints';
import type { Observation } from '../../core/model';
import type { ProbeGuardrail, ProbeRequest, Prober } from '../../engine/probe-port';
import { DEFAULTS } from '../../shared/names';
import { probeApplyGuardrail } from './apply-guardrail';
import type { ProbeClients } from './clients';
import { probeConverse } from './converse';
import { probeInvoke } from './invoke';
import { probeMessages } from './messages';
import { errorFields, type Fields, identityOf, ProbeCall, probeSignal } from './observe';
import { BACKGROUND_POLL_MS, probeChat, probeResponses } from './openai-compat';

export {
  ANTHROPIC_VERSION,
  createProbeClients,
  hostUrl,
  type ProbeClientOptions,
  type ProbeClients,
} from './clients';

export interface ProberOptions {
  /** Per probe, the follow-up calls of stateful and background probes included. @default 20000 */
  readonly timeoutMs?: number;
  /**
   * How often a background response is polled; the probe's timeout bounds the whole wait.
   * @default 250
   */
  readonly backgroundPollMs?: number;
}

export function createProber(clients: ProbeClients, options: ProberOptions = {}): Prober {
  const timeoutMs = checkPositive('probe timeoutMs', options.timeoutMs ?? DEFAULTS.probeTimeoutMs);
  const pollMs = checkPositive('backgroundPollMs', options.backgroundPollMs ?? BACKGROUND_POLL_MS);
  return (req, signal) =>
    observe(req, signal, req.timeoutMs ?? timeoutMs, (call) => {
      switch (req.api) {
        case 'converse':
          return probeConverse(clients.runtime, req, call);
        case 'invoke':
          return probeInvoke(clients.runtime, req, call);
        case 'chat': {
          const route = req.route ?? defaultRoute(req.endpoint, 'chat');
          return probeChat(clients.openai(req.endpoint, route), req, call);
        }
        case 'responses': {
          const route = req.route ?? defaultRoute(req.endpoint, 'responses');
          return probeResponses(clients.openai(req.endpoint, route), req, call, pollMs);
        }
        case 'messages': {
          const route = req.route ?? defaultRoute(req.endpoint, 'messages');
          return probeMessages(clients.anthropic(req.endpoint, route), req, call);
        }
      }
    });
}

export interface ApplyGuardrailOptions extends ProbeGuardrail {
  readonly canary: string;
  /** @default 20000 */
  readonly timeoutMs?: number;
  /** @default never aborted */
  readonly signal?: AbortSignal;
}

/**
 * The ApplyGuardrail control. It is no cell of the matrix: its Observation uses api `converse`,
 * variant `guardrail`, endpoint `runtime`, and names the guardrail as the model ID
 * (`guardrail/<id>:<version>`). `guardrail.intervened` = action `GUARDRAIL_INTERVENED`.
 */
export function applyGuardrail(clients: ProbeClients, options: ApplyGuardrailOptions): Promise<Observation> {
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
    guardrail: { id: options.id, version: options.version },
    canary: options.canary,
  };
  const timeoutMs = checkPositive('probe timeoutMs', options.timeoutMs ?? DEFAULTS.probeTimeoutMs);
  return observe(req, options.signal, timeoutMs, (call) =>
    probeApplyGuardrail(clients.runtime, options, options.canary, call),
  );
}

function checkPositive(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`${name} must be > 0, got ${ms}`);
  return ms;
}

/** One probe: the call under a per-probe timeout; any throw becomes the error fields. */
async function observe(
  req: ProbeRequest,
  outer: AbortSignal | undefined,
  timeoutMs: number,
  probe: (call: ProbeCall) => Promise<Fields>,
): Promise<Observation> {
  const { signal, timedOut, done } = probeSignal(outer, timeoutMs);
  const call = new ProbeCall(signal);
  const started = performance.now();
  try {
    return { ...identityOf(req), ...(await probe(call)) };
  } catch (err) {
    return {
      ...identityOf(req),
      latencyMs: Math.round(performance.now() - started),
      ...errorFields(err, timedOut(), call.progress),
    };
  } finally {
    done();
  }
}
