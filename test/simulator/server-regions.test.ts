import { getToken } from '@aws/bedrock-token-generator';
import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/scenario';
import { type RunningSimulator, startSimulator } from '../../simulator/server';
import { SIM_CREDENTIALS } from '../support/simulator';

// One simulator, several regions: each request is answered as the region its credentials name.

let sim: RunningSimulator;
const clients: BedrockClient[] = [];

beforeAll(async () => {
  const tiny = await loadScenario('tiny');
  sim = await startSimulator({
    scenario: {
      ...tiny,
      regions: {
        'eu-west-1': { withoutModels: ['openai.gpt-oss-20b', 'amazon.nova-micro-v1:0'] },
        'eu-west-3': { withoutHosts: ['mantle'] },
      },
    },
  });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sim.close();
});

const mantleIn = async (region: string): Promise<OpenAI> =>
  new OpenAI({
    baseURL: `${sim.urls.mantle}/v1`,
    apiKey: await getToken({ credentials: SIM_CREDENTIALS, region, expiresInSeconds: 600 }),
    maxRetries: 0,
  });

async function foundationModels(region: string): Promise<string[]> {
  const client = new BedrockClient({ endpoint: sim.urls.control, region, credentials: SIM_CREDENTIALS });
  clients.push(client);
  const out = await client.send(new ListFoundationModelsCommand({}));
  return (out.modelSummaries ?? []).map((m) => m.modelId ?? '');
}

describe('a scenario whose regions differ', () => {
  it("lists in each region's catalogs only the models that region serves", async () => {
    // Act
    const [east, west] = await Promise.all([foundationModels('us-east-1'), foundationModels('eu-west-1')]);
    const [mantleEast, mantleWest] = await Promise.all(
      ['us-east-1', 'eu-west-1'].map(async (r) =>
        (await (await mantleIn(r)).models.list()).data.map((m) => m.id),
      ),
    );

    // Assess
    expect(east).toContain('amazon.nova-micro-v1:0');
    expect(west).not.toContain('amazon.nova-micro-v1:0');
    expect(west.length).toBe(east.length - 2);
    expect(mantleEast).toContain('openai.gpt-oss-20b');
    expect(mantleWest).not.toContain('openai.gpt-oss-20b');
  });

  it('answers a call to a model the region does not serve as Bedrock answers an unknown model', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-20b', messages: [{ role: 'user' as const, content: 'hi' }] };

    // Act
    const east = await (await mantleIn('us-east-1')).chat.completions.create(request);
    const west = await (await mantleIn('eu-west-1')).chat.completions
      .create(request)
      .catch((e: unknown) => e);

    // Assess
    expect(east.choices[0]?.message.content).toBeTruthy();
    expect(west).toBeInstanceOf(OpenAI.NotFoundError);
    expect((west as Error).message).toContain("The model 'openai.gpt-oss-20b' does not exist");
  });

  it('gives a region without mantle a mantle host that does not resolve, and drops calls that arrive anyway', async () => {
    // Act
    const urls = sim.urlsFor('eu-west-3');
    const arrived = await (await mantleIn('eu-west-3')).models.list().catch((e: unknown) => e);

    // Assess
    expect(new URL(urls.mantle).hostname).toBe('bedrock-mantle.eu-west-3.invalid');
    expect(urls.runtime).toBe(sim.urls.runtime);
    expect(sim.urlsFor('eu-west-1')).toEqual(sim.urls);
    expect(arrived).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(sim.world.calls.at(-1)).toMatchObject({ host: 'mantle', path: '/v1/models', status: 0 });
  });
});
