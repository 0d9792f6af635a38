/**
 * Start the local Bedrock simulator for a test file and hand out what the real SDKs need to talk
 * to it: URLs, dummy AWS credentials and a real-shaped bearer token.
 */
import { getToken } from '@aws/bedrock-token-generator';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { loadScenario } from '../../simulator/scenario';
import { type RunningSimulator, startSimulator } from '../../simulator/server';
import type { Scenario } from '../../simulator/types';

/** Dummy credentials: the simulator checks the SigV4 shape only, never the secret. */
export const SIM_CREDENTIALS = { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' } as const;
export const SIM_REGION = 'us-east-1';

export interface TestSimulator extends RunningSimulator {
  readonly region: string;
  readonly credentials: typeof SIM_CREDENTIALS;
  /** A short-term bearer token minted locally by @aws/bedrock-token-generator (no network). */
  readonly bearerToken: string;
}

/**
 * Start a simulator on free loopback ports with a shipped scenario name (`today`, `may-2026`,
 * `tiny`), a scenario file path, or a scenario object. The caller closes it (afterAll).
 */
export async function withSimulator(scenario: string | Scenario): Promise<TestSimulator> {
  const resolved = typeof scenario === 'string' ? await loadScenario(scenario) : scenario;
  const [running, bearerToken] = await Promise.all([
    startSimulator({ scenario: resolved }),
    getToken({ credentials: SIM_CREDENTIALS, region: SIM_REGION, expiresInSeconds: 3600 }),
  ]);
  return { ...running, region: SIM_REGION, credentials: SIM_CREDENTIALS, bearerToken };
}

/**
 * The endpoint overrides (README "Endpoint overrides") that point every runtime, mantle and
 * control-plane client at `sim`; `over` replaces any of them (a silent or failing host).
 */
export const simulatorEnv = (
  sim: { readonly urls: { readonly runtime: string; readonly mantle: string; readonly control: string } },
  over: Readonly<Record<string, string>> = {},
): Record<string, string> => ({
  [ENDPOINT_OVERRIDE_ENV.runtime]: sim.urls.runtime,
  [ENDPOINT_OVERRIDE_ENV.mantle]: sim.urls.mantle,
  [ENDPOINT_OVERRIDE_ENV.control]: sim.urls.control,
  ...over,
});

/** The simulator advances a background response one step per retrieve, so polling needs no real wait. */
export const SIM_BACKGROUND_POLL_MS = 5;
