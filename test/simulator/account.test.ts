import { getToken } from '@aws/bedrock-token-generator';
import { beforeAll, describe, expect, it } from 'vitest';
import { answeredAccount, DEFAULT_SIM_ACCOUNT } from '../../simulator/account';
import { requestScope } from '../../simulator/region';
import { loadScenario } from '../../simulator/scenario';
import type { CallRequest, Scenario } from '../../simulator/types';
import { createWorld, MESSAGES } from '../../simulator/world';
import { sigv4Authorization } from '../support/signed-header';

let org: Scenario;
let tiny: Scenario;
beforeAll(async () => {
  [org, tiny] = await Promise.all([loadScenario('org'), loadScenario('tiny')]);
});

const keys = (accessKeyId: string) => ({ accessKeyId, secretAccessKey: 'simulator-secret' });

/** The Authorization header the real AWS SDK signs with `accessKeyId` (captured, never sent). */
const sigv4 = (accessKeyId: string, region: string): Promise<string> =>
  sigv4Authorization(region, keys(accessKeyId));

describe('answeredAccount tells the account from the access key the wire carries', () => {
  it('reads the access key id of a real SigV4 header and maps it to its account', async () => {
    // Prepare
    const signed = await sigv4('AKIDORGGOVERNED', 'eu-west-1');

    // Act
    const scope = requestScope({ authorization: signed });
    const account = answeredAccount(org, { authorization: signed });

    // Assess
    expect(scope).toEqual({ accessKeyId: 'AKIDORGGOVERNED', region: 'eu-west-1' });
    expect(account).toBe('333333333333');
  });

  it("reads the access key inside a real short-term API key's presigned URL, as Bearer or x-api-key", async () => {
    // Prepare
    const token = await getToken({
      credentials: keys('AKIDORGNOACCESS'),
      region: 'us-west-2',
      expiresInSeconds: 60,
    });

    // Act
    const asBearer = answeredAccount(org, { authorization: `Bearer ${token}` });
    const asApiKey = answeredAccount(org, { 'x-api-key': token });

    // Assess
    expect([asBearer, asApiKey]).toEqual(['222222222222', '222222222222']);
  });

  it('answers an unknown key, a long-term key or no credentials as the default account', async () => {
    // Prepare
    const unknown = { authorization: await sigv4('AKIDNOBODYKNOWS', 'us-east-1') };
    const longTerm = { authorization: 'Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLWtleQ==' };

    // Act
    const inOrg = [unknown, longTerm, {}].map((h) => answeredAccount(org, h));
    const withoutAccounts = answeredAccount(tiny, unknown);

    // Assess
    expect(inOrg).toEqual(['111111111111', '111111111111', '111111111111']);
    expect(withoutAccounts).toBe(DEFAULT_SIM_ACCOUNT);
  });
});

describe("decide answers a call as the caller's account sees the model", () => {
  const converse = (modelId: string, account?: string): CallRequest => ({
    host: 'runtime',
    region: 'eu-west-1',
    api: 'converse',
    route: null,
    modelId,
    features: [],
    path: `/model/${modelId}/converse`,
    ...(account !== undefined && { account }),
  });

  it('refuses a model the account has no access to, and names the account in an SCP deny', async () => {
    // Prepare
    const world = createWorld(org, { sleep: async () => {} });

    // Act
    const [open, noAccess, denied, asDefault] = await Promise.all([
      world.decide(converse('us.anthropic.claude-sonnet-4-6', '111111111111')),
      world.decide(converse('us.anthropic.claude-sonnet-4-6', '222222222222')),
      world.decide(converse('openai.gpt-oss-20b-1:0', '333333333333')),
      world.decide(converse('openai.gpt-oss-20b-1:0')),
    ]);

    // Assess
    expect(open.ok).toBe(true);
    expect(noAccess).toEqual({
      ok: false,
      error: { kind: 'no-access', status: 403, message: MESSAGES.runtimeNoAccess },
    });
    expect(denied).toEqual({
      ok: false,
      error: {
        kind: 'iam-denied',
        status: 403,
        message:
          'User: arn:aws:sts::333333333333:assumed-role/bedrock-matrix-prober/probe is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:eu-west-1::foundation-model/openai.gpt-oss-20b-1:0 with an explicit deny in a service control policy',
      },
    });
    expect(asDefault.ok).toBe(true);
  });

  it('refuses on mantle with its own no-access answer', async () => {
    // Prepare
    const world = createWorld(org, { sleep: async () => {} });
    const messages = (account: string): CallRequest => ({
      host: 'mantle',
      region: 'us-east-1',
      account,
      api: 'messages',
      route: '/anthropic/v1',
      modelId: 'anthropic.claude-sonnet-4-6',
      features: [],
      path: '/anthropic/v1/messages',
    });

    // Act
    const [open, refused] = await Promise.all([
      world.decide(messages('333333333333')),
      world.decide(messages('222222222222')),
    ]);

    // Assess
    expect(open.ok).toBe(true);
    expect(refused).toEqual({
      ok: false,
      error: { kind: 'no-access', status: 403, message: MESSAGES.mantleNoAccess },
    });
  });
});
