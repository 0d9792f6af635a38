import { getToken } from '@aws/bedrock-token-generator';
import {
  BedrockClient,
  GetFoundationModelAvailabilityCommand,
  type GetFoundationModelAvailabilityCommandOutput,
  ListEnforcedGuardrailsConfigurationCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-bedrock';
import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
} from '@aws-sdk/client-bedrock-runtime';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/scenario';
import { type RunningSimulator, startSimulator } from '../../simulator/server';

// One simulator, several accounts (the org scenario): each request is answered as the account
// whose access key signed it.

const PLATFORM = 'AKIDORGPLATFORM'; // 111111111111: every model
const NO_ACCESS = 'AKIDORGNOACCESS'; // 222222222222: no access to Claude Sonnet 4.6
const GOVERNED = 'AKIDORGGOVERNED'; // 333333333333: gpt-oss-20b denied by an SCP, an enforced guardrail

let sim: RunningSimulator;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  sim = await startSimulator({ scenario: await loadScenario('org') });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sim.close();
});

const credentials = (accessKeyId: string) => ({ accessKeyId, secretAccessKey: 'simulator-secret' });

function runtime(accessKeyId: string): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient({
    endpoint: sim.urls.runtime,
    region: 'us-east-1',
    credentials: credentials(accessKeyId),
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
}

function control(accessKeyId: string, region = 'us-east-1'): BedrockClient {
  const client = new BedrockClient({
    endpoint: sim.urls.control,
    region,
    credentials: credentials(accessKeyId),
  });
  clients.push(client);
  return client;
}

const converse = (client: BedrockRuntimeClient, modelId: string) =>
  client
    .send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))
    .catch((e: unknown) => e);

const availability = (client: BedrockClient, modelId: string) =>
  client
    .send(new GetFoundationModelAvailabilityCommand({ modelId }))
    .then(({ $metadata: _, ...out }: GetFoundationModelAvailabilityCommandOutput) => out)
    .catch((e: unknown) => e);

const AVAILABLE = {
  agreementAvailability: { status: 'AVAILABLE' },
  authorizationStatus: 'AUTHORIZED',
  entitlementAvailability: 'AVAILABLE',
  regionAvailability: 'AVAILABLE',
};

describe('a scenario of several accounts, through the real AWS SDK', () => {
  it('answers one model for one account and refuses it for another that has no access', async () => {
    // Act
    const open = await converse(runtime(PLATFORM), 'us.anthropic.claude-sonnet-4-6');
    const refused = await converse(runtime(NO_ACCESS), 'us.anthropic.claude-sonnet-4-6');
    const [openView, refusedView] = await Promise.all([
      availability(control(PLATFORM), 'anthropic.claude-sonnet-4-6'),
      availability(control(NO_ACCESS), 'anthropic.claude-sonnet-4-6'),
    ]);

    // Assess
    expect(open).toMatchObject({ stopReason: 'end_turn' });
    expect(refused).toBeInstanceOf(AccessDeniedException);
    expect((refused as Error).message).toBe(
      "You don't have access to the model with the specified model ID.",
    );
    expect(openView).toEqual({ modelId: 'anthropic.claude-sonnet-4-6', ...AVAILABLE });
    expect(refusedView).toEqual({
      modelId: 'anthropic.claude-sonnet-4-6',
      agreementAvailability: { status: 'NOT_AVAILABLE' },
      authorizationStatus: 'NOT_AUTHORIZED',
      entitlementAvailability: 'NOT_AVAILABLE',
      regionAvailability: 'AVAILABLE',
    });
  });

  it('refuses a model an SCP denies, naming the account, while availability still says AUTHORIZED', async () => {
    // Act
    const open = await converse(runtime(NO_ACCESS), 'openai.gpt-oss-20b-1:0');
    const denied = await converse(runtime(GOVERNED), 'openai.gpt-oss-20b-1:0');
    const mantleDenied = await new OpenAI({
      baseURL: `${sim.urls.mantle}/v1`,
      apiKey: await getToken({
        credentials: credentials(GOVERNED),
        region: 'us-east-1',
        expiresInSeconds: 600,
      }),
      maxRetries: 0,
    }).chat.completions
      .create({ model: 'openai.gpt-oss-20b', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    const view = await availability(control(GOVERNED), 'openai.gpt-oss-20b-1:0');

    // Assess
    expect(open).toMatchObject({ stopReason: 'end_turn' });
    expect(denied).toBeInstanceOf(AccessDeniedException);
    expect((denied as Error).message).toContain('arn:aws:sts::333333333333:assumed-role/');
    expect((denied as Error).message).toContain('with an explicit deny in a service control policy');
    expect(mantleDenied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(view).toEqual({ modelId: 'openai.gpt-oss-20b-1:0', ...AVAILABLE });
  });

  it('says NOT_AVAILABLE for a model the region does not serve and not found for an unknown one', async () => {
    // Act
    const [east, west, unknown] = await Promise.all([
      availability(control(PLATFORM, 'us-east-1'), 'amazon.nova-micro-v1:0'),
      availability(control(PLATFORM, 'eu-west-1'), 'amazon.nova-micro-v1:0'),
      availability(control(PLATFORM), 'amazon.nova-mega-v9:0'),
    ]);

    // Assess
    expect(east).toMatchObject({ regionAvailability: 'AVAILABLE' });
    expect(west).toMatchObject({ regionAvailability: 'NOT_AVAILABLE', authorizationStatus: 'AUTHORIZED' });
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
  });

  it("lists each account's own enforced guardrails under its own account id", async () => {
    // Act
    const list = (key: string) =>
      control(key, 'eu-west-1').send(new ListEnforcedGuardrailsConfigurationCommand({}));
    const [governed, platform] = await Promise.all([list(GOVERNED), list(PLATFORM)]);

    // Assess
    expect(
      governed.guardrailsConfig?.map((g) => [g.guardrailId, g.guardrailVersion, g.guardrailArn]),
    ).toEqual([['gr-user', '1', 'arn:aws:bedrock:eu-west-1:333333333333:guardrail/gr-user']]);
    expect(platform.guardrailsConfig).toEqual([]);
  });
});
