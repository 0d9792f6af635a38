import { describe, expect, it } from 'vitest';
import { invokeInput } from '../../../../lambda/adapters/probes/invoke';
import { BLOCKED_INPUT, GUARDRAIL, IDS, never, request, useProbeWorld } from './probe-fixture';

describe('invoke probes against the simulator', () => {
  const world = useProbeWorld();

  it.each([
    ['nova', IDS.nova, null],
    ['anthropic', IDS.claudeProfile, /^msg_/],
    ['gpt-oss', IDS.gptOssRuntime, /^chatcmpl-/],
  ] as const)(
    'basic with the %s body: 200 with usage read from the answer',
    async (family, modelId, idPattern) => {
      // Prepare
      const req = request({ endpoint: 'runtime', api: 'invoke', modelId, family });

      // Act
      const obs = await world.probe(req, never());

      // Assess
      expect(obs).toMatchObject({ httpStatus: 200, errorName: null });
      expect(obs.inputTokens).toBeGreaterThan(0);
      expect(obs.outputTokens).toBeGreaterThan(0);
      expect(obs.requestId).toBeTruthy();
      if (idPattern) expect(obs.responseId).toMatch(idPattern);
      else expect(obs.responseId).toBeNull();
    },
  );

  it('stream: chunks and a clean end pass the check; usage comes from the invocation metrics', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'invoke',
      variant: 'stream',
      modelId: IDS.claudeProfile,
      family: 'anthropic',
    });

    // Assess
    expect(obs.check?.passed).toBe(true);
    expect(obs.check?.detail).toMatch(/^\d+ chunks, stream ended cleanly$/);
    expect(obs.ttfbMs).not.toBeNull();
    expect(obs.outputTokens).toBeGreaterThan(0);
  });

  it('guardrail: amazon-bedrock-guardrailAction INTERVENED becomes intervened true with the blocked text', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'invoke',
      variant: 'guardrail',
      modelId: IDS.gptOssRuntime,
      family: 'gpt-oss',
      guardrail: GUARDRAIL,
    });

    // Assess
    expect(obs.httpStatus).toBe(200);
    expect(obs.guardrail).toEqual({ intervened: true, text: BLOCKED_INPUT });
    expect(obs.body).toMatchObject({ 'amazon-bedrock-guardrailAction': 'INTERVENED' });
  });

  it('guardrail on an unknown guardrail version: the refusal is reported, not a block', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'invoke',
      variant: 'guardrail',
      modelId: IDS.nova,
      family: 'nova',
      guardrail: { id: GUARDRAIL.id, version: '99' },
    });

    // Assess
    expect(obs.httpStatus).toBeGreaterThanOrEqual(400);
    expect(obs.guardrail).toBeUndefined();
    expect(obs.message).toBeTruthy();
  });

  it('an unknown model ID: 400 ValidationException "invalid identifier"', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'invoke',
      modelId: 'acme.unknown-v1:0',
      family: 'nova',
    });

    // Assess
    expect(obs).toMatchObject({
      httpStatus: 400,
      errorName: 'ValidationException',
      message: 'The provided model identifier is invalid.',
    });
  });
});

describe('invokeInput', () => {
  it('attaches the guardrail parameters only to the guardrail variant', () => {
    // Prepare
    const base = request({
      endpoint: 'runtime',
      api: 'invoke',
      modelId: 'm',
      family: 'meta',
      guardrail: GUARDRAIL,
    });

    // Act
    const basic = invokeInput(base);
    const guarded = invokeInput({ ...base, variant: 'guardrail' });

    // Assess
    expect(basic.guardrailIdentifier).toBeUndefined();
    expect(guarded).toMatchObject({
      guardrailIdentifier: 'gr-probe',
      guardrailVersion: '1',
      trace: 'ENABLED',
    });
    const body = JSON.parse(new TextDecoder().decode(guarded.body as Uint8Array));
    expect(body.prompt).toContain('BMX-CANARY-7F3A9C');
  });

  it('refuses a request without a body family, naming the model', () => {
    // Prepare
    const req = request({ endpoint: 'runtime', api: 'invoke', modelId: 'acme.x' });

    // Act
    const act = () => invokeInput(req);

    // Assess
    expect(act).toThrow("no InvokeModel body family for model 'acme.x'");
  });
});
