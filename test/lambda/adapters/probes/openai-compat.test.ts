import { describe, expect, it } from 'vitest';
import { chatParams, responsesParams } from '../../../../lambda/adapters/probes/openai-compat';
import { BLOCKED_INPUT, CANARY, GUARDRAIL, IDS, never, request, useProbeWorld } from './probe-fixture';

describe('chat probes against the simulator', () => {
  const world = useProbeWorld();

  it.each([
    ['runtime', '/openai/v1', IDS.gptOssRuntime],
    ['mantle', '/v1', IDS.gptOssMantle],
  ] as const)(
    'basic on %s %s: 200 with usage, a chatcmpl id and the request id',
    async (endpoint, route, modelId) => {
      // Prepare
      const req = request({ endpoint, api: 'chat', route, modelId });

      // Act
      const obs = await world.probe(req, never());

      // Assess
      expect(obs).toMatchObject({ endpoint, route, httpStatus: 200, errorName: null });
      expect(obs.responseId).toMatch(/^chatcmpl-/);
      expect(obs.inputTokens).toBeGreaterThan(0);
      expect(obs.requestId).toBeTruthy();
      expect(world.sim.world.calls.at(-1)).toMatchObject({
        path: `${route}/chat/completions`,
        auth: 'bearer',
      });
    },
  );

  it('the alternate shape (max_tokens instead of max_completion_tokens) is accepted too', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'chat',
      route: '/v1',
      modelId: IDS.gptOssMantle,
      shape: 'alternate',
    });

    // Assess
    expect(obs.httpStatus).toBe(200);
  });

  it('stream: content deltas and a finish_reason pass the check', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'chat',
      variant: 'stream',
      route: '/v1',
      modelId: IDS.gptOssMantle,
    });

    // Assess
    expect(obs.check).toEqual({
      passed: true,
      detail: expect.stringMatching(/^\d+ content deltas, finish_reason stop$/),
    });
    expect(obs.ttfbMs).not.toBeNull();
    expect(obs.outputTokens).toBeGreaterThan(0);
  });

  it('tools: a tool call with JSON object arguments passes the check', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'chat',
      variant: 'tools',
      route: '/openai/v1',
      modelId: IDS.gptOssRuntime,
    });

    // Assess
    expect(obs.check).toEqual({ passed: true, detail: 'tool call get_weather with JSON object arguments' });
  });

  it('guardrail on runtime: the blocked message comes back as the text, with no explicit marker', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'chat',
      variant: 'guardrail',
      route: '/openai/v1',
      modelId: IDS.gptOssRuntime,
      guardrail: GUARDRAIL,
    });

    // Assess
    expect(obs.guardrail).toEqual({ intervened: null, text: BLOCKED_INPUT });
    expect(world.sim.world.calls.at(-1)?.guardrailId).toBe(GUARDRAIL.id);
  });

  it('guardrail on mantle: the headers are ignored and the model answers the canary', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'chat',
      variant: 'guardrail',
      route: '/v1',
      modelId: IDS.gptOssMantle,
      guardrail: GUARDRAIL,
    });

    // Assess
    expect(obs.httpStatus).toBe(200);
    expect(obs.guardrail?.intervened).toBeNull();
    expect(obs.guardrail?.text).not.toContain('blocked by probe guardrail');
    expect(obs.outputTokens).toBeGreaterThan(0);
  });

  it('a model mantle does not know: the 404 body, with code and type swapped as on the wire (docs/bedrock-wire.md, error envelopes)', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'chat',
      route: '/v1',
      modelId: 'acme.unknown',
    });

    // Assess
    expect(obs).toMatchObject({
      httpStatus: 404,
      errorName: 'invalid_request_error',
      errorCode: 'not_found_error',
    });
    expect(obs.message).toMatch(/does not exist/);
    expect(obs.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'not_found_error' } });
  });
});

describe('responses probes against the simulator', () => {
  const world = useProbeWorld();

  it('basic: 200 with a resp_ id and usage; max_output_tokens is raised to the 16 minimum', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'responses',
      route: '/v1',
      modelId: IDS.gptOssMantle,
      maxTokens: 1,
    });

    // Assess
    expect(obs).toMatchObject({ httpStatus: 200, errorName: null });
    expect(obs.responseId).toMatch(/^resp_/);
    expect(obs.outputTokens).toBeGreaterThan(0);
  });

  it('stream: output_text deltas and response.completed pass the check', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'responses',
      variant: 'stream',
      route: '/openai/v1',
      modelId: IDS.gpt54,
    });

    // Assess
    expect(obs.check).toEqual({
      passed: true,
      detail: expect.stringMatching(/output_text deltas, response\.completed$/),
    });
    expect(obs.ttfbMs).not.toBeNull();
  });

  it('tools: a function_call item with JSON object arguments passes the check', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'responses',
      variant: 'tools',
      route: '/v1',
      modelId: IDS.gptOssMantle,
    });

    // Assess
    expect(obs.check).toEqual({
      passed: true,
      detail: 'function_call get_weather with JSON object arguments',
    });
  });

  it('stateful on runtime: the second call recalls the code word through previous_response_id', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'responses',
      variant: 'stateful',
      route: '/openai/v1',
      modelId: IDS.gptOssRuntime,
    });

    // Assess
    expect(obs.check).toEqual({
      passed: true,
      detail: 'the second turn recalled the code word of the first',
    });
    const calls = world.sim.world.calls.filter((c) => c.path === '/openai/v1/responses').slice(-2);
    expect(calls.map((c) => c.modelId)).toEqual([IDS.gptOssRuntime, IDS.gptOssRuntime]);
  });

  it('stateful where the model has no stored turns: the check fails or the call is refused, never passes', async () => {
    // Prepare: grok on mantle serves Responses without the stateful feature in the tiny scenario
    const req = request({
      endpoint: 'mantle',
      api: 'responses',
      variant: 'stateful',
      route: '/openai/v1',
      modelId: 'xai.grok-4.3',
    });

    // Act
    const obs = await world.probe(req, never());

    // Assess
    expect(obs.check?.passed ?? false).toBe(false);
  });

  it('background on mantle: polled until completed within the timeout', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'responses',
      variant: 'background',
      route: '/v1',
      modelId: IDS.gptOssMantle,
    });

    // Assess
    expect(obs.check?.passed).toBe(true);
    expect(obs.check?.detail).toMatch(/-> completed$/);
    expect(obs.responseId).toMatch(/^resp_/);
  });

  it('background on runtime: the synchronous-only 400 is reported raw', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'responses',
      variant: 'background',
      route: '/openai/v1',
      modelId: IDS.gptOssRuntime,
    });

    // Assess
    expect(obs).toMatchObject({ httpStatus: 400, errorName: 'invalid_request_error' });
    expect(obs.message).toMatch(/background/);
    expect(obs.check).toBeUndefined();
  });

  it('wrong route: a /openai/v1-only model on mantle /v1 answers "isn\'t supported on this route"', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'responses',
      route: '/v1',
      modelId: IDS.gpt54,
    });

    // Assess
    expect(obs).toMatchObject({ httpStatus: 400, route: '/v1' });
    expect(obs.message).toMatch(/isn.t supported on this route/);
  });

  it('api unsupported: a Chat-less model on mantle says it does not support the API', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'chat',
      route: '/openai/v1',
      modelId: IDS.gpt54,
    });

    // Assess
    expect(obs).toMatchObject({ httpStatus: 400, errorName: 'invalid_request_error' });
    expect(obs.message).toMatch(/does not support the '[^']*' API/);
  });

  it('guardrail on runtime Responses: the headers are not applied and the answer carries no marker', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'responses',
      variant: 'guardrail',
      route: '/openai/v1',
      modelId: IDS.gptOssRuntime,
      guardrail: GUARDRAIL,
    });

    // Assess
    expect(obs.httpStatus).toBe(200);
    expect(obs.guardrail?.intervened).toBeNull();
    expect(obs.guardrail?.text).not.toBe(BLOCKED_INPUT);
  });
});

describe('request params', () => {
  it('chat: max_completion_tokens by default, max_tokens in the alternate shape, a required tool for tools', () => {
    // Prepare
    const base = request({ endpoint: 'mantle', api: 'chat', modelId: 'm', maxTokens: 5 });

    // Act
    const plain = chatParams(base);
    const alternate = chatParams({ ...base, shape: 'alternate' });
    const tools = chatParams({ ...base, variant: 'tools' });

    // Assess
    expect(plain).toMatchObject({ max_completion_tokens: 5 });
    expect(plain).not.toHaveProperty('max_tokens');
    expect(alternate).toMatchObject({ max_tokens: 5 });
    expect(alternate).not.toHaveProperty('max_completion_tokens');
    expect(tools.tool_choice).toBe('required');
  });

  it('responses: the canary prompt for guardrail, input as a message list in the alternate shape', () => {
    // Prepare
    const base = request({ endpoint: 'mantle', api: 'responses', modelId: 'm', variant: 'guardrail' });

    // Act
    const plain = responsesParams(base);
    const alternate = responsesParams({ ...base, shape: 'alternate' });

    // Assess
    expect(plain.input).toContain(CANARY);
    expect(plain.max_output_tokens).toBe(16);
    expect(alternate.input).toEqual([
      { role: 'user', content: [{ type: 'input_text', text: expect.stringContaining(CANARY) }] },
    ]);
  });
});
