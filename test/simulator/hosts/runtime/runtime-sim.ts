/**
 * The runtime host's native operations under test: one scenario (every InvokeModel family, a
 * profile-only model, throttled and failing models, two guardrails), the SDK client and the raw
 * calls the split runtime tests share.
 */
import { connect } from 'node:http2';
import {
  BedrockRuntimeClient,
  type ConverseCommandInput,
  type ConverseStreamOutput,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../../simulator/server';
import type { Scenario } from '../../../../simulator/types';
import { rejectionOf } from '../../../support/rejection';
import { SIM_CREDENTIALS } from '../../../support/simulator';

/** Decoded wire JSON and SDK errors, walked freely in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions navigate untyped wire bodies
export type Wire = any;

export const CREDENTIALS = SIM_CREDENTIALS;
/** A scenario file that ships with the simulator (Claude Sonnet 4.6 runtime-only via `us.`, probe guardrail). */
export const SHIPPED_SCENARIO = 'tiny';
export const CANARY = 'BLUE-PELICAN-7731';
export const BLOCKED_INPUT = 'Sorry, the probe guardrail blocked this input.';
export const BLOCKED_OUTPUT = 'Sorry, the probe guardrail blocked the answer.';

export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
export const SONNET = 'anthropic.claude-sonnet-4-6';
export const SONNET_PROFILE = 'us.anthropic.claude-sonnet-4-6';
export const GPT_OSS = 'openai.gpt-oss-120b-1:0';
export const NOVA = 'amazon.nova-micro-v1:0';
export const LLAMA = 'meta.llama3-8b-instruct-v1:0';
export const MISTRAL = 'mistral.mistral-7b-instruct-v0:2';
export const PALMYRA = 'writer.palmyra-x5-v1:0';

export const SCENARIO: Scenario = {
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

export let sim: RunningSimulator;
export let client: BedrockRuntimeClient;

/** Start the runtime host on the scenario above for this test file; `sim` and `client` are live from then on. */
export function useRuntimeSimulator(): void {
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
}

export const hello = (text = 'Say hello.'): ConverseCommandInput['messages'] => [
  { role: 'user', content: [{ text }] },
];

export const WEATHER_TOOL = {
  toolSpec: {
    name: 'get_weather',
    description: 'Weather for a city',
    inputSchema: {
      json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
};

export async function invokeJson(modelId: string, body: unknown, extra: Record<string, string> = {}) {
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

export async function invokeChunks(modelId: string, body: unknown, extra: Record<string, string> = {}) {
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

export async function collectStream(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
  const textDeltas = events.filter((e) => e.contentBlockDelta?.delta?.text !== undefined).length;
  return { events, text, textDeltas };
}

/** A bare HTTP/2 POST (the runtime listener speaks h2c), for calls no SDK would make. */
export function rawPost(path: string, body: string, headers: Record<string, string> = {}) {
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

export const caught = (promise: Promise<unknown>): Promise<Wire> => rejectionOf<Wire>(promise);

export const ANTHROPIC_BODY = {
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Say hello.' }],
};
export const GPT_OSS_BODY = {
  messages: [{ role: 'user', content: 'Say hello.' }],
  max_completion_tokens: 64,
};
export const NOVA_BODY = {
  messages: [{ role: 'user', content: [{ text: 'Say hello.' }] }],
  inferenceConfig: { maxTokens: 64 },
};
export const LLAMA_BODY = {
  prompt: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nSay hello.<|eot_id|>',
  max_gen_len: 64,
};
export const MISTRAL_BODY = { prompt: '<s>[INST] Say hello. [/INST]', max_tokens: 64 };
