import { describe, expect, it } from 'vitest';
import { messagesParams } from '../../../../lambda/adapters/probes/messages';
import { BLOCKED_INPUT, GUARDRAIL, IDS, never, request, useProbeWorld } from './probe-fixture';

describe('messages probes against the simulator', () => {
  const world = useProbeWorld();

  it.each([
    ['mantle', IDS.claudeBare],
    ['runtime', IDS.claudeProfile],
  ] as const)('basic on %s: 200 with a msg_ id, usage and the request id', async (endpoint, modelId) => {
    // Act
    const obs = await world.observe({ endpoint, api: 'messages', route: '/anthropic/v1', modelId });

    // Assess
    expect(obs).toMatchObject({ httpStatus: 200, errorName: null, route: '/anthropic/v1' });
    expect(obs.responseId).toMatch(/^msg_/);
    expect(obs.inputTokens).toBeGreaterThan(0);
    expect(obs.outputTokens).toBeGreaterThan(0);
    expect(obs.requestId).toBeTruthy();
    expect(world.sim.world.calls.at(-1)).toMatchObject({
      path: '/anthropic/v1/messages',
      auth: 'bearer',
      status: 200,
    });
  });

  it('stream: text deltas and message_stop pass the check', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'messages',
      variant: 'stream',
      route: '/anthropic/v1',
      modelId: IDS.claudeBare,
    });

    // Assess
    expect(obs.check).toEqual({
      passed: true,
      detail: expect.stringMatching(/^\d+ text deltas, message_stop$/),
    });
    expect(obs.ttfbMs).not.toBeNull();
    expect(obs.responseId).toMatch(/^msg_/);
  });

  it('tools: a tool_use block with an object input passes the check', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'messages',
      variant: 'tools',
      route: '/anthropic/v1',
      modelId: IDS.claudeProfile,
    });

    // Assess
    expect(obs.check).toEqual({ passed: true, detail: 'tool_use get_weather with an object input' });
  });

  it('guardrail on runtime: the blocked message is the text; on mantle the model answers', async () => {
    // Prepare
    const runtime = request({
      endpoint: 'runtime',
      api: 'messages',
      variant: 'guardrail',
      route: '/anthropic/v1',
      modelId: IDS.claudeProfile,
      guardrail: GUARDRAIL,
    });
    const mantle = { ...runtime, endpoint: 'mantle' as const, modelId: IDS.claudeBare };

    // Act
    const enforced = await world.probe(runtime, never());
    const ignored = await world.probe(mantle, never());

    // Assess
    expect(enforced.guardrail).toEqual({ intervened: null, text: BLOCKED_INPUT });
    expect(ignored.guardrail?.intervened).toBeNull();
    expect(ignored.guardrail?.text).not.toBe(BLOCKED_INPUT);
  });

  it('a model without the Messages api: the Anthropic error type and the raw message', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'messages',
      route: '/anthropic/v1',
      modelId: IDS.gptOssRuntime,
    });

    // Assess
    expect(obs).toMatchObject({ httpStatus: 400, errorName: 'invalid_request_error' });
    expect(obs.message).toMatch(/does not support the '\/anthropic\/v1\/messages' API/);
  });

  it('an unserved /anthropic route on runtime: the 200 UnknownOperationException body is handed on', async () => {
    // Prepare: a route whose /v1/messages path the runtime host does not serve
    const req = request({
      endpoint: 'runtime',
      api: 'messages',
      route: '/anthropic/beta/v1',
      modelId: IDS.claudeProfile,
    });

    // Act
    const obs = await world.probe(req, never());

    // Assess
    expect(obs.httpStatus).toBe(200);
    expect(obs.body).toMatchObject({
      Output: { __type: expect.stringContaining('UnknownOperationException') },
    });
    expect(obs.check).toBeUndefined();
  });
});

describe('messagesParams', () => {
  it('content as a string by default and as text blocks in the alternate shape; tool_choice any for tools', () => {
    // Prepare
    const base = request({ endpoint: 'mantle', api: 'messages', modelId: 'm', maxTokens: 4 });

    // Act
    const plain = messagesParams(base);
    const alternate = messagesParams({ ...base, shape: 'alternate' });
    const tools = messagesParams({ ...base, variant: 'tools' });

    // Assess
    expect(plain).toMatchObject({ max_tokens: 4, messages: [{ role: 'user', content: expect.any(String) }] });
    expect(alternate.messages[0]?.content).toEqual([{ type: 'text', text: expect.any(String) }]);
    expect(tools.tool_choice).toEqual({ type: 'any' });
    expect(tools.tools?.[0]).toMatchObject({ name: 'get_weather', input_schema: { required: ['city'] } });
  });

  it('turns default thinking off, except in the alternate shape (for a model that refuses the field)', () => {
    // Prepare: Claude Sonnet 5 thinks by default (bedrock-ug-doc-history, 2026-08-24)
    const base = request({
      endpoint: 'mantle',
      api: 'messages',
      modelId: 'anthropic.claude-sonnet-5',
      maxTokens: 16,
    });

    // Act
    const plain = messagesParams(base);
    const alternate = messagesParams({ ...base, shape: 'alternate' });

    // Assess
    expect(plain.thinking).toEqual({ type: 'disabled' });
    expect(alternate.thinking).toBeUndefined();
  });
});
