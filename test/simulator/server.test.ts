import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../simulator/types';
import { SIM_CREDENTIALS, type TestSimulator, withSimulator } from '../support/simulator';

let sim: TestSimulator;
let bedrock: BedrockClient;
let openai: OpenAI;

beforeAll(async () => {
  sim = await withSimulator('tiny');
  bedrock = new BedrockClient({
    endpoint: sim.urls.control,
    region: 'us-east-1',
    credentials: SIM_CREDENTIALS,
  });
  openai = new OpenAI({ baseURL: `${sim.urls.mantle}/v1`, apiKey: sim.bearerToken, maxRetries: 0 });
});

afterAll(async () => {
  bedrock.destroy();
  await sim.close();
});

async function putScenario(scenario: Scenario): Promise<Response> {
  return fetch(`${sim.urls.control}/_simulator/scenario`, { method: 'PUT', body: JSON.stringify(scenario) });
}

describe('the running simulator', () => {
  it('answers a real openai SDK chat call on mantle with the shared brain', async () => {
    // Prepare
    const request = {
      model: 'openai.gpt-oss-20b',
      messages: [{ role: 'user' as const, content: 'hi' }],
      max_tokens: 16,
    };

    // Act
    const out = await openai.chat.completions.create(request);

    // Assess
    expect(out.choices[0]?.message.content).toBe('Hello from the bedrock-matrix simulator.');
  });

  it('swaps the scenario through the admin route and answers from the new one while serving', async () => {
    // Prepare
    const original = sim.world.scenario;
    const withoutChat: Scenario = {
      ...original,
      name: 'tiny-no-chat',
      models: original.models
        .filter((m) => m.key !== 'amazon.nova-micro-v1:0')
        .map((m) =>
          m.mantle ? { ...m, mantle: { ...m.mantle, apis: { ...m.mantle.apis, chat: undefined } } } : m,
        )
        .map((m) => JSON.parse(JSON.stringify(m)) as Scenario['models'][number]),
    };
    const request = { model: 'openai.gpt-oss-20b', messages: [{ role: 'user' as const, content: 'hi' }] };

    // Act
    const put = await putScenario(withoutChat);
    const chatError = await openai.chat.completions.create(request).catch((e: unknown) => e);
    const listed = await bedrock.send(new ListFoundationModelsCommand({}));
    const restored = await putScenario(original);

    // Assess
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ name: 'tiny-no-chat', models: 7 });
    expect(chatError).toBeInstanceOf(OpenAI.BadRequestError);
    expect((chatError as Error).message).toContain(
      "The model 'openai.gpt-oss-20b' does not support the '/v1/chat/completions' API",
    );
    expect(listed.modelSummaries?.map((m) => m.modelId)).not.toContain('amazon.nova-micro-v1:0');
    expect(restored.status).toBe(200);
    expect(sim.world.scenario.name).toBe('tiny');
  });

  it('serves the current scenario and the call log over the admin routes', async () => {
    // Prepare
    await openai.chat.completions.create({
      model: 'openai.gpt-oss-20b',
      messages: [{ role: 'user', content: 'x' }],
    });

    // Act
    const scenario = (await (await fetch(`${sim.urls.control}/_simulator/scenario`)).json()) as Scenario;
    const { calls } = (await (await fetch(`${sim.urls.control}/_simulator/calls`)).json()) as {
      calls: { host: string; path: string; auth: string }[];
    };

    // Assess
    expect(scenario.name).toBe('tiny');
    expect(calls).toContainEqual(
      expect.objectContaining({ host: 'mantle', path: '/v1/chat/completions', auth: 'bearer' }),
    );
    expect(JSON.stringify(calls)).not.toContain(sim.bearerToken);
  });

  it('answers unknown paths with a 404 instead of hanging', async () => {
    // Prepare
    const url = `${sim.urls.control}/no-such-operation`;

    // Act
    const res = await fetch(url);

    // Assess
    expect(res.status).toBe(404);
  });
});

describe('the shipped may-2026 scenario over the wire', () => {
  it('lists exactly 40 models on mantle /v1/models and refuses Chat for the two anthropic ones', async () => {
    // Prepare
    const may = await withSimulator('may-2026');
    const client = new OpenAI({ baseURL: `${may.urls.mantle}/v1`, apiKey: may.bearerToken, maxRetries: 0 });

    try {
      // Act
      const ids: string[] = [];
      for await (const model of client.models.list()) ids.push(model.id);
      const refused: string[] = [];
      for (const id of ids) {
        const answer = await client.chat.completions
          .create({ model: id, messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 })
          .catch((e: unknown) => e);
        if (answer instanceof OpenAI.BadRequestError) refused.push(id);
      }

      // Assess
      expect(ids).toHaveLength(40);
      expect(refused.sort()).toEqual(['anthropic.claude-haiku-4-5', 'anthropic.claude-opus-4-7']);
    } finally {
      await may.close();
    }
  });
});
