/** Chat Completions through the `openai` SDK on mantle and runtime. */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  failure,
  hello,
  mantleOpenAi,
  mantleV1,
  runtime,
  sim,
  useOpenAiSimulator,
  WEATHER_TOOL,
} from './openai-sim';

useOpenAiSimulator();

describe('chat completions', () => {
  it('answers a basic chat on mantle /v1 with text, finish reason and usage', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', messages: hello, max_tokens: 64 };

    // Act
    const completion = await mantleV1.chat.completions.create(request);

    // Assess
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toBe('Hello from the bedrock-matrix simulator.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it('cuts the answer at max_tokens with finish_reason length', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', messages: hello, max_completion_tokens: 2 };

    // Act
    const completion = await mantleV1.chat.completions.create(request);

    // Assess
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.choices[0]?.message.content).toBe('Hello from');
    expect(completion.usage?.completion_tokens).toBe(2);
  });

  it('streams role, 2+ content deltas, a finish chunk and a usage chunk', async () => {
    // Prepare
    const request = {
      model: 'openai.gpt-oss-120b',
      messages: hello,
      stream: true as const,
      stream_options: { include_usage: true },
    };

    // Act
    const stream = await mantleV1.chat.completions.create(request);
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    // Assess
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const contentDeltas = chunks.map((c) => c.choices[0]?.delta.content).filter((c) => c);
    expect(contentDeltas.length).toBeGreaterThanOrEqual(2);
    expect(contentDeltas.join('')).toBe('Hello from the bedrock-matrix simulator.');
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'stop')).toBe(true);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('streams a tool call the SDK stream helper reassembles', async () => {
    // Prepare
    const tools = [
      { type: 'function' as const, function: { name: 'get_weather', parameters: WEATHER_TOOL } },
    ];

    // Act
    const stream = mantleV1.chat.completions.stream({
      model: 'openai.gpt-oss-120b',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
    });
    const final = await stream.finalChatCompletion();

    // Assess
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : null).toEqual({
      city: 'Paris',
      days: 1,
    });
  });

  it('returns a non-streamed tool call with JSON-string arguments', async () => {
    // Prepare
    const tools = [
      { type: 'function' as const, function: { name: 'get_weather', parameters: WEATHER_TOOL } },
    ];

    // Act
    const completion = await runtime.chat.completions.create({
      model: 'openai.gpt-oss-120b-1:0',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
    });

    // Assess
    const message = completion.choices[0]?.message;
    expect(message?.content).toBeNull();
    expect(message?.tool_calls?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Paris","days":1}' },
    });
    expect(message?.tool_calls?.[0]?.id).toMatch(/^call_/);
  });

  it('refuses a chat to a model that only serves Responses, quoting the called path', async () => {
    // Prepare
    const request = { model: 'openai.gpt-5.6-sol', messages: hello };

    // Act
    const err = await failure(mantleOpenAi.chat.completions.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toBe(
      "400 The model 'openai.gpt-5.6-sol' does not support the '/openai/v1/chat/completions' API",
    );
    expect(err.type).toBe('invalid_request_error');
  });

  it('answers an unknown model with NotFoundError, code and type swapped as mantle does (docs/bedrock-wire.md, error envelopes)', async () => {
    // Prepare
    const request = { model: 'us.openai.gpt-oss-120b', messages: hello };

    // Act
    const err = await failure(mantleV1.chat.completions.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.message).toBe("404 The model 'us.openai.gpt-oss-120b' does not exist");
    expect(err.code).toBe('not_found_error');
    expect(err.type).toBe('invalid_request_error');
  });

  it('throttles the first matching call with a RateLimitError, then answers', async () => {
    // Prepare
    const request = { model: 'qwen.throttled', messages: hello };

    // Act
    const err = await failure(mantleV1.chat.completions.create(request));
    const retry = await mantleV1.chat.completions.create(request);

    // Assess
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.status).toBe(429);
    expect(err.type).toBe('rate_limit_error');
    expect(retry.choices[0]?.message.content).toBeTruthy();
  });

  it('surfaces a 503 fault as an InternalServerError with status 503', async () => {
    // Prepare
    const request = { model: 'qwen.overloaded', messages: hello };

    // Act
    const err = await failure(mantleV1.chat.completions.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.status).toBe(503);
  });

  it('refuses an invalid bearer token with AuthenticationError invalid_api_key', async () => {
    // Prepare
    const client = new OpenAI({
      baseURL: `${sim.urls.mantle}/v1`,
      apiKey: 'sk-not-a-bedrock-key',
      maxRetries: 0,
    });

    // Act
    const err = await failure(
      client.chat.completions.create({ model: 'openai.gpt-oss-120b', messages: hello }),
    );

    // Assess
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe('invalid_api_key');
    expect(err.message).toBe('401 Invalid bearer token');
  });

  it('sets x-request-id on answers', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', messages: hello };

    // Act
    const { response } = await mantleV1.chat.completions.create(request).withResponse();

    // Assess
    expect(response.headers.get('x-request-id')).toMatch(/\S{8,}/);
  });
});
