import { connect } from 'node:http2';
import { getToken } from '@aws/bedrock-token-generator';
import {
  AccessDeniedException,
  ApplyGuardrailCommand,
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REPLY } from '../../../../simulator/brain';
import { type RunningSimulator, startSimulator } from '../../../../simulator/server';
import type { Scenario } from '../../../../simulator/types';
import { rejectionOf } from '../../../support/rejection';
import { type TestSimulator, withSimulator } from '../../../support/simulator';

/** Decoded wire JSON and SDK errors, walked freely in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions navigate untyped wire bodies
type Wire = any;

const CREDENTIALS = { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' };
/** A scenario file that ships with the simulator (Claude Sonnet 4.6 runtime-only via `us.`, probe guardrail). */
const SHIPPED_SCENARIO = 'tiny';
const CANARY = 'BLUE-PELICAN-7731';
const BLOCKED_INPUT = 'Sorry, the probe guardrail blocked this input.';
const BLOCKED_OUTPUT = 'Sorry, the probe guardrail blocked the answer.';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-sonnet-4-6';
const SONNET_PROFILE = 'us.anthropic.claude-sonnet-4-6';
const GPT_OSS = 'openai.gpt-oss-120b-1:0';
const NOVA = 'amazon.nova-micro-v1:0';
const LLAMA = 'meta.llama3-8b-instruct-v1:0';
const MISTRAL = 'mistral.mistral-7b-instruct-v0:2';
const PALMYRA = 'writer.palmyra-x5-v1:0';

const SCENARIO: Scenario = {
  name: 'runtime-native-test',
  guardrailBehaviour: { runtime: { converse: 'enforced', invoke: 'enforced' } },
  guardrails: [
    {
      id: 'gr-canary',
      versions: ['1'],
      words: [CANARY],
      blockedInputMessage: BLOCKED_INPUT,
      blockedOutputMessage: BLOCKED_OUTPUT,
    },
    {
      // Trips on the simulator's own answer, so the output check is observable.
      id: 'gr-output',
      versions: ['1'],
      words: ['bedrock-matrix simulator'],
      blockedInputMessage: BLOCKED_INPUT,
      blockedOutputMessage: BLOCKED_OUTPUT,
    },
  ],
  faults: [
    { type: 'throttle', count: 1000, match: { model: 'amazon.titan-text-lite-v1' } },
    { type: 'server-error', status: 503, match: { model: 'amazon.titan-text-express-v1' } },
  ],
  models: [
    {
      key: 'anthropic.claude-3-haiku',
      provider: 'anthropic',
      family: 'anthropic',
      runtime: {
        id: HAIKU,
        apis: { converse: { features: ['stream', 'tools'] }, invoke: { features: ['stream', 'tools'] } },
      },
    },
    {
      key: SONNET,
      provider: 'anthropic',
      family: 'anthropic',
      runtime: {
        id: SONNET,
        onDemand: false,
        profiles: [SONNET_PROFILE],
        apis: { converse: { features: ['stream'] } },
      },
    },
    {
      key: 'openai.gpt-oss-120b',
      provider: 'openai',
      family: 'gpt-oss',
      runtime: { id: GPT_OSS, apis: { invoke: { features: ['stream'] }, chat: {} } },
    },
    {
      key: 'amazon.nova-micro',
      provider: 'amazon',
      family: 'nova',
      runtime: {
        id: NOVA,
        apis: { converse: { features: ['stream', 'tools'] }, invoke: { features: ['stream'] } },
      },
    },
    {
      key: 'meta.llama3-8b-instruct',
      provider: 'meta',
      family: 'meta',
      runtime: { id: LLAMA, apis: { converse: {}, invoke: { features: ['stream'] } } },
    },
    {
      key: 'mistral.mistral-7b-instruct',
      provider: 'mistral',
      family: 'mistral',
      runtime: { id: MISTRAL, apis: { invoke: { features: ['stream'] } } },
    },
    {
      key: 'writer.palmyra-x5',
      provider: 'writer',
      family: 'other',
      runtime: { id: PALMYRA, apis: { invoke: {} } },
    },
    {
      key: 'cohere.command-r',
      provider: 'cohere',
      family: 'other',
      runtime: { id: 'cohere.command-r-v1:0', access: 'denied', apis: { converse: {} } },
    },
    {
      key: 'anthropic.claude-v2',
      provider: 'anthropic',
      family: 'anthropic',
      runtime: { id: 'anthropic.claude-v2', access: 'legacy-locked', apis: { converse: {} } },
    },
    {
      key: 'anthropic.claude-instant',
      provider: 'anthropic',
      family: 'anthropic',
      runtime: { id: 'anthropic.claude-instant-v1', lifecycle: 'EOL', apis: { converse: {} } },
    },
    {
      key: 'amazon.titan-text-lite',
      provider: 'amazon',
      family: 'other',
      runtime: { id: 'amazon.titan-text-lite-v1', apis: { converse: { features: ['stream'] } } },
    },
    {
      key: 'amazon.titan-text-express',
      provider: 'amazon',
      family: 'other',
      runtime: { id: 'amazon.titan-text-express-v1', apis: { converse: {} } },
    },
  ],
};

let sim: RunningSimulator;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario: SCENARIO });
  client = new BedrockRuntimeClient({
    endpoint: sim.urls.runtime,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await sim?.close();
});

const hello = (text = 'Say hello.'): ConverseCommandInput['messages'] => [
  { role: 'user', content: [{ text }] },
];

const WEATHER_TOOL = {
  toolSpec: {
    name: 'get_weather',
    description: 'Weather for a city',
    inputSchema: {
      json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
};

async function invokeJson(modelId: string, body: unknown, extra: Record<string, string> = {}) {
  const response = await client.send(
    new InvokeModelCommand({
      modelId,
      contentType: 'application/json',
      accept: 'application/json',
      body: JSON.stringify(body),
      ...extra,
    }),
  );
  return { response, json: JSON.parse(response.body.transformToString()) as Wire };
}

async function invokeChunks(modelId: string, body: unknown, extra: Record<string, string> = {}) {
  const response = await client.send(
    new InvokeModelWithResponseStreamCommand({
      modelId,
      contentType: 'application/json',
      body: JSON.stringify(body),
      ...extra,
    }),
  );
  const chunks: Wire[] = [];
  for await (const event of response.body ?? []) {
    if (event.chunk?.bytes) chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)));
  }
  return { response, chunks };
}

async function collectStream(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
  const textDeltas = events.filter((e) => e.contentBlockDelta?.delta?.text !== undefined).length;
  return { events, text, textDeltas };
}

/** A bare HTTP/2 POST (the runtime listener speaks h2c), for calls no SDK would make. */
function rawPost(path: string, body: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const session = connect(sim.urls.runtime);
      session.on('error', reject);
      const req = session.request({
        ':method': 'POST',
        ':path': path,
        'content-type': 'application/json',
        ...headers,
      });
      const chunks: Buffer[] = [];
      let status = 0;
      let responseHeaders: Record<string, unknown> = {};
      req.on('response', (h) => {
        status = Number(h[':status']);
        responseHeaders = h;
      });
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        session.close();
        resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      req.on('error', reject);
      req.end(body);
    },
  );
}

const caught = (promise: Promise<unknown>): Promise<Wire> => rejectionOf<Wire>(promise);

const ANTHROPIC_BODY = {
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Say hello.' }],
};
const GPT_OSS_BODY = { messages: [{ role: 'user', content: 'Say hello.' }], max_completion_tokens: 64 };
const NOVA_BODY = {
  messages: [{ role: 'user', content: [{ text: 'Say hello.' }] }],
  inferenceConfig: { maxTokens: 64 },
};
const LLAMA_BODY = {
  prompt: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nSay hello.<|eot_id|>',
  max_gen_len: 64,
};
const MISTRAL_BODY = { prompt: '<s>[INST] Say hello. [/INST]', max_tokens: 64 };

describe('Converse', () => {
  it('answers with text, usage, metrics and end_turn', async () => {
    // Prepare
    const input = { modelId: HAIKU, messages: hello(), inferenceConfig: { maxTokens: 64 } };

    // Act
    const out = await client.send(new ConverseCommand(input));

    // Assess
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.output?.message?.role).toBe('assistant');
    expect(out.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY);
    expect(out.stopReason).toBe('end_turn');
    expect(out.usage?.inputTokens).toBeGreaterThan(0);
    expect(out.usage?.outputTokens).toBeGreaterThan(0);
    expect(out.usage?.totalTokens).toBe((out.usage?.inputTokens ?? 0) + (out.usage?.outputTokens ?? 0));
    expect(typeof out.metrics?.latencyMs).toBe('number');
  });

  it('stops on max_tokens when the answer is cut', async () => {
    // Prepare
    const input = { modelId: HAIKU, messages: hello(), inferenceConfig: { maxTokens: 2 } };

    // Act
    const out = await client.send(new ConverseCommand(input));

    // Assess
    expect(out.stopReason).toBe('max_tokens');
    expect(out.usage?.outputTokens).toBe(2);
    expect(out.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY.split(' ').slice(0, 2).join(' '));
  });

  it('remembers a code word across the turns of one conversation', async () => {
    // Prepare
    const messages: ConverseCommandInput['messages'] = [
      { role: 'user', content: [{ text: 'The code word is OSPREY.' }] },
      { role: 'assistant', content: [{ text: 'Noted.' }] },
      { role: 'user', content: [{ text: 'What is the code word?' }] },
    ];

    // Act
    const out = await client.send(new ConverseCommand({ modelId: NOVA, messages }));

    // Assess
    expect(out.output?.message?.content?.[0]?.text).toBe('OSPREY');
  });

  it('reaches a profile-only model through its inference profile', async () => {
    // Prepare
    const input = { modelId: SONNET_PROFILE, messages: hello() };

    // Act
    const out = await client.send(new ConverseCommand(input));

    // Assess
    expect(out.stopReason).toBe('end_turn');
    expect(sim.world.calls.at(-1)).toMatchObject({ api: 'converse', modelId: SONNET_PROFILE, status: 200 });
  });

  it('returns a toolUse block and stopReason tool_use when tools are offered', async () => {
    // Prepare
    const input = {
      modelId: HAIKU,
      messages: hello('Weather in Paris?'),
      toolConfig: { tools: [WEATHER_TOOL] },
    };

    // Act
    const out = await client.send(new ConverseCommand(input));

    // Assess
    expect(out.stopReason).toBe('tool_use');
    const toolUse = out.output?.message?.content?.[0]?.toolUse;
    expect(toolUse?.name).toBe('get_weather');
    expect(toolUse?.input).toEqual({ city: 'Paris' });
    expect(toolUse?.toolUseId).toMatch(/^tooluse_/);
  });

  it('refuses a conversation that does not start with a user message', async () => {
    // Prepare
    const messages: ConverseCommandInput['messages'] = [{ role: 'assistant', content: [{ text: 'Hi' }] }];

    // Act
    const err = await caught(client.send(new ConverseCommand({ modelId: HAIKU, messages })));

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.message).toBe(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  });
});

describe('ConverseStream', () => {
  it('streams messageStart, 2+ text deltas, contentBlockStop, messageStop and metadata', async () => {
    // Prepare
    const input = { modelId: HAIKU, messages: hello() };

    // Act
    const out = await client.send(new ConverseStreamCommand(input));
    const { events, text, textDeltas } = await collectStream(out.stream);

    // Assess
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(events[0]?.messageStart?.role).toBe('assistant');
    expect(textDeltas).toBeGreaterThanOrEqual(2);
    expect(text).toBe(DEFAULT_REPLY);
    expect(events.some((e) => e.contentBlockStop?.contentBlockIndex === 0)).toBe(true);
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('end_turn');
    const metadata = events.at(-1)?.metadata;
    expect(metadata?.usage?.outputTokens).toBeGreaterThan(0);
    expect(typeof metadata?.metrics?.latencyMs).toBe('number');
  });

  it('streams a tool call as contentBlockStart plus partial input deltas', async () => {
    // Prepare
    const input = { modelId: NOVA, messages: hello('Weather?'), toolConfig: { tools: [WEATHER_TOOL] } };

    // Act
    const out = await client.send(new ConverseStreamCommand(input));
    const { events } = await collectStream(out.stream);

    // Assess
    const start = events.find((e) => e.contentBlockStart)?.contentBlockStart;
    expect(start?.start?.toolUse?.name).toBe('get_weather');
    const pieces = events.flatMap((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? []);
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(pieces.join(''))).toEqual({ city: 'Paris' });
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('tool_use');
  });

  it('refuses streaming for a model without it with an HTTP error before any event', async () => {
    // Prepare
    const input = { modelId: LLAMA, messages: hello() };

    // Act
    const err = await caught(client.send(new ConverseStreamCommand(input)));

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe('The model is unsupported for streaming.');
  });

  it('surfaces throttling as ThrottlingException when the stream is requested', async () => {
    // Prepare
    const input = { modelId: 'amazon.titan-text-lite-v1', messages: hello() };

    // Act
    const err = await caught(client.send(new ConverseStreamCommand(input)));

    // Assess
    expect(err).toBeInstanceOf(ThrottlingException);
    expect(err.$metadata.httpStatusCode).toBe(429);
  });
});

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

describe('errors the SDK surfaces', () => {
  const NEEDS_PROFILE = `Invocation of model ID ${SONNET} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;

  it.each([
    [
      'an unknown model',
      'nope.unknown-v1:0',
      ValidationException,
      400,
      'The provided model identifier is invalid.',
    ],
    ['a profile-only model by its on-demand ID', SONNET, ValidationException, 400, NEEDS_PROFILE],
    [
      'a model without access',
      'cohere.command-r-v1:0',
      AccessDeniedException,
      403,
      "You don't have access to the model with the specified model ID.",
    ],
    [
      'a legacy-locked model',
      'anthropic.claude-v2',
      ResourceNotFoundException,
      404,
      'Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days.',
    ],
    [
      'an end-of-life model',
      'anthropic.claude-instant-v1',
      ResourceNotFoundException,
      404,
      'This model version has reached the end of its life.',
    ],
    [
      'a throttled model',
      'amazon.titan-text-lite-v1',
      ThrottlingException,
      429,
      'Too many tokens, please wait before trying again.',
    ],
    [
      'a model whose service is down',
      'amazon.titan-text-express-v1',
      ServiceUnavailableException,
      503,
      'Bedrock is unable to process your request.',
    ],
    [
      'a model that does not speak Converse',
      GPT_OSS,
      ValidationException,
      400,
      "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
    ],
  ])('Converse with %s', async (_what, modelId, errorClass, status, message) => {
    // Act
    const err = await caught(client.send(new ConverseCommand({ modelId, messages: hello() })));

    // Assess
    expect(err).toBeInstanceOf(errorClass);
    expect(err.$metadata.httpStatusCode).toBe(status);
    expect(err.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toBe(message);
    expect(sim.world.calls.at(-1)).toMatchObject({ api: 'converse', modelId, status });
  });

  it('InvokeModel with a model that has no invoke api', async () => {
    // Act
    const err = await caught(invokeJson('anthropic.claude-v2', ANTHROPIC_BODY));

    // Assess
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err.$metadata.httpStatusCode).toBe(404);
  });

  it('Converse tools on a model without tool support', async () => {
    // Act
    const err = await caught(
      client.send(
        new ConverseCommand({ modelId: LLAMA, messages: hello(), toolConfig: { tools: [WEATHER_TOOL] } }),
      ),
    );

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.message).toBe("This model doesn't support tool use.");
  });

  it('a model ID ARN in the path is decoded and resolved', async () => {
    // Prepare
    const arn = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${SONNET_PROFILE}`;

    // Act
    const out = await client.send(new ConverseCommand({ modelId: arn, messages: hello() }));

    // Assess
    expect(out.stopReason).toBe('end_turn');
    expect(sim.world.calls.at(-1)?.modelId).toBe(arn);
  });
});

describe('authentication', () => {
  it('accepts a short-term bearer token through the SDK bearer auth scheme', async () => {
    // Prepare
    const token = await getToken({ credentials: CREDENTIALS, region: 'us-east-1' });
    const bearerClient = new BedrockRuntimeClient({
      endpoint: sim.urls.runtime,
      region: 'us-east-1',
      token: { token },
      authSchemePreference: ['httpBearerAuth'],
      maxAttempts: 1,
    });

    // Act
    const out = await bearerClient.send(new ConverseCommand({ modelId: HAIKU, messages: hello() }));
    bearerClient.destroy();

    // Assess
    expect(out.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY);
    expect(sim.world.calls.at(-1)?.auth).toBe('bearer');
    expect(JSON.stringify(sim.world.calls)).not.toContain(token);
  });

  it('refuses a malformed bearer token with 403 Invalid API Key format', async () => {
    // Prepare
    const bearerClient = new BedrockRuntimeClient({
      endpoint: sim.urls.runtime,
      region: 'us-east-1',
      token: { token: 'sk-not-a-bedrock-key' },
      authSchemePreference: ['httpBearerAuth'],
      maxAttempts: 1,
    });

    // Act
    const err = await caught(bearerClient.send(new ConverseCommand({ modelId: HAIKU, messages: hello() })));
    bearerClient.destroy();

    // Assess
    expect(err).toBeInstanceOf(AccessDeniedException);
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toBe('Invalid API Key format: Must start with pre-defined prefix');
    expect(sim.world.calls.at(-1)).toMatchObject({ status: 403, auth: 'bearer' });
  });

  it('refuses a call without credentials with MissingAuthenticationTokenException', async () => {
    // Prepare
    const path = `/model/${encodeURIComponent(HAIKU)}/converse`;

    // Act
    const res = await rawPost(path, JSON.stringify({ messages: hello() }));

    // Assess
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(res.body)).toEqual({ message: 'Missing Authentication Token' });
    expect(sim.world.calls.at(-1)).toMatchObject({ status: 403, auth: 'none', api: 'converse' });
  });

  it('records SigV4 calls without the signature', async () => {
    // Act
    await client.send(new ConverseCommand({ modelId: HAIKU, messages: hello() }));

    // Assess
    expect(sim.world.calls.at(-1)?.auth).toBe('sigv4');
    expect(JSON.stringify(sim.world.calls)).not.toMatch(/Signature|simulator-secret|AKIDSIMULATOR/);
  });
});

describe('a shipped scenario file', () => {
  let shipped: TestSimulator;
  let shippedClient: BedrockRuntimeClient;

  beforeAll(async () => {
    shipped = await withSimulator(SHIPPED_SCENARIO);
    shippedClient = new BedrockRuntimeClient({
      endpoint: shipped.urls.runtime,
      region: shipped.region,
      token: { token: shipped.bearerToken },
      authSchemePreference: ['httpBearerAuth'],
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    shippedClient?.destroy();
    await shipped?.close();
  });

  it('serves Claude Sonnet 4.6 on Converse through the us. profile only', async () => {
    // Act
    const viaProfile = await shippedClient.send(
      new ConverseCommand({ modelId: SONNET_PROFILE, messages: hello() }),
    );
    const bare = await caught(
      shippedClient.send(new ConverseCommand({ modelId: SONNET, messages: hello() })),
    );

    // Assess
    expect(viaProfile.stopReason).toBe('end_turn');
    expect(bare).toBeInstanceOf(ValidationException);
    expect(bare.message).toContain('with on-demand throughput isn\u2019t supported');
  });

  it('stops the probe canary with its guardrail on InvokeModel', async () => {
    // Prepare
    const guardrail = shipped.world.scenario.guardrails[0];
    const body = { ...ANTHROPIC_BODY, messages: [{ role: 'user', content: `say ${guardrail?.words[0]}` }] };

    // Act
    const response = await shippedClient.send(
      new InvokeModelCommand({
        modelId: SONNET_PROFILE,
        body: JSON.stringify(body),
        guardrailIdentifier: guardrail?.id,
        guardrailVersion: guardrail?.versions[0],
      }),
    );
    const json = JSON.parse(response.body.transformToString());

    // Assess
    expect(json['amazon-bedrock-guardrailAction']).toBe('INTERVENED');
    expect(json.content[0].text).toBe(guardrail?.blockedInputMessage);
  });
});
