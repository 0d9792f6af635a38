import { describe, expect, it } from 'vitest';
import { applyGuardrail } from '../../../../lambda/adapters/probes';
import { BLOCKED_INPUT, CANARY, GUARDRAIL, useProbeWorld } from './probe-fixture';

describe('applyGuardrail (the control) against the simulator', () => {
  const world = useProbeWorld();

  it('the canary trips the probe Guardrail: intervened, with the blocked message', async () => {
    // Act
    const obs = await applyGuardrail(world.clients, { ...GUARDRAIL, canary: CANARY });

    // Assess
    expect(obs).toMatchObject({
      endpoint: 'runtime',
      api: 'converse',
      variant: 'guardrail',
      modelId: 'guardrail/gr-probe:1',
      httpStatus: 200,
      guardrail: { intervened: true, text: BLOCKED_INPUT },
    });
    expect(obs.requestId).toBeTruthy();
  });

  it('a phrase the word filter does not know passes: intervened false', async () => {
    // Act
    const obs = await applyGuardrail(world.clients, { ...GUARDRAIL, canary: 'harmless-phrase' });

    // Assess
    expect(obs.httpStatus).toBe(200);
    expect(obs.guardrail?.intervened).toBe(false);
  });

  it('an unknown guardrail: the refusal with its status, no intervention claimed', async () => {
    // Act
    const obs = await applyGuardrail(world.clients, { id: 'gr-missing', version: '1', canary: CANARY });

    // Assess
    expect(obs.httpStatus).toBeGreaterThanOrEqual(400);
    expect(obs.errorName).toMatch(/Exception$/);
    expect(obs.guardrail).toBeUndefined();
  });
});
