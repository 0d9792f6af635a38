/** Guardrails named in Converse and InvokeModel requests, enforced and ignored. */
import { ConverseCommand, ConverseStreamCommand, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REPLY } from '../../../../simulator/brain';
import {
  ANTHROPIC_BODY,
  BLOCKED_INPUT,
  BLOCKED_OUTPUT,
  CANARY,
  caught,
  client,
  collectStream,
  HAIKU,
  hello,
  invokeChunks,
  invokeJson,
  LLAMA,
  LLAMA_BODY,
  MISTRAL,
  MISTRAL_BODY,
  NOVA,
  NOVA_BODY,
  SCENARIO,
  sim,
  useRuntimeSimulator,
} from './runtime-sim';

useRuntimeSimulator();

describe('guardrails', () => {
  const guardrailConfig = { guardrailIdentifier: 'gr-canary', guardrailVersion: '1' };

  it('Converse: a blocked input answers guardrail_intervened with the blocked message and no output tokens', async () => {
    // Prepare
    const input = {
      modelId: HAIKU,
      messages: hello(`Please repeat ${CANARY}`),
      guardrailConfig: { ...guardrailConfig, trace: 'enabled' as const },
    };

    // Act
    const out = await client.send(new ConverseCommand(input));

    // Assess
    expect(out.stopReason).toBe('guardrail_intervened');
    expect(out.output?.message?.content?.[0]?.text).toBe(BLOCKED_INPUT);
    expect(out.usage?.outputTokens).toBe(0);
    const assessment = out.trace?.guardrail?.inputAssessment?.['gr-canary'];
    expect(assessment?.wordPolicy?.customWords?.[0]).toMatchObject({ match: CANARY, action: 'BLOCKED' });
    expect(sim.world.calls.at(-1)).toMatchObject({ guardrailId: 'gr-canary', status: 200 });
  });

  it('Converse: without trace there is no trace, and clean input reaches the model', async () => {
    // Act
    const blocked = await client.send(
      new ConverseCommand({ modelId: HAIKU, messages: hello(CANARY), guardrailConfig }),
    );
    const clean = await client.send(
      new ConverseCommand({ modelId: HAIKU, messages: hello(), guardrailConfig }),
    );

    // Assess
    expect(blocked.stopReason).toBe('guardrail_intervened');
    expect(blocked.trace).toBeUndefined();
    expect(clean.stopReason).toBe('end_turn');
    expect(clean.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY);
  });

  it('Converse: a blocked model answer is replaced by the blocked-output message', async () => {
    // Prepare
    const input = {
      modelId: HAIKU,
      messages: hello(),
      guardrailConfig: { guardrailIdentifier: 'gr-output', guardrailVersion: 'DRAFT' },
    };

    // Act
    const out = await client.send(new ConverseCommand(input));

    // Assess
    expect(out.stopReason).toBe('guardrail_intervened');
    expect(out.output?.message?.content?.[0]?.text).toBe(BLOCKED_OUTPUT);
    expect(out.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('ConverseStream: a blocked input streams the blocked message and stops on guardrail_intervened', async () => {
    // Prepare
    const input = { modelId: HAIKU, messages: hello(CANARY), guardrailConfig };

    // Act
    const out = await client.send(new ConverseStreamCommand(input));
    const { events, text } = await collectStream(out.stream);

    // Assess
    expect(text).toBe(BLOCKED_INPUT);
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('guardrail_intervened');
    expect(events.at(-1)?.metadata?.usage?.outputTokens).toBe(0);
  });

  it('InvokeModel: a blocked input answers 200 with INTERVENED and the blocked message', async () => {
    // Act
    const { response, json } = await invokeJson(
      HAIKU,
      { ...ANTHROPIC_BODY, messages: [{ role: 'user', content: `say ${CANARY}` }] },
      { guardrailIdentifier: 'gr-canary', guardrailVersion: '1', trace: 'ENABLED' },
    );

    // Assess
    expect(response.$metadata.httpStatusCode).toBe(200);
    expect(json['amazon-bedrock-guardrailAction']).toBe('INTERVENED');
    expect(json.content).toEqual([{ type: 'text', text: BLOCKED_INPUT }]);
    expect(json.usage.output_tokens).toBe(0);
    expect(json['amazon-bedrock-trace'].guardrail.input['gr-canary'].wordPolicy.customWords[0].match).toBe(
      CANARY,
    );
  });

  it('InvokeModel: clean input answers with guardrailAction NONE', async () => {
    // Act
    const { json } = await invokeJson(LLAMA, LLAMA_BODY, {
      guardrailIdentifier: 'gr-canary',
      guardrailVersion: '1',
    });

    // Assess
    expect(json['amazon-bedrock-guardrailAction']).toBe('NONE');
    expect(json.generation).toBe(DEFAULT_REPLY);
  });

  it('InvokeModel: only the tagged guard content is checked when a tagSuffix is set', async () => {
    // Prepare
    const body = {
      ...NOVA_BODY,
      messages: [
        {
          role: 'user',
          content: [
            {
              text: `${CANARY} is fine here; <amazon-bedrock-guardrails-guardContent_xyz>hello</amazon-bedrock-guardrails-guardContent_xyz>`,
            },
          ],
        },
      ],
      'amazon-bedrock-guardrailConfig': { tagSuffix: 'xyz' },
    };

    // Act
    const { json } = await invokeJson(NOVA, body, {
      guardrailIdentifier: 'gr-canary',
      guardrailVersion: '1',
    });

    // Assess
    expect(json['amazon-bedrock-guardrailAction']).toBe('NONE');
  });

  it('InvokeModelWithResponseStream: a blocked input streams the blocked message, INTERVENED on the last chunk', async () => {
    // Act
    const { chunks } = await invokeChunks(
      MISTRAL,
      { ...MISTRAL_BODY, prompt: `[INST] ${CANARY} [/INST]` },
      { guardrailIdentifier: 'gr-canary', guardrailVersion: '1' },
    );

    // Assess
    expect(chunks.map((c) => c.outputs[0].text).join('')).toBe(BLOCKED_INPUT);
    expect(chunks.at(-1)?.['amazon-bedrock-guardrailAction']).toBe('INTERVENED');
  });

  it('is ignored where the scenario says so: the model answers and tokens are billed', async () => {
    // Prepare
    sim.setScenario({
      ...SCENARIO,
      guardrailBehaviour: { runtime: { converse: 'ignored', invoke: 'ignored' } },
    });

    // Act
    const out = await client
      .send(new ConverseCommand({ modelId: HAIKU, messages: hello(CANARY), guardrailConfig }))
      .finally(() => sim.setScenario(SCENARIO));

    // Assess
    expect(out.stopReason).toBe('end_turn');
    expect(out.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY);
    expect(out.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('an unknown guardrail or version is a ValidationException on Converse and InvokeModel', async () => {
    // Act
    const onConverse = await caught(
      client.send(
        new ConverseCommand({
          modelId: HAIKU,
          messages: hello(),
          guardrailConfig: { guardrailIdentifier: 'gr-missing', guardrailVersion: '1' },
        }),
      ),
    );
    const onInvoke = await caught(
      invokeJson(HAIKU, ANTHROPIC_BODY, { guardrailIdentifier: 'gr-canary', guardrailVersion: '9' }),
    );

    // Assess
    for (const err of [onConverse, onInvoke]) {
      expect(err).toBeInstanceOf(ValidationException);
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(err.message).toBe('The guardrail identifier or version provided in the request does not exist.');
    }
  });

  it('InvokeModel: a guardrail identifier without a version is refused', async () => {
    // Act
    const err = await caught(invokeJson(HAIKU, ANTHROPIC_BODY, { guardrailIdentifier: 'gr-canary' }));

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.message).toMatch(/version/i);
  });
});
