/**
 * The OpenAI-compatible surface under test: one scenario (chat-only, Responses-only and
 * /openai/v1-only models, faults, an enforced runtime guardrail) and the `openai` clients on
 * mantle /v1, mantle /openai/v1 and runtime /openai/v1 that the split tests share.
 */
import { getToken } from '@aws/bedrock-token-generator';
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../../simulator/server';
import type { Scenario } from '../../../../simulator/types';
import { rejectionOf } from '../../../support/rejection';
import { SIM_CREDENTIALS } from '../../../support/simulator';
import { CANARY_GUARDRAIL } from '../canary-guardrail';

export const CREDENTIALS = SIM_CREDENTIALS;
export const WEATHER_TOOL = {
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer' } },
  required: ['city', 'days'],
};

export const SCENARIO: Scenario = {
  name: 'openai-compat-test',
  guardrailBehaviour: {
    runtime: { chat: 'enforced', responses: 'ignored' },
    mantle: { chat: 'ignored', responses: 'ignored' },
  },
  guardrails: [CANARY_GUARDRAIL],
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

export let sim: RunningSimulator;
export let token: string;
export let mantleV1: OpenAI;
export let mantleOpenAi: OpenAI;
export let runtime: OpenAI;

/** Start mantle and runtime on the scenario above for this test file; the clients are live from then on. */
export function useOpenAiSimulator(): void {
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
}

/** The rejection of a call that must fail. */
export const failure = (call: Promise<unknown>) => rejectionOf(call, OpenAI.APIError);

export const hello = [{ role: 'user' as const, content: 'Say hello.' }];
