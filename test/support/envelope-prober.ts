/**
 * The golden-wire set-up three suites share: an envelope server and a prober whose runtime and
 * mantle clients reach it through the real SDKs, started before the file's tests and closed after.
 */
import { afterAll, beforeAll } from 'vitest';
import { createProbeClients, createProber } from '../../lambda/adapters/probes';
import type { Prober } from '../../lambda/engine/probe-port';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { type EnvelopeServer, startEnvelopeServer } from './envelope-server';
import { SIM_CREDENTIALS } from './simulator';

export interface EnvelopeProber {
  readonly server: EnvelopeServer;
  readonly probe: Prober;
}

/**
 * Registers the hooks; read `server` and `probe` inside tests only. `maxAnswerMb` bounds answers
 * as the setting does. The probe timeout is generous: a busy machine makes a test slower, not red.
 */
export function useEnvelopeProber(options: { readonly maxAnswerMb?: number } = {}): EnvelopeProber {
  let started: EnvelopeProber | undefined;
  beforeAll(async () => {
    const server = await startEnvelopeServer();
    const env = { [ENDPOINT_OVERRIDE_ENV.runtime]: server.url, [ENDPOINT_OVERRIDE_ENV.mantle]: server.url };
    const clients = createProbeClients({
      region: 'us-east-1',
      credentials: SIM_CREDENTIALS,
      env,
      tokenProvider: async () => 'bedrock-api-key-fixture',
      ...options,
    });
    started = { server, probe: createProber(clients, { timeoutMs: 30_000 }) };
  });
  afterAll(async () => started?.server.close());
  const get = (): EnvelopeProber => {
    if (!started) throw new Error('the envelope prober is used before beforeAll started it');
    return started;
  };
  return {
    get server() {
      return get().server;
    },
    get probe() {
      return get().probe;
    },
  };
}
