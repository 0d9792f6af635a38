/** Guardrail headers on the OpenAI-compatible paths: ignored on mantle, enforced on runtime. */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { BLOCKED, CANARY, GUARDRAIL_HEADERS } from './canary-guardrail';
import { failure, hello, mantleV1, runtime, sim, token, useOpenAiSimulator } from './openai/openai-sim';

useOpenAiSimulator();

describe('guardrail headers', () => {
  it('are silently ignored on mantle: the model answers and tokens are billed', async () => {
    // Prepare
    const request = {
      model: 'openai.gpt-oss-120b',
      messages: [{ role: 'user' as const, content: `Repeat ${CANARY}` }],
    };

    // Act
    const completion = await mantleV1.chat.completions.create(request, { headers: GUARDRAIL_HEADERS });

    // Assess
    expect(completion.choices[0]?.message.content).toBe('Hello from the bedrock-matrix simulator.');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(sim.world.calls.at(-1)?.guardrailId).toBe('gr-canary');
  });

  it('are enforced on runtime chat: the blocked message comes back with nothing generated', async () => {
    // Prepare
    const request = {
      model: 'openai.gpt-oss-120b-1:0',
      messages: [{ role: 'user' as const, content: `Repeat ${CANARY}` }],
    };

    // Act
    const completion = await runtime.chat.completions.create(request, { headers: GUARDRAIL_HEADERS });

    // Assess
    expect(completion.choices[0]?.message.content).toBe(BLOCKED);
    expect(completion.choices[0]?.finish_reason).toBe('content_filter');
    expect(completion.usage?.completion_tokens).toBe(0);
  });

  it('let a clean input through on runtime chat', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b-1:0', messages: hello };

    // Act
    const completion = await runtime.chat.completions.create(request, { headers: GUARDRAIL_HEADERS });

    // Assess
    expect(completion.choices[0]?.message.content).toBe('Hello from the bedrock-matrix simulator.');
  });

  it('with an unknown guardrail version are refused on runtime chat', async () => {
    // Prepare
    const headers = { ...GUARDRAIL_HEADERS, 'X-Amzn-Bedrock-GuardrailVersion': '9' };

    // Act
    const err = await failure(
      runtime.chat.completions.create({ model: 'openai.gpt-oss-120b-1:0', messages: hello }, { headers }),
    );

    // Assess
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('guardrail');
  });

  it('never lets the bearer token into the call log', async () => {
    // Prepare
    const secretPart = token.slice('bedrock-api-key-'.length, 'bedrock-api-key-'.length + 40);

    // Act
    const log = JSON.stringify(sim.world.calls);

    // Assess
    expect(sim.world.calls.length).toBeGreaterThan(0);
    expect(log).not.toContain(secretPart);
    expect(log).not.toContain('bedrock-api-key-');
  });
});
