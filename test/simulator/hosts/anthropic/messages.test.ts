import Anthropic from '@anthropic-ai/sdk';
import { getToken } from '@aws/bedrock-token-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../../simulator/server';
import type { Scenario } from '../../../../simulator/types';
import { rejectionOf } from '../../../support/rejection';
import { SIM_CREDENTIALS } from '../../../support/simulator';
import { BLOCKED, CANARY, CANARY_GUARDRAIL, GUARDRAIL_HEADERS } from '../canary-guardrail';

const CREDENTIALS = SIM_CREDENTIALS;
const CLAUDE_MANTLE = 'anthropic.claude-sonnet-4-6';
const CLAUDE_PROFILE = 'us.anthropic.claude-sonnet-4-6';

const SCENARIO: Scenario = {
  name: 'anthropic-test',
  guardrailBehaviour: { runtime: { messages: 'enforced' }, mantle: { messages: 'ignored' } },
  guardrails: [CANARY_GUARDRAIL],
  faults: [{ type: 'throttle', count: 1, match: { model: 'anthropic.claude-haiku-throttled' } }],
  models: [
    {
      key: 'anthropic.claude-sonnet-4-6',
      provider: 'Anthropic',
      family: 'anthropic',
      mantle: {
        id: CLAUDE_MANTLE,
        apis: { messages: { routes: ['/anthropic/v1'], features: ['stream', 'tools'] } },
      },
      runtime: {
        id: 'anthropic.claude-sonnet-4-6',
        onDemand: false,
        profiles: [CLAUDE_PROFILE],
        apis: { messages: { features: ['stream', 'tools'] }, converse: { features: ['stream', 'tools'] } },
      },
    },
    {
      key: 'anthropic.claude-haiku-throttled',
      provider: 'Anthropic',
      family: 'anthropic',
      mantle: { id: 'anthropic.claude-haiku-throttled', apis: { messages: { routes: ['/anthropic/v1'] } } },
    },
    {
      key: 'openai.gpt-oss-120b',
      provider: 'OpenAI',
      family: 'gpt-oss',
      mantle: { id: 'openai.gpt-oss-120b', apis: { chat: { routes: ['/v1'] } } },
    },
    {
      key: 'anthropic.claude-denied',
      provider: 'Anthropic',
      family: 'anthropic',
      mantle: { id: 'anthropic.claude-denied', access: 'denied', apis: { messages: {} } },
    },
  ],
};

const WEATHER = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['city', 'unit'],
  },
};
const hello = [{ role: 'user' as const, content: 'Say hello.' }];

let sim: RunningSimulator;
let token: string;
let mantle: Anthropic;
let runtime: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ scenario: SCENARIO });
  token = await getToken({ credentials: CREDENTIALS, region: 'us-east-1' });
  mantle = new Anthropic({
    baseURL: `${sim.urls.mantle}/anthropic`,
    authToken: token,
    apiKey: null,
    maxRetries: 0,
  });
  runtime = new Anthropic({
    baseURL: `${sim.urls.runtime}/anthropic`,
    authToken: token,
    apiKey: null,
    maxRetries: 0,
  });
});

afterAll(async () => {
  await sim?.close();
});

const failure = (call: Promise<unknown>) => rejectionOf(call, Anthropic.APIError);

/** The `error` object of an Anthropic error body. */
const errorOf = (err: InstanceType<typeof Anthropic.APIError>) =>
  (err.error as { error?: { type?: string; message?: string } } | undefined)?.error;

describe.each([
  ['mantle', () => mantle, CLAUDE_MANTLE],
  ['runtime', () => runtime, CLAUDE_PROFILE],
])('Messages on %s', (_host, client, model) => {
  it('answers a basic message with text, stop reason and usage', async () => {
    // Prepare
    const request = { model, max_tokens: 64, messages: hello };

    // Act
    const message = await client().messages.create(request);

    // Assess
    expect(message.id).toMatch(/^msg_/);
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the bedrock-matrix simulator.' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('stops at max_tokens with stop_reason max_tokens', async () => {
    // Prepare
    const request = { model, max_tokens: 3, messages: hello };

    // Act
    const message = await client().messages.create(request);

    // Assess
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(3);
  });

  it('streams the named events with 2+ text deltas and the SDK assembles the message', async () => {
    // Prepare
    const request = { model, max_tokens: 64, messages: hello };

    // Act
    const stream = client().messages.stream(request);
    const types: string[] = [];
    const texts: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        texts.push(event.delta.text);
    }
    const final = await stream.finalMessage();

    // Assess
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('content_block_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(final.content).toEqual([{ type: 'text', text: 'Hello from the bedrock-matrix simulator.' }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('answers tools with a tool_use block filled from the schema', async () => {
    // Prepare
    const request = { model, max_tokens: 64, messages: hello, tools: [WEATHER] };

    // Act
    const message = await client().messages.create(request);

    // Assess
    expect(message.stop_reason).toBe('tool_use');
    const block = message.content[0];
    expect(block?.type).toBe('tool_use');
    if (block?.type !== 'tool_use') throw new Error('expected tool_use');
    expect(block.id).toMatch(/^toolu_/);
    expect(block.name).toBe('get_weather');
    expect(block.input).toEqual({ city: 'Paris', unit: 'celsius' });
  });

  it('streams tool input as input_json_delta the SDK parses back', async () => {
    // Prepare
    const request = { model, max_tokens: 64, messages: hello, tools: [WEATHER] };

    // Act
    const stream = client().messages.stream(request);
    const partials: string[] = [];
    stream.on('inputJson', (delta) => partials.push(delta));
    const final = await stream.finalMessage();

    // Assess
    expect(partials.length).toBeGreaterThanOrEqual(2);
    expect(final.content[0]).toMatchObject({ type: 'tool_use', input: { city: 'Paris', unit: 'celsius' } });
  });
});

describe('Messages errors', () => {
  it('answers an unknown mantle model with NotFoundError in the Anthropic error shape', async () => {
    // Prepare
    const request = { model: 'anthropic.claude-nope', max_tokens: 16, messages: hello };

    // Act
    const err = await failure(mantle.messages.create(request));

    // Assess
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect(errorOf(err)).toEqual({
      type: 'not_found_error',
      message: "The model 'anthropic.claude-nope' does not exist",
    });
  });

  it('refuses a model without Messages with "does not support the \'/anthropic/v1/messages\' API"', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', max_tokens: 16, messages: hello };

    // Act
    const err = await failure(mantle.messages.create(request));

    // Assess
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(errorOf(err)?.message).toBe(
      "The model 'openai.gpt-oss-120b' does not support the '/anthropic/v1/messages' API",
    );
    expect(errorOf(err)?.type).toBe('invalid_request_error');
  });

  it('answers a denied model with PermissionDeniedError', async () => {
    // Prepare
    const request = { model: 'anthropic.claude-denied', max_tokens: 16, messages: hello };

    // Act
    const err = await failure(mantle.messages.create(request));

    // Assess
    expect(err).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(errorOf(err)).toEqual({ type: 'permission_error', message: 'Model access is not enabled' });
  });

  it('asks for an inference profile when runtime gets the on-demand ID of a profile-only model', async () => {
    // Prepare
    const request = { model: 'anthropic.claude-sonnet-4-6', max_tokens: 16, messages: hello };

    // Act
    const err = await failure(runtime.messages.create(request));

    // Assess
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(errorOf(err)?.message).toContain('with on-demand throughput isn\u2019t supported');
  });

  it('throttles with RateLimitError rate_limit_error', async () => {
    // Prepare
    const request = { model: 'anthropic.claude-haiku-throttled', max_tokens: 16, messages: hello };

    // Act
    const err = await failure(mantle.messages.create(request));

    // Assess
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(errorOf(err)?.type).toBe('rate_limit_error');
  });

  it('refuses a request without max_tokens, naming the field', async () => {
    // Prepare
    const request = {
      model: CLAUDE_MANTLE,
      messages: hello,
    } as unknown as Anthropic.MessageCreateParamsNonStreaming;

    // Act
    const err = await failure(mantle.messages.create(request));

    // Assess
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(errorOf(err)?.message).toBe('max_tokens: Field required');
  });

  it('refuses a mantle call without the anthropic-version header', async () => {
    // Prepare
    const init = {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: CLAUDE_MANTLE, max_tokens: 16, messages: hello }),
    };

    // Act
    const response = await fetch(`${sim.urls.mantle}/anthropic/v1/messages`, init);
    const body = await response.json();

    // Assess
    expect(response.status).toBe(400);
    expect(body).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
    });
  });

  it('refuses an invalid bearer token with AuthenticationError on mantle', async () => {
    // Prepare
    const client = new Anthropic({
      baseURL: `${sim.urls.mantle}/anthropic`,
      authToken: 'sk-ant-not-bedrock',
      apiKey: null,
      maxRetries: 0,
    });

    // Act
    const err = await failure(
      client.messages.create({ model: CLAUDE_MANTLE, max_tokens: 16, messages: hello }),
    );

    // Assess
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(errorOf(err)).toEqual({ type: 'authentication_error', message: 'Invalid bearer token' });
  });

  it('answers an unknown runtime /anthropic operation with a 200 UnknownOperationException body', async () => {
    // Prepare
    const init = { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' };

    // Act
    const response = await fetch(`${sim.urls.runtime}/anthropic/v1/complete`, init);
    const body = await response.json();

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.stringify(body)).toContain('UnknownOperationException');
  });
});

describe('Messages guardrail headers', () => {
  const canary = [{ role: 'user' as const, content: `Repeat ${CANARY}` }];

  it('are ignored on mantle: the model answers and bills output tokens', async () => {
    // Prepare
    const request = { model: CLAUDE_MANTLE, max_tokens: 64, messages: canary };

    // Act
    const message = await mantle.messages.create(request, { headers: GUARDRAIL_HEADERS });

    // Assess
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the bedrock-matrix simulator.' }]);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('are enforced on runtime: the blocked message, no output tokens', async () => {
    // Prepare
    const request = { model: CLAUDE_PROFILE, max_tokens: 64, messages: canary };

    // Act
    const message = await runtime.messages.create(request, { headers: GUARDRAIL_HEADERS });

    // Assess
    expect(message.content).toEqual([{ type: 'text', text: BLOCKED }]);
    expect(message.usage.output_tokens).toBe(0);
    expect(sim.world.calls.at(-1)).toMatchObject({ api: 'messages', guardrailId: 'gr-canary', status: 200 });
  });
});
