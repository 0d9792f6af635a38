import { describe, expect, it } from 'vitest';
import { createProbeClients, createProber } from '../../../../lambda/adapters/probes';
import type { Observation } from '../../../../lambda/core/model';
import type { ProbeRequest } from '../../../../lambda/engine/probe-port';
import { ENDPOINT_OVERRIDE_ENV } from '../../../../lambda/shared/names';
import { SIM_CREDENTIALS } from '../../../support/simulator';
import { GUARDRAIL, IDS, never, request, useProbeWorld } from './probe-fixture';

// The timeout cases give their call 300 ms and the host answers far later than any loaded machine
// needs to notice; every other call has all the time a busy machine needs.
const SLOW_MS = 20_000;
const TIMEOUT_MS = 300;
const GENEROUS_MS = 30_000;

/** One request per SDK family, each aimed at its own fault. */
const CONVERSE = request({ endpoint: 'runtime', api: 'converse', modelId: IDS.nova });
const CHAT = request({ endpoint: 'mantle', api: 'chat', route: '/v1', modelId: IDS.gptOssMantle });
const MESSAGES = request({
  endpoint: 'mantle',
  api: 'messages',
  route: '/anthropic/v1',
  modelId: IDS.claudeBare,
});

describe('createProber: transient failures become observations, never throws', () => {
  const world = useProbeWorld({
    timeoutMs: GENEROUS_MS,
    faults: [
      { type: 'throttle', count: 1, match: { api: 'converse', model: IDS.nova } },
      { type: 'throttle', count: 1, match: { api: 'chat', model: IDS.gptOssMantle } },
      { type: 'server-error', status: 503, count: 1, match: { api: 'messages', model: IDS.claudeBare } },
      { type: 'server-error', status: 503, count: 1, match: { api: 'invoke', model: IDS.nova } },
      { type: 'slow', delayMs: SLOW_MS, match: { api: 'converse', model: IDS.claudeProfile } },
      { type: 'slow', delayMs: SLOW_MS, match: { api: 'chat', model: IDS.gptOssRuntime } },
      { type: 'slow', delayMs: SLOW_MS, match: { api: 'messages', model: IDS.claudeProfile } },
    ],
  });

  it('429 on Converse: ThrottlingException with its status, then the next call succeeds', async () => {
    // Act
    const throttled = await world.probe(CONVERSE, never());
    const next = await world.probe(CONVERSE, never());

    // Assess
    expect(throttled).toMatchObject({ httpStatus: 429, errorName: 'ThrottlingException' });
    expect(throttled.message).toBeTruthy();
    expect(next.httpStatus).toBe(200);
  });

  it('429 on Chat: the OpenAI error type and code, one attempt only', async () => {
    // Prepare
    const before = world.sim.world.calls.length;

    // Act
    const obs = await world.probe(CHAT, never());

    // Assess
    expect(obs).toMatchObject({
      httpStatus: 429,
      errorName: 'rate_limit_error',
      errorCode: 'rate_limit_exceeded',
    });
    expect(world.sim.world.calls.length - before).toBe(1);
  });

  it('503 on Messages and on InvokeModel: the status and error name are reported', async () => {
    // Act
    const messages = await world.probe(MESSAGES, never());
    const invoke = await world.probe(
      request({ endpoint: 'runtime', api: 'invoke', modelId: IDS.nova, family: 'nova' }),
      never(),
    );

    // Assess
    expect(messages).toMatchObject({ httpStatus: 503, errorName: 'overloaded_error' });
    expect(invoke.httpStatus).toBe(503);
    expect(invoke.errorName).toMatch(/ServiceUnavailable|Exception/);
  });

  it.each([
    [
      'converse (AWS SDK, HTTP/2)',
      request({ endpoint: 'runtime', api: 'converse', modelId: IDS.claudeProfile }),
    ],
    [
      'chat (openai SDK)',
      request({ endpoint: 'runtime', api: 'chat', route: '/openai/v1', modelId: IDS.gptOssRuntime }),
    ],
    [
      'messages (Anthropic SDK)',
      request({ endpoint: 'runtime', api: 'messages', route: '/anthropic/v1', modelId: IDS.claudeProfile }),
    ],
  ])('timeout on %s: timedOut with no status, returned promptly', async (_name, req) => {
    // Prepare
    const started = Date.now();

    // Act
    const obs = await world.probe({ ...req, timeoutMs: TIMEOUT_MS }, never());

    // Assess
    const elapsed = Date.now() - started;
    expect(obs).toMatchObject({ httpStatus: null, timedOut: true, errorName: 'TimeoutError' });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(SLOW_MS / 2);
  });

  it("the caller's abort ends a probe early, and is not reported as a timeout", async () => {
    // Prepare
    const caller = new AbortController();
    const probe = createProber(world.clients, { timeoutMs: 10_000 });
    const req = request({
      endpoint: 'runtime',
      api: 'chat',
      route: '/openai/v1',
      modelId: IDS.gptOssRuntime,
    });
    setTimeout(() => caller.abort(), 100);

    // Act
    const obs = await probe(req, caller.signal);

    // Assess
    expect(obs.httpStatus).toBeNull();
    expect(obs.timedOut).toBeUndefined();
    expect(obs.latencyMs).toBeLessThan(2000);
  });
});

describe('createProber: nothing listening', () => {
  it('connection refused: no status, a message, no timeout flag', async () => {
    // Prepare: port 1 on loopback refuses connections
    const env = {
      [ENDPOINT_OVERRIDE_ENV.runtime]: 'http://127.0.0.1:1',
      [ENDPOINT_OVERRIDE_ENV.mantle]: 'http://127.0.0.1:1',
    };
    const clients = createProbeClients({
      region: 'us-east-1',
      credentials: SIM_CREDENTIALS,
      env,
      tokenProvider: async () => 'bedrock-api-key-unused',
    });
    const probe = createProber(clients, { timeoutMs: 3000 });

    // Act
    const converse = await probe(CONVERSE, never());
    const chat = await probe(CHAT, never());

    // Assess
    for (const obs of [converse, chat]) {
      expect(obs.httpStatus).toBeNull();
      expect(obs.timedOut).toBeUndefined();
      expect(obs.message).toBeTruthy();
    }
  });
});

describe('createProber: secrets never reach an observation', () => {
  const world = useProbeWorld({ faults: [{ type: 'throttle', count: 1, match: { api: 'responses' } }] });

  it('a run over every api and variant, errors included, serialises without token, signature or key', async () => {
    // Prepare
    const g = { guardrail: GUARDRAIL };
    const reqs: ProbeRequest[] = [
      request({ endpoint: 'runtime', api: 'converse', modelId: IDS.nova }),
      request({ endpoint: 'runtime', api: 'converse', variant: 'stream', modelId: IDS.nova }),
      request({ endpoint: 'runtime', api: 'converse', variant: 'tools', modelId: IDS.nova }),
      request({ endpoint: 'runtime', api: 'converse', variant: 'guardrail', modelId: IDS.nova, ...g }),
      request({ endpoint: 'runtime', api: 'converse', modelId: IDS.claudeBare }),
      request({ endpoint: 'runtime', api: 'invoke', modelId: IDS.nova, family: 'nova' }),
      request({ endpoint: 'runtime', api: 'invoke', variant: 'stream', modelId: IDS.nova, family: 'nova' }),
      request({
        endpoint: 'runtime',
        api: 'invoke',
        variant: 'guardrail',
        modelId: IDS.nova,
        family: 'nova',
        ...g,
      }),
      request({ endpoint: 'runtime', api: 'chat', route: '/openai/v1', modelId: IDS.gptOssRuntime }),
      request({
        endpoint: 'runtime',
        api: 'chat',
        route: '/openai/v1',
        variant: 'guardrail',
        modelId: IDS.gptOssRuntime,
        ...g,
      }),
      request({
        endpoint: 'mantle',
        api: 'chat',
        route: '/v1',
        variant: 'stream',
        modelId: IDS.gptOssMantle,
      }),
      request({ endpoint: 'mantle', api: 'chat', route: '/v1', variant: 'tools', modelId: IDS.gptOssMantle }),
      request({ endpoint: 'mantle', api: 'chat', route: '/v1', modelId: 'acme.unknown' }),
      request({ endpoint: 'mantle', api: 'responses', route: '/v1', modelId: IDS.gptOssMantle }),
      request({ endpoint: 'mantle', api: 'responses', route: '/v1', modelId: IDS.gptOssMantle }),
      request({
        endpoint: 'mantle',
        api: 'responses',
        route: '/v1',
        variant: 'stateful',
        modelId: IDS.gptOssMantle,
      }),
      request({
        endpoint: 'mantle',
        api: 'responses',
        route: '/v1',
        variant: 'background',
        modelId: IDS.gptOssMantle,
      }),
      request({ endpoint: 'mantle', api: 'responses', route: '/v1', modelId: IDS.gpt54 }),
      request({
        endpoint: 'mantle',
        api: 'messages',
        route: '/anthropic/v1',
        variant: 'stream',
        modelId: IDS.claudeBare,
      }),
      request({
        endpoint: 'runtime',
        api: 'messages',
        route: '/anthropic/v1',
        variant: 'guardrail',
        modelId: IDS.claudeProfile,
        ...g,
      }),
      request({ endpoint: 'runtime', api: 'messages', route: '/anthropic/v1', modelId: IDS.gptOssRuntime }),
    ];
    const badToken = createProber(
      createProbeClients({
        region: 'us-east-1',
        credentials: SIM_CREDENTIALS,
        env: world.env,
        tokenProvider: async () => `${world.sim.bearerToken.slice(0, 40)}broken`,
      }),
    );

    // Act
    const observations: Observation[] = [];
    for (const req of reqs) observations.push(await world.probe(req, never()));
    observations.push(await badToken(reqs[8] as ProbeRequest, never()));
    observations.push(await badToken(reqs[13] as ProbeRequest, never()));
    const text = JSON.stringify(observations);

    // Assess
    expect(observations.some((o) => o.httpStatus === 429)).toBe(true);
    expect(observations.some((o) => o.httpStatus === 401 || o.httpStatus === 403)).toBe(true);
    expect(text).not.toContain('bedrock-api-key-');
    expect(text).not.toContain(world.sim.bearerToken.slice(16, 56));
    expect(text).not.toMatch(/Signature=|X-Amz-Signature|Credential=|AWS4-HMAC-SHA256/);
    expect(text).not.toContain(SIM_CREDENTIALS.secretAccessKey);
    expect(text).not.toContain(SIM_CREDENTIALS.accessKeyId);
  });
});
