import { describe, expect, it } from 'vitest';
import { converseInput } from '../../../../lambda/adapters/probes/converse';
import { BLOCKED_INPUT, GUARDRAIL, IDS, request, useProbeWorld } from './probe-fixture';

describe('converse probes against the simulator', () => {
  const world = useProbeWorld();

  it('basic: a 200 with token usage, request id and latency', async () => {
    // Act
    const obs = await world.observe({ endpoint: 'runtime', api: 'converse', modelId: IDS.gptOssRuntime });

    // Assess
    expect(obs).toMatchObject({
      endpoint: 'runtime',
      api: 'converse',
      variant: 'basic',
      modelId: IDS.gptOssRuntime,
      httpStatus: 200,
      errorName: null,
      message: null,
    });
    expect(obs.inputTokens).toBeGreaterThan(0);
    expect(obs.outputTokens).toBeGreaterThan(0);
    expect(obs.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(obs.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('stream: deltas and a messageStop pass the check, with a time to first byte', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'converse',
      variant: 'stream',
      modelId: IDS.claudeProfile,
    });

    // Assess
    expect(obs.httpStatus).toBe(200);
    expect(obs.check).toEqual({
      passed: true,
      detail: expect.stringMatching(/contentBlockDelta.*messageStop/),
    });
    expect(obs.ttfbMs).toBeGreaterThanOrEqual(0);
    expect(obs.ttfbMs).toBeLessThanOrEqual(obs.latencyMs ?? 0);
    expect(obs.outputTokens).toBeGreaterThan(0);
  });

  it('tools: a toolUse with an object input passes the check', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'converse',
      variant: 'tools',
      modelId: IDS.nova,
    });

    // Assess
    expect(obs.check).toEqual({ passed: true, detail: 'toolUse get_weather with an object input' });
  });

  it('guardrail: the canary is stopped and the marker and blocked message are reported', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'converse',
      variant: 'guardrail',
      modelId: IDS.gptOssRuntime,
      guardrail: GUARDRAIL,
    });

    // Assess
    expect(obs.httpStatus).toBe(200);
    expect(obs.guardrail).toEqual({ intervened: true, text: BLOCKED_INPUT });
    expect(world.sim.world.calls.at(-1)?.guardrailId).toBe(GUARDRAIL.id);
  });

  it('basic on a profile-only model: the on-demand refusal comes back raw', async () => {
    // Act
    const obs = await world.observe({ endpoint: 'runtime', api: 'converse', modelId: IDS.claudeBare });

    // Assess
    expect(obs).toMatchObject({ httpStatus: 400, errorName: 'ValidationException' });
    expect(obs.message).toMatch(/on-demand throughput isn.t supported/);
    expect(obs.requestId).toBeTruthy();
  });

  it('basic on a model without access: 403 AccessDeniedException', async () => {
    // Act
    const obs = await world.observe({ endpoint: 'runtime', api: 'converse', modelId: IDS.llamaDenied });

    // Assess
    expect(obs).toMatchObject({ httpStatus: 403, errorName: 'AccessDeniedException' });
    expect(obs.message).toMatch(/don.t have access to the model/);
  });
});

describe('converseInput', () => {
  it('sends the token cap, and forces the tool only for the tools variant', () => {
    // Prepare
    const basic = request({ endpoint: 'runtime', api: 'converse', modelId: 'm', maxTokens: 7 });
    const tools = { ...basic, variant: 'tools' as const };

    // Act
    const basicInput = converseInput(basic);
    const toolsInput = converseInput(tools);

    // Assess
    expect(basicInput.inferenceConfig).toEqual({ maxTokens: 7 });
    expect(basicInput.toolConfig).toBeUndefined();
    expect(basicInput.guardrailConfig).toBeUndefined();
    expect(toolsInput.toolConfig?.toolChoice).toEqual({ any: {} });
    expect(toolsInput.toolConfig?.tools?.[0]?.toolSpec?.name).toBe('get_weather');
  });
});
