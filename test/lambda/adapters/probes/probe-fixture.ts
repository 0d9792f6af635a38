/**
 * Shared set-up of the probe adapter tests: a local simulator, real SDK clients pointed at it
 * through the `env` option (never process.env), and a request builder with the tiny scenario's IDs.
 */
import { createProbeClients, createProber, type ProbeClients } from '../../../../lambda/adapters/probes';
import type { ProbeRequest, Prober } from '../../../../lambda/engine/probe-port';
import { DEFAULTS, ENDPOINT_OVERRIDE_ENV } from '../../../../lambda/shared/names';
import { loadScenario } from '../../../../simulator/scenario';
import type { Fault, Scenario } from '../../../../simulator/types';
import { SIM_CREDENTIALS, type TestSimulator, withSimulator } from '../../../support/simulator';

export const CANARY = DEFAULTS.canary;
export const GUARDRAIL = { id: 'gr-probe', version: '1' } as const;
export const BLOCKED_INPUT = '[bedrock-matrix] blocked by probe guardrail (input)';

/** IDs of the tiny scenario (simulator/scenarios/tiny.json). */
export const IDS = {
  gptOssRuntime: 'openai.gpt-oss-20b-1:0',
  gptOssMantle: 'openai.gpt-oss-20b',
  claudeBare: 'anthropic.claude-sonnet-4-6',
  claudeProfile: 'us.anthropic.claude-sonnet-4-6',
  gpt54: 'openai.gpt-5.4',
  nova: 'amazon.nova-micro-v1:0',
  llamaDenied: 'meta.llama3-70b-instruct-v1:0',
} as const;

export interface ProbeWorld {
  readonly sim: TestSimulator;
  readonly clients: ProbeClients;
  readonly probe: Prober;
  readonly env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** The tiny scenario, optionally with faults injected. */
export async function tinyScenario(faults: readonly Fault[] = []): Promise<Scenario> {
  const tiny = await loadScenario('tiny');
  return { ...tiny, faults: [...(tiny.faults ?? []), ...faults] };
}

export async function startProbeWorld(options: { faults?: readonly Fault[]; timeoutMs?: number } = {}) {
  const sim = await withSimulator(await tinyScenario(options.faults));
  const env = {
    [ENDPOINT_OVERRIDE_ENV.runtime]: sim.urls.runtime,
    [ENDPOINT_OVERRIDE_ENV.mantle]: sim.urls.mantle,
  };
  const clients = createProbeClients({
    region: sim.region,
    credentials: SIM_CREDENTIALS,
    env,
    tokenProvider: async () => sim.bearerToken,
  });
  const probe = createProber(clients, { timeoutMs: options.timeoutMs ?? 5000 });
  return { sim, clients, probe, env, close: () => sim.close() } satisfies ProbeWorld;
}

/** A probe request with defaults for everything the test does not care about. */
export function request(
  over: Partial<ProbeRequest> & Pick<ProbeRequest, 'endpoint' | 'api' | 'modelId'>,
): ProbeRequest {
  return {
    region: 'us-east-1',
    variant: 'basic',
    modelKey: over.modelId,
    route: null,
    family: null,
    maxTokens: 16,
    guardrail: null,
    canary: CANARY,
    ...over,
  };
}

export const never = (): AbortSignal => new AbortController().signal;
