/**
 * Shared set-up of the probe adapter tests: a local simulator, real SDK clients pointed at it
 * through the `env` option (never process.env), and a request builder with the tiny scenario's IDs.
 */
import { afterAll, beforeAll } from 'vitest';
import { createProbeClients, createProber, type ProbeClients } from '../../../../lambda/adapters/probes';
import type { Observation } from '../../../../lambda/core/model';
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
  /** One probe of `request(over)`: what a test's Act step does. */
  observe(over: RequestOver): Promise<Observation>;
  close(): Promise<void>;
}

type RequestOver = Partial<ProbeRequest> & Pick<ProbeRequest, 'endpoint' | 'api' | 'modelId'>;

type ProbeWorldOptions = {
  readonly faults?: readonly Fault[];
  readonly timeoutMs?: number;
  /** A scenario other than tiny (its own faults are kept). @default tiny */
  readonly scenario?: Scenario;
};

/**
 * A probe world for the enclosing `describe`: started before its tests, closed after them. The
 * returned object forwards to the world once it has started, so tests read it like a plain value.
 */
export function useProbeWorld(options: ProbeWorldOptions = {}): ProbeWorld {
  let world: ProbeWorld | undefined;
  beforeAll(async () => {
    world = await startProbeWorld(options);
  });
  afterAll(async () => world?.close());
  return new Proxy({} as ProbeWorld, {
    get(_, name: keyof ProbeWorld) {
      if (!world) throw new Error('the probe world is used before beforeAll started it');
      return world[name];
    },
  });
}

/** The tiny scenario, optionally with faults injected. */
export async function tinyScenario(faults: readonly Fault[] = []): Promise<Scenario> {
  const tiny = await loadScenario('tiny');
  return { ...tiny, faults: [...(tiny.faults ?? []), ...faults] };
}

export async function startProbeWorld(options: ProbeWorldOptions = {}): Promise<ProbeWorld> {
  const scenario = options.scenario
    ? { ...options.scenario, faults: [...(options.scenario.faults ?? []), ...(options.faults ?? [])] }
    : await tinyScenario(options.faults);
  const sim = await withSimulator(scenario);
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
  // Generous: a probe under test answers whenever a busy machine lets it; timeouts are set per test.
  const probe = createProber(clients, { timeoutMs: options.timeoutMs ?? 30_000 });
  return { sim, clients, probe, env, observe: (over) => probe(request(over)), close: () => sim.close() };
}

/** A probe request with defaults for everything the test does not care about. */
export function request(over: RequestOver): ProbeRequest {
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
