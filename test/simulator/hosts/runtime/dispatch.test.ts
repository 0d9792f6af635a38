/** What every runtime native operation shares: the errors the SDK surfaces, authentication, a shipped scenario. */
import { getToken } from '@aws/bedrock-token-generator';
import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  InvokeModelCommand,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REPLY } from '../../../../simulator/brain';
import { type TestSimulator, withSimulator } from '../../../support/simulator';
import {
  ANTHROPIC_BODY,
  CREDENTIALS,
  caught,
  client,
  GPT_OSS,
  HAIKU,
  hello,
  invokeJson,
  LLAMA,
  rawPost,
  SHIPPED_SCENARIO,
  SONNET,
  SONNET_PROFILE,
  sim,
  useRuntimeSimulator,
  WEATHER_TOOL,
} from './runtime-sim';

useRuntimeSimulator();

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
