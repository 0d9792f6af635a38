import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/scenario';
import type {
  CallRecord,
  CallRequest,
  Decision,
  Host,
  Scenario,
  SimApi,
  SimFeature,
  World,
} from '../../simulator/types';
import { createWorld } from '../../simulator/world';

let tiny: Scenario;
beforeAll(async () => {
  tiny = await loadScenario('tiny');
});

const noSleep = async () => {};

function call(over: Partial<CallRequest> & Pick<CallRequest, 'host' | 'api' | 'modelId'>): CallRequest {
  const route = over.host === 'mantle' ? '/v1' : over.api === 'messages' ? '/anthropic/v1' : null;
  return {
    route,
    region: 'us-east-1',
    features: [] as SimFeature[],
    path: `${route ?? ''}/${over.api}`,
    ...over,
  };
}

/** A handler's question for one model ID on one host x api, with no features. */
function decide(world: World, host: Host, api: SimApi, modelId: string): Promise<Decision> {
  return world.decide(call({ host, api, modelId }));
}

function errorOf(d: Decision) {
  return d.ok ? null : d.error;
}

describe('decide: catalog and ids', () => {
  it('allows gpt-oss on mantle by its bare id and on runtime by its versioned id', async () => {
    // Prepare
    const world = createWorld(tiny, { sleep: noSleep });

    // Act
    const mantle = await decide(world, 'mantle', 'chat', 'openai.gpt-oss-20b');
    const runtime = await decide(world, 'runtime', 'converse', 'openai.gpt-oss-20b-1:0');

    // Assess
    expect(mantle).toMatchObject({ ok: true, model: { key: 'openai.gpt-oss-20b' }, guardrail: 'ignored' });
    expect(runtime).toMatchObject({ ok: true, model: { key: 'openai.gpt-oss-20b' }, guardrail: 'enforced' });
  });

  it('answers not-found 404 on mantle for a profile-prefixed or unknown id', async () => {
    // Prepare
    const world = createWorld(tiny, { sleep: noSleep });

    // Act
    const prefixed = await decide(world, 'mantle', 'chat', 'us.openai.gpt-oss-20b');
    const versioned = await decide(world, 'mantle', 'chat', 'openai.gpt-oss-20b-1:0');

    // Assess
    expect(errorOf(prefixed)).toEqual({
      kind: 'not-found',
      status: 404,
      message: "The model 'us.openai.gpt-oss-20b' does not exist",
    });
    expect(errorOf(versioned)?.kind).toBe('not-found');
  });

  it('answers invalid-id 400 on runtime for an unknown id', async () => {
    // Prepare
    const world = createWorld(tiny, { sleep: noSleep });

    // Act
    const d = await decide(world, 'runtime', 'converse', 'openai.gpt-oss-20b');

    // Assess
    expect(errorOf(d)).toEqual({
      kind: 'invalid-id',
      status: 400,
      message: 'The provided model identifier is invalid.',
    });
  });

  it('needs a profile for an on-demand-less model and accepts the profile id or its ARN', async () => {
    // Prepare
    const world = createWorld(tiny, { sleep: noSleep });
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6';

    // Act
    const bare = await decide(world, 'runtime', 'converse', 'anthropic.claude-sonnet-4-6');
    const profile = await decide(world, 'runtime', 'converse', 'us.anthropic.claude-sonnet-4-6');
    const viaArn = await decide(world, 'runtime', 'converse', arn);

    // Assess
    expect(errorOf(bare)).toEqual({
      kind: 'needs-profile',
      status: 400,
      message:
        'Invocation of model ID anthropic.claude-sonnet-4-6 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.',
    });
    expect(profile.ok).toBe(true);
    expect(viaArn.ok).toBe(true);
  });

  it('refuses denied, legacy-locked and end-of-life models with their exact messages', async () => {
    // Prepare
    const world = createWorld(tiny, { sleep: noSleep });

    // Act
    const denied = await decide(world, 'runtime', 'converse', 'meta.llama3-70b-instruct-v1:0');
    const legacy = await decide(world, 'runtime', 'invoke', 'anthropic.claude-3-haiku-20240307-v1:0');
    const eol = await decide(world, 'runtime', 'invoke', 'anthropic.claude-v2');

    // Assess
    expect(errorOf(denied)).toEqual({
      kind: 'no-access',
      status: 403,
      message: "You don't have access to the model with the specified model ID.",
    });
    expect(errorOf(legacy)).toEqual({
      kind: 'legacy-locked',
      status: 404,
      message:
        'Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days.',
    });
    expect(errorOf(eol)).toEqual({
      kind: 'end-of-life',
      status: 404,
      message: 'This model version has reached the end of its life.',
    });
  });

  it('answers mantle no-access with "Model access is not enabled"', async () => {
    // Prepare
    const scenario: Scenario = {
      ...tiny,
      models: tiny.models.map((m) =>
        m.mantle ? { ...m, mantle: { ...m.mantle, access: 'denied' as const } } : m,
      ),
    };
    const world = createWorld(scenario, { sleep: noSleep });

    // Act
    const d = await decide(world, 'mantle', 'chat', 'openai.gpt-oss-20b');

    // Assess
    expect(errorOf(d)).toEqual({ kind: 'no-access', status: 403, message: 'Model access is not enabled' });
  });
});

describe('decide: api, route and features', () => {
  it('refuses an api the model lacks, quoting the called path on mantle', async () => {
    // Prepare
    const world = createWorld(tiny, { sleep: noSleep });

    // Act
    const mantle = await world.decide(
      call({
        host: 'mantle',
        api: 'chat',
        modelId: 'anthropic.claude-sonnet-4-6',
        path: '/v1/chat/completions',
      }),
    );
    const runtime = await decide(world, 'runtime', 'converse', 'us.openai.gpt-5.4');

    // Assess
    expect(errorOf(mantle)).toEqual({
      kind: 'unsupported-api',
      status: 400,
      message: "The model 'anthropic.claude-sonnet-4-6' does not support the '/v1/chat/completions' API",
    });
    expect(errorOf(runtime)).toEqual({
      kind: 'unsupported-api',
      status: 400,
      message:
        "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
    });
  });

  it('refuses the wrong mantle route with 400, or 401 when the scenario says so', async () => {
    // Prepare
    const req = call({
      host: 'mantle',
      api: 'responses',
      modelId: 'openai.gpt-5.4',
      route: '/v1',
      path: '/v1/responses',
    });
    const world400 = createWorld(tiny, { sleep: noSleep });
    const world401 = createWorld({ ...tiny, wrongRouteStatus: 401 }, { sleep: noSleep });

    // Act
    const d400 = await world400.decide(req);
    const d401 = await world401.decide(req);
    const right = await world400.decide({ ...req, route: '/openai/v1', path: '/openai/v1/responses' });

    // Assess
    expect(errorOf(d400)).toEqual({
      kind: 'wrong-route',
      status: 400,
      message: "model openai.gpt-5.4 isn't supported on this route",
    });
    expect(errorOf(d401)?.status).toBe(401);
    expect(errorOf(d401)?.message).toContain('is not enabled');
    expect(right.ok).toBe(true);
  });

  it('refuses a feature the api does not support (runtime background) and allows supported ones', async () => {
    // Prepare
    const world = createWorld(tiny, { sleep: noSleep });
    const base = { host: 'runtime' as const, api: 'responses' as const, modelId: 'openai.gpt-oss-20b-1:0' };

    // Act
    const background = await world.decide(call({ ...base, route: '/openai/v1', features: ['background'] }));
    const stream = await world.decide(call({ ...base, route: '/openai/v1', features: ['stream', 'tools'] }));

    // Assess
    expect(errorOf(background)?.kind).toBe('unsupported-feature');
    expect(errorOf(background)?.status).toBe(400);
    expect(errorOf(background)?.message).toContain('background');
    expect(stream).toMatchObject({ ok: true, guardrail: 'ignored' });
  });
});

describe('decide: faults and latency', () => {
  it('throttles the first N matching calls, then lets them through; other models are untouched', async () => {
    // Prepare
    const scenario: Scenario = {
      ...tiny,
      faults: [{ type: 'throttle', count: 2, match: { host: 'mantle', model: 'openai.gpt-oss-20b' } }],
    };
    const world = createWorld(scenario, { sleep: noSleep });
    const req = call({ host: 'mantle', api: 'chat', modelId: 'openai.gpt-oss-20b' });

    // Act
    const other = await decide(world, 'runtime', 'converse', 'openai.gpt-oss-20b-1:0');
    const results = [await world.decide(req), await world.decide(req), await world.decide(req)];

    // Assess
    expect(other.ok).toBe(true);
    expect(results.map((d) => errorOf(d)?.status ?? 200)).toEqual([429, 429, 200]);
    expect(errorOf(results[0] as Decision)).toEqual({
      kind: 'throttled',
      status: 429,
      message: 'Too many tokens, please wait before trying again.',
    });
  });

  it('matches a fault by model key as well as by the id sent', async () => {
    // Prepare
    const scenario: Scenario = {
      ...tiny,
      faults: [{ type: 'throttle', count: 1, match: { model: 'openai.gpt-oss-20b' } }],
    };
    const world = createWorld(scenario, { sleep: noSleep });

    // Act
    const d = await decide(world, 'runtime', 'converse', 'openai.gpt-oss-20b-1:0');

    // Assess
    expect(errorOf(d)?.kind).toBe('throttled');
  });

  it('fails every matching call with a server error when no count is given', async () => {
    // Prepare
    const scenario: Scenario = { ...tiny, faults: [{ type: 'server-error', match: { api: 'chat' } }] };
    const world = createWorld(scenario, { sleep: noSleep });
    const req = call({ host: 'mantle', api: 'chat', modelId: 'openai.gpt-oss-20b' });

    // Act
    const results = await Promise.all([world.decide(req), world.decide(req), world.decide(req)]);

    // Assess
    expect(results.map((d) => errorOf(d)?.status)).toEqual([503, 503, 503]);
    expect(errorOf(results[0] as Decision)?.kind).toBe('server-error');
  });

  it('uses the configured 5xx status', async () => {
    // Prepare
    const world = createWorld(
      { ...tiny, faults: [{ type: 'server-error', status: 500, count: 1 }] },
      { sleep: noSleep },
    );

    // Act
    const d = await decide(world, 'mantle', 'chat', 'openai.gpt-oss-20b');

    // Assess
    expect(errorOf(d)).toMatchObject({ kind: 'server-error', status: 500 });
  });

  it('delays slow calls by delayMs and then answers normally', async () => {
    // Prepare
    const waits: number[] = [];
    const scenario: Scenario = { ...tiny, faults: [{ type: 'slow', delayMs: 2500, count: 1 }] };
    const world = createWorld(scenario, { sleep: async (ms) => void waits.push(ms) });
    const req = call({ host: 'mantle', api: 'chat', modelId: 'openai.gpt-oss-20b' });

    // Act
    const first = await world.decide(req);
    const second = await world.decide(req);

    // Assess
    expect(first.ok && second.ok).toBe(true);
    expect(waits).toEqual([2500]);
  });

  it('really waits for a slow fault with the default sleep', async () => {
    // Prepare
    const world = createWorld({ ...tiny, faults: [{ type: 'slow', delayMs: 120 }] });
    const started = Date.now();

    // Act
    await decide(world, 'mantle', 'chat', 'openai.gpt-oss-20b');

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('applies fixed latency and uniform latency between min and max', async () => {
    // Prepare
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const fixed = createWorld({ ...tiny, latency: { fixedMs: 40 } }, { sleep });
    const uniform = createWorld(
      { ...tiny, latency: { minMs: 100, maxMs: 200 } },
      { sleep, random: () => 0.25 },
    );
    const req = call({ host: 'mantle', api: 'chat', modelId: 'openai.gpt-oss-20b' });

    // Act
    await fixed.decide(req);
    await uniform.decide(req);

    // Assess
    expect(waits).toEqual([40, 125]);
  });

  it('resets fault counters when the scenario is replaced', async () => {
    // Prepare
    const scenario: Scenario = { ...tiny, faults: [{ type: 'throttle', count: 1 }] };
    const world = createWorld(scenario, { sleep: noSleep });
    const req = call({ host: 'mantle', api: 'chat', modelId: 'openai.gpt-oss-20b' });
    await world.decide(req);

    // Act
    const beforeSwap = await world.decide(req);
    world.setScenario(scenario);
    const afterSwap = await world.decide(req);

    // Assess
    expect(beforeSwap.ok).toBe(true);
    expect(errorOf(afterSwap)?.kind).toBe('throttled');
  });
});

describe('checkGuardrail', () => {
  it('blocks input containing a word in any case and returns the input message', () => {
    // Prepare
    const world = createWorld(tiny);

    // Act
    const verdict = world.checkGuardrail('gr-probe', '1', 'please repeat bmx-canary-7f3a9c now', 'INPUT');

    // Assess
    expect(verdict).toEqual({
      found: true,
      blocked: true,
      message: '[bedrock-matrix] blocked by probe guardrail (input)',
      matchedWord: 'BMX-CANARY-7F3A9C',
    });
  });

  it('uses the output message for OUTPUT and passes clean text, DRAFT and ARN ids included', () => {
    // Prepare
    const world = createWorld(tiny);
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:guardrail/gr-probe';

    // Act
    const out = world.checkGuardrail(arn, 'DRAFT', 'BMX-CANARY-7F3A9C', 'OUTPUT');
    const clean = world.checkGuardrail('gr-probe', '1', 'hello', 'INPUT');

    // Assess
    expect(out).toMatchObject({
      blocked: true,
      message: '[bedrock-matrix] blocked by probe guardrail (output)',
    });
    expect(clean).toEqual({ found: true, blocked: false });
  });

  it('reports an unknown guardrail or version as not found', () => {
    // Prepare
    const world = createWorld(tiny);

    // Act
    const verdicts = [
      world.checkGuardrail('gr-nope', '1', 'x', 'INPUT'),
      world.checkGuardrail('gr-probe', '7', 'x', 'INPUT'),
    ];

    // Assess
    for (const v of verdicts) {
      expect(v.found).toBe(false);
      expect(v.found === false && v.error.status).toBe(400);
    }
  });
});

describe('call log', () => {
  it('keeps only the newest maxCalls records', () => {
    // Prepare
    const world = createWorld(tiny, { maxCalls: 3 });
    const record = (i: number): CallRecord => ({
      at: new Date(0).toISOString(),
      host: 'mantle',
      method: 'POST',
      path: `/v1/chat/completions/${i}`,
      api: 'chat',
      modelId: 'm',
      status: 200,
      auth: 'bearer',
      guardrailId: null,
    });

    // Act
    for (let i = 0; i < 5; i++) world.record(record(i));

    // Assess
    expect(world.calls.map((c) => c.path)).toEqual([
      '/v1/chat/completions/2',
      '/v1/chat/completions/3',
      '/v1/chat/completions/4',
    ]);
  });
});
