import { describe, expect, it } from 'vitest';
import { invokeBody, readInvokeAnswer, streamMetrics } from '../../../lambda/core/invoke-bodies';

describe('invokeBody', () => {
  it('anthropic: the Bedrock anthropic_version with text blocks and max_tokens', () => {
    // Act
    const body = invokeBody('anthropic', 'hi', 8);

    // Assess
    expect(body).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 8,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
  });

  it('gpt-oss: the OpenAI chat shape with max_completion_tokens', () => {
    // Act
    const body = invokeBody('gpt-oss', 'hi', 8);

    // Assess
    expect(body).toEqual({ messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 8 });
  });

  it('nova: messages-v1 with inferenceConfig.maxTokens', () => {
    // Act
    const body = invokeBody('nova', 'hi', 8);

    // Assess
    expect(body).toEqual({
      schemaVersion: 'messages-v1',
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      inferenceConfig: { maxTokens: 8 },
    });
  });

  it('meta: a Llama 3 chat-template prompt and max_gen_len; mistral: [INST] and max_tokens', () => {
    // Act
    const meta = invokeBody('meta', 'hi', 8);
    const mistral = invokeBody('mistral', 'hi', 8);

    // Assess
    expect(meta.max_gen_len).toBe(8);
    expect(meta.prompt).toMatch(
      /^<\|begin_of_text\|><\|start_header_id\|>user<\|end_header_id\|>\n\nhi<\|eot_id\|>/,
    );
    expect(meta.prompt).toMatch(/assistant<\|end_header_id\|>\n\n$/);
    expect(mistral).toEqual({ prompt: '<s>[INST] hi [/INST]', max_tokens: 8 });
  });
});

describe('readInvokeAnswer', () => {
  it.each([
    [
      'anthropic',
      { id: 'msg_1', content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 3, output_tokens: 1 } },
      { text: 'ok', inputTokens: 3, outputTokens: 1, responseId: 'msg_1' },
    ],
    [
      'gpt-oss',
      {
        id: 'chatcmpl-1',
        choices: [{ message: { role: 'assistant', content: 'ok' } }],
        usage: { prompt_tokens: 3, completion_tokens: 1 },
      },
      { text: 'ok', inputTokens: 3, outputTokens: 1, responseId: 'chatcmpl-1' },
    ],
    [
      'nova',
      {
        output: { message: { content: [{ text: 'o' }, { text: 'k' }] } },
        usage: { inputTokens: 3, outputTokens: 1 },
      },
      { text: 'ok', inputTokens: 3, outputTokens: 1, responseId: null },
    ],
    [
      'meta',
      { generation: 'ok', prompt_token_count: 3, generation_token_count: 1 },
      { text: 'ok', inputTokens: 3, outputTokens: 1, responseId: null },
    ],
    [
      'mistral',
      { outputs: [{ text: 'ok' }] },
      { text: 'ok', inputTokens: null, outputTokens: null, responseId: null },
    ],
  ] as const)('%s: text, usage and id', (family, body, expected) => {
    // Act
    const answer = readInvokeAnswer(family, body);

    // Assess
    expect(answer).toEqual(expected);
  });

  it("prefers Bedrock's invocation metrics over the family's own counts", () => {
    // Prepare
    const body = {
      outputs: [{ text: 'ok' }],
      'amazon-bedrock-invocationMetrics': { inputTokenCount: 9, outputTokenCount: 2 },
    };

    // Act
    const answer = readInvokeAnswer('mistral', body);

    // Assess
    expect(answer).toMatchObject({ inputTokens: 9, outputTokens: 2 });
  });

  it('an error body reads as no text and no usage instead of throwing', () => {
    // Act
    const answer = readInvokeAnswer('anthropic', { Output: { __type: 'UnknownOperationException' } });

    // Assess
    expect(answer).toEqual({ text: null, inputTokens: null, outputTokens: null, responseId: null });
  });

  it('streamMetrics finds the counts only in a chunk that has them', () => {
    // Act
    const none = streamMetrics({ delta: { text: 'o' } });
    const last = streamMetrics({
      'amazon-bedrock-invocationMetrics': { inputTokenCount: 4, outputTokenCount: 5 },
    });

    // Assess
    expect(none).toBeNull();
    expect(last).toEqual({ inputTokens: 4, outputTokens: 5 });
  });
});
