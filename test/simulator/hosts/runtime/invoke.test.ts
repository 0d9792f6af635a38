/** InvokeModel and InvokeModelWithResponseStream for every model family, through the real AWS SDK. */
import { getToken } from '@aws/bedrock-token-generator';
import { InvokeModelCommand, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REPLY } from '../../../../simulator/brain';
import {
  ANTHROPIC_BODY,
  CREDENTIALS,
  caught,
  client,
  GPT_OSS,
  GPT_OSS_BODY,
  HAIKU,
  invokeChunks,
  invokeJson,
  LLAMA,
  LLAMA_BODY,
  MISTRAL,
  MISTRAL_BODY,
  NOVA,
  NOVA_BODY,
  PALMYRA,
  rawPost,
  SCENARIO,
  sim,
  useRuntimeSimulator,
  WEATHER_TOOL,
  type Wire,
} from './runtime-sim';

useRuntimeSimulator();

describe('InvokeModel per family', () => {
  it('answers an Anthropic Messages body with a message object', async () => {
    // Act
    const { response, json } = await invokeJson(HAIKU, ANTHROPIC_BODY);

    // Assess
    expect(response.contentType).toBe('application/json');
    expect(json).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: DEFAULT_REPLY }],
      stop_reason: 'end_turn',
    });
    expect(json.id).toMatch(/^msg_/);
    expect(json.usage.input_tokens).toBeGreaterThan(0);
    expect(json.usage.output_tokens).toBeGreaterThan(0);
    expect(json).not.toHaveProperty('amazon-bedrock-guardrailAction');
  });

  it('answers Anthropic tools with a tool_use block', async () => {
    // Prepare
    const body = {
      ...ANTHROPIC_BODY,
      tools: [{ name: 'get_weather', input_schema: WEATHER_TOOL.toolSpec.inputSchema.json }],
    };

    // Act
    const { json } = await invokeJson(HAIKU, body);

    // Assess
    expect(json.stop_reason).toBe('tool_use');
    expect(json.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
  });

  it('answers a gpt-oss Chat Completions body with a chat.completion', async () => {
    // Act
    const { json } = await invokeJson(GPT_OSS, GPT_OSS_BODY);

    // Assess
    expect(json.object).toBe('chat.completion');
    expect(json.choices[0].message).toEqual({ role: 'assistant', content: DEFAULT_REPLY });
    expect(json.choices[0].finish_reason).toBe('stop');
    expect(json.usage.total_tokens).toBe(json.usage.prompt_tokens + json.usage.completion_tokens);
  });

  it('answers a Nova messages body with output.message and usage', async () => {
    // Act
    const { json } = await invokeJson(NOVA, NOVA_BODY);

    // Assess
    expect(json.output.message).toEqual({ role: 'assistant', content: [{ text: DEFAULT_REPLY }] });
    expect(json.stopReason).toBe('end_turn');
    expect(json.usage.totalTokens).toBe(json.usage.inputTokens + json.usage.outputTokens);
  });

  it('answers a Meta prompt body with generation and token counts', async () => {
    // Act
    const { json } = await invokeJson(LLAMA, LLAMA_BODY);

    // Assess
    expect(json.generation).toBe(DEFAULT_REPLY);
    expect(json.prompt_token_count).toBeGreaterThan(0);
    expect(json.generation_token_count).toBeGreaterThan(0);
    expect(json.stop_reason).toBe('stop');
  });

  it('answers a Mistral prompt body with outputs and honours max_tokens', async () => {
    // Act
    const { json } = await invokeJson(MISTRAL, { ...MISTRAL_BODY, max_tokens: 3 });

    // Assess
    expect(json.outputs).toEqual([
      { text: DEFAULT_REPLY.split(' ').slice(0, 3).join(' '), stop_reason: 'length' },
    ]);
  });

  it('recalls a code word stated earlier in a Llama chat-template prompt', async () => {
    // Prepare
    const prompt =
      '<|start_header_id|>user<|end_header_id|>\n\nThe code word is HERON.<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\nOK.<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nWhat is the code word?<|eot_id|>';

    // Act
    const { json } = await invokeJson(LLAMA, { prompt });

    // Assess
    expect(json.generation).toBe('HERON');
  });

  it('refuses a body of another family with the schema validator message', async () => {
    // Act
    const err = await caught(invokeJson(LLAMA, ANTHROPIC_BODY));

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(
      'Malformed input request: #: required key [prompt] not found#: extraneous key [anthropic_version] is not permitted#: extraneous key [max_tokens] is not permitted#: extraneous key [messages] is not permitted, please reformat your input and try again.',
    );
  });

  it('refuses a body that is not JSON', async () => {
    // Act
    const err = await caught(
      client.send(
        new InvokeModelCommand({ modelId: HAIKU, contentType: 'application/json', body: 'not json' }),
      ),
    );

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.message).toBe('Malformed input request, please reformat your input and try again.');
  });

  it('refuses an Accept type it cannot produce', async () => {
    // Act
    const err = await caught(invokeJson(HAIKU, ANTHROPIC_BODY, { accept: 'image/png' }));

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.message).toContain("'image/png'");
  });
});

describe('InvokeModel on the wire', () => {
  it('reports token counts in x-amzn-bedrock headers and a request id', async () => {
    // Prepare
    const token = await getToken({ credentials: CREDENTIALS, region: 'us-east-1' });

    // Act
    const res = await rawPost(`/model/${encodeURIComponent(NOVA)}/invoke`, JSON.stringify(NOVA_BODY), {
      authorization: `Bearer ${token}`,
    });

    // Assess
    const body = JSON.parse(res.body);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-amzn-bedrock-input-token-count']).toBe(String(body.usage.inputTokens));
    expect(res.headers['x-amzn-bedrock-output-token-count']).toBe(String(body.usage.outputTokens));
  });

  it('refuses a model ID that cannot be percent-decoded', async () => {
    // Prepare
    const token = await getToken({ credentials: CREDENTIALS, region: 'us-east-1' });

    // Act
    const res = await rawPost('/model/bad%E0%A4%A/invoke', JSON.stringify(NOVA_BODY), {
      authorization: `Bearer ${token}`,
    });

    // Assess
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(JSON.parse(res.body)).toEqual({ message: 'The provided model identifier is invalid.' });
  });

  it('takes whichever known body shape an other-family model is sent', async () => {
    // Act
    const { json } = await invokeJson(PALMYRA, NOVA_BODY);

    // Assess
    expect(json.output.message.content).toEqual([{ text: DEFAULT_REPLY }]);
  });
});

describe('InvokeModelWithResponseStream', () => {
  it('streams Anthropic Messages events as base64 chunks, metrics on the last', async () => {
    // Act
    const { response, chunks } = await invokeChunks(HAIKU, ANTHROPIC_BODY);

    // Assess
    expect(response.contentType).toBe('application/json');
    const types = chunks.map((c) => c.type);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    const text = chunks
      .filter((c) => c.type === 'content_block_delta')
      .map((c) => c.delta.text)
      .join('');
    expect(text).toBe(DEFAULT_REPLY);
    expect(chunks.find((c) => c.type === 'message_delta')?.delta.stop_reason).toBe('end_turn');
    expect(chunks.at(-1)?.['amazon-bedrock-invocationMetrics'].outputTokenCount).toBeGreaterThan(0);
  });

  it.each([
    [
      'gpt-oss',
      GPT_OSS,
      GPT_OSS_BODY,
      (c: Wire) => c.choices[0].delta.content ?? '',
      (c: Wire) => c.choices[0].finish_reason,
    ],
    [
      'nova',
      NOVA,
      NOVA_BODY,
      (c: Wire) => c.contentBlockDelta?.delta.text ?? '',
      (c: Wire) => c.messageStop?.stopReason,
    ],
    ['meta', LLAMA, LLAMA_BODY, (c: Wire) => c.generation, (c: Wire) => c.stop_reason],
    ['mistral', MISTRAL, MISTRAL_BODY, (c: Wire) => c.outputs[0].text, (c: Wire) => c.outputs[0].stop_reason],
  ])(
    'streams the %s family in 2+ chunks that add up to the answer',
    async (_family, modelId, body, text, stop) => {
      // Act
      const { chunks } = await invokeChunks(modelId, body);

      // Assess
      expect(chunks.filter((c) => text(c) !== '').length).toBeGreaterThanOrEqual(2);
      expect(chunks.map(text).join('')).toBe(DEFAULT_REPLY);
      expect(chunks.map(stop).filter(Boolean)).toEqual([chunks.map(stop).find(Boolean)]);
      expect(chunks.at(-1)).toHaveProperty('amazon-bedrock-invocationMetrics');
    },
  );

  it('refuses streaming for a model without it', async () => {
    // Prepare
    sim.setScenario({
      ...SCENARIO,
      models: SCENARIO.models.map((m) =>
        m.runtime?.id === MISTRAL ? { ...m, runtime: { ...m.runtime, apis: { invoke: {} } } } : m,
      ),
    });

    // Act
    const err = await caught(invokeChunks(MISTRAL, MISTRAL_BODY)).finally(() => sim.setScenario(SCENARIO));

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.message).toBe('The model is unsupported for streaming.');
  });
});
