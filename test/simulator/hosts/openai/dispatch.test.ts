import { getToken } from '@aws/bedrock-token-generator';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../../simulator/server';
import type { Scenario } from '../../../../simulator/types';
import { rejectionOf } from '../../../support/rejection';

const CREDENTIALS = { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' };
const BLOCKED = 'Sorry, the bedrock-matrix canary guardrail blocked this request.';
const CANARY = 'ZEBRA-CANARY-7731';
const GUARDRAIL_HEADERS = {
  'X-Amzn-Bedrock-GuardrailIdentifier': 'gr-canary',
  'X-Amzn-Bedrock-GuardrailVersion': '1',
};
const WEATHER_TOOL = {
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer' } },
  required: ['city', 'days'],
};

const SCENARIO: Scenario = {
  name: 'openai-compat-test',
  guardrailBehaviour: {
    runtime: { chat: 'enforced', responses: 'ignored' },
    mantle: { chat: 'ignored', responses: 'ignored' },
  },
  guardrails: [
    {
      id: 'gr-canary',
      versions: ['1'],
      words: [CANARY],
      blockedInputMessage: BLOCKED,
      blockedOutputMessage: 'Output blocked.',
    },
  ],
  faults: [
    { type: 'throttle', count: 1, match: { model: 'qwen.throttled' } },
    { type: 'server-error', status: 503, match: { model: 'qwen.overloaded' } },
  ],
  models: [
    {
      key: 'openai.gpt-oss-120b',
      provider: 'OpenAI',
      family: 'gpt-oss',
      mantle: {
        id: 'openai.gpt-oss-120b',
        apis: {
          chat: { routes: ['/v1'], features: ['stream', 'tools'] },
          responses: { routes: ['/v1'], features: ['stream', 'tools', 'stateful', 'background'] },
        },
      },
      runtime: {
        id: 'openai.gpt-oss-120b-1:0',
        apis: { chat: { routes: ['/openai/v1'], features: ['stream', 'tools'] } },
      },
    },
    {
      key: 'openai.gpt-5.6-sol',
      provider: 'OpenAI',
      family: 'other',
      mantle: {
        id: 'openai.gpt-5.6-sol',
        apis: {
          responses: { routes: ['/openai/v1'], features: ['stream', 'tools', 'stateful', 'background'] },
        },
      },
      runtime: {
        id: 'openai.gpt-5.6-sol',
        onDemand: false,
        profiles: ['us.openai.gpt-5.6-sol'],
        apis: { responses: { routes: ['/openai/v1'], features: ['stream', 'tools', 'stateful'] } },
      },
    },
    {
      key: 'anthropic.claude-sonnet-4-6',
      provider: 'Anthropic',
      family: 'anthropic',
      mantle: { id: 'anthropic.claude-sonnet-4-6', apis: { messages: { routes: ['/anthropic/v1'] } } },
    },
    {
      key: 'qwen.hidden',
      provider: 'Qwen',
      family: 'other',
      mantle: { id: 'qwen.hidden', listed: false, apis: { chat: { routes: ['/v1'] } } },
    },
    {
      key: 'qwen.throttled',
      provider: 'Qwen',
      family: 'other',
      mantle: { id: 'qwen.throttled', apis: { chat: { routes: ['/v1'] } } },
    },
    {
      key: 'qwen.overloaded',
      provider: 'Qwen',
      family: 'other',
      mantle: { id: 'qwen.overloaded', apis: { chat: { routes: ['/v1'] } } },
    },
  ],
};

let sim: RunningSimulator;
let token: string;
let mantleV1: OpenAI;
let mantleOpenAi: OpenAI;
let runtime: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ scenario: SCENARIO });
  token = await getToken({ credentials: CREDENTIALS, region: 'us-east-1' });
  mantleV1 = new OpenAI({ baseURL: `${sim.urls.mantle}/v1`, apiKey: token, maxRetries: 0 });
  mantleOpenAi = new OpenAI({ baseURL: `${sim.urls.mantle}/openai/v1`, apiKey: token, maxRetries: 0 });
  runtime = new OpenAI({ baseURL: `${sim.urls.runtime}/openai/v1`, apiKey: token, maxRetries: 0 });
});

afterAll(async () => {
  await sim?.close();
});

/** The rejection of a call that must fail. */
const failure = (call: Promise<unknown>) => rejectionOf(call, OpenAI.APIError);

const hello = [{ role: 'user' as const, content: 'Say hello.' }];

describe('mantle models list', () => {
  it('lists the listed mantle models in the OpenAI list format', async () => {
    // Prepare
    const client = mantleV1;

    // Act
    const page = await client.models.list();

    // Assess
    const ids = page.data.map((m) => m.id);
    expect(ids).toEqual([
      'openai.gpt-oss-120b',
      'openai.gpt-5.6-sol',
      'anthropic.claude-sonnet-4-6',
      'qwen.throttled',
      'qwen.overloaded',
    ]);
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: 'OpenAI' });
    expect(typeof page.data[0]?.created).toBe('number');
  });

  it('answers runtime /openai/v1/models as an unknown operation (404)', async () => {
    // Prepare
    const client = runtime;

    // Act
    const err = await failure(client.models.list());

    // Assess
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.status).toBe(404);
  });
});

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

  it('answers an unknown model with NotFoundError, code and type swapped as mantle does (facts §9.1)', async () => {
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

describe('responses', () => {
  it('answers a basic response with output text and usage', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', input: 'Say hello.', max_output_tokens: 32 };

    // Act
    const response = await mantleV1.responses.create(request);

    // Assess
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Hello from the bedrock-matrix simulator.');
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant' });
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
  });

  it('rejects max_output_tokens below 16 with a BadRequestError naming the value', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', input: 'Say hello.', max_output_tokens: 8 };

    // Act
    const err = await failure(mantleV1.responses.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('max_output_tokens');
    expect(err.message).toContain('Expected a value >= 16, but got 8 instead.');
  });

  it('streams the typed events in order and the SDK assembles the final response', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', input: 'Say hello.' };

    // Act
    const stream = mantleV1.responses.stream(request);
    const events: { type: string; sequence_number: number }[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();

    // Assess
    const types = events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.filter((t) => t === 'response.output_text.delta').length).toBeGreaterThanOrEqual(2);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(final.output_text).toBe('Hello from the bedrock-matrix simulator.');
  });

  it('returns a function_call item for function tools', async () => {
    // Prepare
    const tools = [
      { type: 'function' as const, name: 'get_weather', parameters: WEATHER_TOOL, strict: false },
    ];

    // Act
    const response = await mantleV1.responses.create({
      model: 'openai.gpt-oss-120b',
      input: 'Weather?',
      tools,
    });

    // Assess
    const item = response.output[0];
    expect(item?.type).toBe('function_call');
    if (item?.type !== 'function_call') throw new Error('expected a function call');
    expect(item.name).toBe('get_weather');
    expect(item.call_id).toMatch(/^call_/);
    expect(JSON.parse(item.arguments)).toEqual({ city: 'Paris', days: 1 });
  });

  it('streams a function call as argument deltas the SDK reassembles', async () => {
    // Prepare
    const tools = [
      { type: 'function' as const, name: 'get_weather', parameters: WEATHER_TOOL, strict: false },
    ];

    // Act
    const stream = mantleV1.responses.stream({ model: 'openai.gpt-oss-120b', input: 'Weather?', tools });
    const argumentDeltas: string[] = [];
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta') argumentDeltas.push(event.delta);
    }
    const final = await stream.finalResponse();

    // Assess
    expect(argumentDeltas.length).toBeGreaterThanOrEqual(2);
    expect(final.output[0]).toMatchObject({ type: 'function_call', name: 'get_weather' });
    const item = final.output[0];
    expect(item?.type === 'function_call' ? JSON.parse(item.arguments) : null).toEqual({
      city: 'Paris',
      days: 1,
    });
  });

  it('recalls the earlier turn through previous_response_id, inheriting the model on mantle', async () => {
    // Prepare
    const first = await mantleV1.responses.create({
      model: 'openai.gpt-oss-120b',
      input: 'The code word is PELICAN. Reply OK.',
    });

    // Act
    const second = await mantleV1.responses.create({
      previous_response_id: first.id,
      input: 'What is the code word?',
    } as Parameters<typeof mantleV1.responses.create>[0] & { stream?: false });

    // Assess
    expect(second.output_text).toBe('PELICAN');
    expect(second.previous_response_id).toBe(first.id);
  });

  it('answers an unknown previous_response_id with NotFoundError', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', input: 'Hi', previous_response_id: 'resp_missing' };

    // Act
    const err = await failure(mantleV1.responses.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.message).toContain("'resp_missing'");
  });

  it('runs background responses queued -> in_progress -> completed across retrieves', async () => {
    // Prepare
    const created = await mantleV1.responses.create({
      model: 'openai.gpt-oss-120b',
      input: 'Say hello.',
      background: true,
    });

    // Act
    const second = await mantleV1.responses.retrieve(created.id);
    const third = await mantleV1.responses.retrieve(created.id);

    // Assess
    expect(created.status).toBe('queued');
    expect(second.status).toBe('in_progress');
    expect(third.status).toBe('completed');
    expect(third.output_text).toBe('Hello from the bedrock-matrix simulator.');
  });

  it('cancels a queued background response and deletes stored responses', async () => {
    // Prepare
    const created = await mantleV1.responses.create({
      model: 'openai.gpt-oss-120b',
      input: 'Say hello.',
      background: true,
    });

    // Act
    const cancelled = await mantleV1.responses.cancel(created.id);
    await mantleV1.responses.delete(created.id);
    const err = await failure(mantleV1.responses.retrieve(created.id));

    // Assess
    expect(cancelled.status).toBe('cancelled');
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('serves GPT-5-style models only on /openai/v1: /v1 gets the wrong-route BadRequestError', async () => {
    // Prepare
    const request = { model: 'openai.gpt-5.6-sol', input: 'Say hello.' };

    // Act
    const ok = await mantleOpenAi.responses.create(request);
    const err = await failure(mantleV1.responses.create(request));

    // Assess
    expect(ok.output_text).toBe('Hello from the bedrock-matrix simulator.');
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toBe("400 model openai.gpt-5.6-sol isn't supported on this route");
  });

  it('answers the wrong route with AuthenticationError when the scenario uses the 401 variant', async () => {
    // Prepare
    sim.setScenario({ ...SCENARIO, wrongRouteStatus: 401 });

    // Act
    const err = await failure(
      mantleV1.responses.create({ model: 'openai.gpt-5.6-sol', input: 'Hi' }),
    ).finally(() => sim.setScenario(SCENARIO));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.message).toContain('is not enabled');
  });

  it('refuses Responses for a chat-only model with "does not support the \'/v1/responses\' API"', async () => {
    // Prepare
    const request = { model: 'qwen.hidden', input: 'Hi' };

    // Act
    const err = await failure(mantleV1.responses.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toBe("400 The model 'qwen.hidden' does not support the '/v1/responses' API");
  });

  it('on runtime: needs the model on every call, keeps state, and refuses background', async () => {
    // Prepare
    const model = 'us.openai.gpt-5.6-sol';
    const first = await runtime.responses.create({ model, input: 'The code word is HERON. Reply OK.' });

    // Act
    const recalled = await runtime.responses.create({
      model,
      previous_response_id: first.id,
      input: 'What is the code word?',
    });
    const noModel = await failure(
      runtime.responses.create({ previous_response_id: first.id, input: 'Again?' } as never),
    );
    const background = await failure(runtime.responses.create({ model, input: 'Hi', background: true }));

    // Assess
    expect(recalled.output_text).toBe('HERON');
    expect(noModel).toBeInstanceOf(OpenAI.BadRequestError);
    expect(noModel.param).toBe('model');
    expect(background).toBeInstanceOf(OpenAI.BadRequestError);
    expect(background.message).toContain('background');
  });

  it('on runtime: the on-demand ID of a profile-only model asks for an inference profile', async () => {
    // Prepare
    const request = { model: 'openai.gpt-5.6-sol', input: 'Hi' };

    // Act
    const err = await failure(runtime.responses.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('with on-demand throughput isn\u2019t supported');
  });

  it('keeps mantle and runtime response stores apart', async () => {
    // Prepare
    const onMantle = await mantleV1.responses.create({ model: 'openai.gpt-oss-120b', input: 'Hi' });

    // Act
    const err = await failure(runtime.responses.retrieve(onMantle.id));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
