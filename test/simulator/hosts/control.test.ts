import {
  BedrockClient,
  GetFoundationModelAvailabilityCommand,
  GetFoundationModelCommand,
  GetGuardrailCommand,
  GetInferenceProfileCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
  paginateListInferenceProfiles,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../simulator/types';
import { SIM_CREDENTIALS, type TestSimulator, withSimulator } from '../../support/simulator';

let sim: TestSimulator;
let bedrock: BedrockClient;

beforeAll(async () => {
  sim = await withSimulator('tiny');
  bedrock = new BedrockClient({
    endpoint: sim.urls.control,
    region: 'us-west-2',
    credentials: SIM_CREDENTIALS,
  });
});

afterAll(async () => {
  bedrock.destroy();
  await sim.close();
});

describe('ListFoundationModels through the real @aws-sdk/client-bedrock', () => {
  it('lists only listed runtime models, with inference types from on-demand and profiles', async () => {
    // Prepare
    const command = new ListFoundationModelsCommand({});

    // Act
    const out = await bedrock.send(command);

    // Assess
    const ids = (out.modelSummaries ?? []).map((m) => m.modelId).sort();
    expect(ids).toEqual([
      'amazon.nova-micro-v1:0',
      'anthropic.claude-3-haiku-20240307-v1:0',
      'anthropic.claude-sonnet-4-6',
      'meta.llama3-70b-instruct-v1:0',
      'openai.gpt-oss-20b-1:0',
    ]);
    const sonnet = out.modelSummaries?.find((m) => m.modelId === 'anthropic.claude-sonnet-4-6');
    expect(sonnet).toMatchObject({
      modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-6',
      modelName: 'Claude Sonnet 4.6',
      providerName: 'Anthropic',
      inferenceTypesSupported: ['INFERENCE_PROFILE'],
      responseStreamingSupported: true,
      modelLifecycle: { status: 'ACTIVE' },
    });
    const nova = out.modelSummaries?.find((m) => m.modelId === 'amazon.nova-micro-v1:0');
    expect(nova?.inferenceTypesSupported).toEqual(['ON_DEMAND', 'INFERENCE_PROFILE']);
    const haiku = out.modelSummaries?.find((m) => m.modelId?.startsWith('anthropic.claude-3-haiku'));
    expect(haiku?.modelLifecycle?.status).toBe('LEGACY');
  });

  it('filters by provider and inference type as the query parameters ask', async () => {
    // Prepare
    const command = new ListFoundationModelsCommand({
      byProvider: 'anthropic',
      byInferenceType: 'ON_DEMAND',
    });

    // Act
    const out = await bedrock.send(command);

    // Assess
    expect(out.modelSummaries?.map((m) => m.modelId)).toEqual(['anthropic.claude-3-haiku-20240307-v1:0']);
  });
});

describe('ListInferenceProfiles', () => {
  it('pages through every system profile with nextToken and maxResults', async () => {
    // Prepare
    const pages: number[] = [];
    const ids: string[] = [];

    // Act
    for await (const page of paginateListInferenceProfiles({ client: bedrock, pageSize: 2 }, {})) {
      pages.push(page.inferenceProfileSummaries?.length ?? 0);
      ids.push(...(page.inferenceProfileSummaries ?? []).map((p) => p.inferenceProfileId ?? ''));
    }

    // Assess
    expect(pages).toEqual([2, 2, 1]);
    expect(ids.sort()).toEqual([
      'global.anthropic.claude-sonnet-4-6',
      'global.openai.gpt-5.4',
      'us.amazon.nova-micro-v1:0',
      'us.anthropic.claude-sonnet-4-6',
      'us.openai.gpt-5.4',
    ]);
  });

  it('describes a profile with ARN, member model ARNs, status and type', async () => {
    // Prepare
    const command = new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED' });

    // Act
    const out = await bedrock.send(command);

    // Assess
    const us = out.inferenceProfileSummaries?.find(
      (p) => p.inferenceProfileId === 'us.anthropic.claude-sonnet-4-6',
    );
    expect(us).toMatchObject({
      inferenceProfileArn:
        'arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6',
      inferenceProfileName: 'US Claude Sonnet 4.6',
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
    });
    expect(us?.models?.map((m) => m.modelArn)).toContain(
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6',
    );
    expect(us?.createdAt).toBeInstanceOf(Date);
    expect(out.nextToken).toBeUndefined();
  });

  it('answers an empty page for APPLICATION profiles', async () => {
    // Prepare
    const command = new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION' });

    // Act
    const out = await bedrock.send(command);

    // Assess
    expect(out.inferenceProfileSummaries).toEqual([]);
  });

  it('refuses a maxResults outside 1..1000 with a ValidationException', async () => {
    // Prepare
    const command = new ListInferenceProfilesCommand({ maxResults: 5000 });

    // Act
    const error = await bedrock.send(command).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toContain("Value '5000' at 'maxResults'");
  });

  it('gets one profile by id and 404s an unknown one', async () => {
    // Prepare
    const known = new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'global.openai.gpt-5.4' });
    const unknown = new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.nope.model' });

    // Act
    const out = await bedrock.send(known);
    const error = await bedrock.send(unknown).catch((e: unknown) => e);

    // Assess
    expect(out.models?.map((m) => m.modelArn)).toContain('arn:aws:bedrock:::foundation-model/openai.gpt-5.4');
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('GetFoundationModel and GetFoundationModelAvailability', () => {
  it('reports access denied as not authorized and a granted model as available', async () => {
    // Prepare
    const denied = new GetFoundationModelAvailabilityCommand({ modelId: 'meta.llama3-70b-instruct-v1:0' });
    const granted = new GetFoundationModelAvailabilityCommand({ modelId: 'openai.gpt-oss-20b-1:0' });

    // Act
    const d = await bedrock.send(denied);
    const g = await bedrock.send(granted);

    // Assess
    expect(d).toMatchObject({
      authorizationStatus: 'NOT_AUTHORIZED',
      agreementAvailability: { status: 'NOT_AVAILABLE' },
    });
    expect(g).toMatchObject({
      modelId: 'openai.gpt-oss-20b-1:0',
      authorizationStatus: 'AUTHORIZED',
      agreementAvailability: { status: 'AVAILABLE' },
      entitlementAvailability: 'AVAILABLE',
      regionAvailability: 'AVAILABLE',
    });
  });

  it('answers model details by id and ResourceNotFound for a mantle-only model', async () => {
    // Prepare
    const known = new GetFoundationModelCommand({ modelIdentifier: 'amazon.nova-micro-v1:0' });
    const mantleOnly = new GetFoundationModelCommand({ modelIdentifier: 'xai.grok-4.3' });

    // Act
    const out = await bedrock.send(known);
    const error = await bedrock.send(mantleOnly).catch((e: unknown) => e);

    // Assess
    expect(out.modelDetails?.providerName).toBe('Amazon');
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('control-plane authentication and call log', () => {
  it('refuses an unsigned call with MissingAuthenticationTokenException', async () => {
    // Prepare
    const url = `${sim.urls.control}/foundation-models`;

    // Act
    const res = await fetch(url);

    // Assess
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('records signed catalog calls as sigv4 without keeping the signature', async () => {
    // Prepare
    await bedrock.send(new ListFoundationModelsCommand({}));

    // Act
    const res = await fetch(`${sim.urls.control}/_simulator/calls`);
    const { calls } = (await res.json()) as { calls: CallRecord[] };

    // Assess
    const listed = calls.filter((c) => c.path === '/foundation-models' && c.auth === 'sigv4');
    expect(listed.length).toBeGreaterThan(0);
    expect(listed[0]).toMatchObject({ host: 'control', method: 'GET', status: 200 });
    expect(JSON.stringify(calls)).not.toMatch(/Signature|simulator-secret/);
  });
});

describe('admin scenario routes', () => {
  it('refuses a bad scenario with a one-line 400 and keeps serving the old one', async () => {
    // Prepare
    const current = (await (await fetch(`${sim.urls.control}/_simulator/scenario`)).json()) as {
      name: string;
    };
    const bad = { ...current, wrongRouteStatus: 402 };

    // Act
    const res = await fetch(`${sim.urls.control}/_simulator/scenario`, {
      method: 'PUT',
      body: JSON.stringify(bad),
    });

    // Assess
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: 'PUT /_simulator/scenario: wrongRouteStatus: must be 400 or 401, got 402',
    });
    expect(sim.world.scenario.name).toBe('tiny');
  });
});

describe('GetGuardrail and ListEnforcedGuardrailsConfiguration through the real SDK', () => {
  it("answers each scenario guardrail's own blocked messages, so a user's guardrail can be recognised", async () => {
    // Act
    const stack = await bedrock.send(
      new GetGuardrailCommand({ guardrailIdentifier: 'gr-probe', guardrailVersion: '1' }),
    );
    const user = await bedrock.send(
      new GetGuardrailCommand({ guardrailIdentifier: 'gr-user', guardrailVersion: '1' }),
    );

    // Assess
    expect(stack.blockedInputMessaging).toBe('[bedrock-matrix] blocked by probe guardrail (input)');
    expect(user).toMatchObject({
      guardrailId: 'gr-user',
      version: '1',
      blockedInputMessaging: 'Example Corp policy: this request cannot be processed.',
      blockedOutputsMessaging: 'Example Corp policy: this answer was withheld.',
    });
  });

  it('refuses an unknown guardrail or version with ResourceNotFoundException', async () => {
    // Act
    const unknown = bedrock.send(
      new GetGuardrailCommand({ guardrailIdentifier: 'gr-nope', guardrailVersion: '1' }),
    );
    const badVersion = bedrock.send(
      new GetGuardrailCommand({ guardrailIdentifier: 'gr-user', guardrailVersion: '9' }),
    );

    // Assess
    await expect(unknown).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(badVersion).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('lists no enforced guardrail unless the scenario declares one', async () => {
    // Prepare
    const declared = {
      ...sim.world.scenario,
      enforcedGuardrails: [
        { guardrailId: 'gr-org', guardrailVersion: '2', includedModels: ['amazon.nova-micro-v1:0'] },
      ],
    };

    // Act
    const none = await bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
    sim.setScenario(declared);
    const one = await bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));

    // Assess
    expect(none.guardrailsConfig).toEqual([]);
    expect(one.guardrailsConfig).toHaveLength(1);
    expect(one.guardrailsConfig?.[0]).toMatchObject({
      guardrailId: 'gr-org',
      guardrailVersion: '2',
      owner: 'ACCOUNT',
      modelEnforcement: { includedModels: ['amazon.nova-micro-v1:0'], excludedModels: [] },
    });
  });
});
