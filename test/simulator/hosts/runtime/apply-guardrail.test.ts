/** ApplyGuardrail through the real AWS SDK. */
import { ApplyGuardrailCommand, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import {
  BLOCKED_INPUT,
  BLOCKED_OUTPUT,
  CANARY,
  caught,
  client,
  sim,
  useRuntimeSimulator,
} from './runtime-sim';

useRuntimeSimulator();

describe('ApplyGuardrail', () => {
  it('intervenes on the canary with the blocked message and a word-policy assessment', async () => {
    // Act
    const out = await client.send(
      new ApplyGuardrailCommand({
        guardrailIdentifier: 'gr-canary',
        guardrailVersion: '1',
        source: 'INPUT',
        content: [{ text: { text: `hello ${CANARY}` } }],
      }),
    );

    // Assess
    expect(out.action).toBe('GUARDRAIL_INTERVENED');
    expect(out.outputs).toEqual([{ text: BLOCKED_INPUT }]);
    expect(out.assessments?.[0]?.wordPolicy?.customWords?.[0]).toMatchObject({
      match: CANARY,
      action: 'BLOCKED',
    });
    expect(out.usage?.wordPolicyUnits).toBe(1);
    expect(out.guardrailCoverage?.textCharacters?.total).toBe(`hello ${CANARY}`.length);
    expect(sim.world.calls.at(-1)).toMatchObject({ api: null, guardrailId: 'gr-canary', status: 200 });
  });

  it('answers NONE for clean text, with the OUTPUT source too', async () => {
    // Act
    const out = await client.send(
      new ApplyGuardrailCommand({
        guardrailIdentifier: 'gr-canary',
        guardrailVersion: 'DRAFT',
        source: 'OUTPUT',
        content: [{ text: { text: 'perfectly fine' } }],
      }),
    );

    // Assess
    expect(out.action).toBe('NONE');
    expect(out.outputs).toEqual([]);
  });

  it('uses the blocked-output message for the OUTPUT source', async () => {
    // Act
    const out = await client.send(
      new ApplyGuardrailCommand({
        guardrailIdentifier: 'gr-canary',
        guardrailVersion: '1',
        source: 'OUTPUT',
        content: [{ text: { text: CANARY } }],
      }),
    );

    // Assess
    expect(out.outputs).toEqual([{ text: BLOCKED_OUTPUT }]);
  });

  it('refuses an unknown guardrail', async () => {
    // Act
    const err = await caught(
      client.send(
        new ApplyGuardrailCommand({
          guardrailIdentifier: 'gr-missing',
          guardrailVersion: '1',
          source: 'INPUT',
          content: [{ text: { text: 'x' } }],
        }),
      ),
    );

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.message).toBe('The guardrail identifier or version provided in the request does not exist.');
  });
});
