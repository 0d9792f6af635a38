import { describe, expect, it } from 'vitest';
import { demoEnv } from '../../cli/commands/demo';
import { localCredentials, PLACEHOLDER_CREDENTIALS } from '../../cli/credentials';
import { BEDROCK_OVERRIDES } from '../../cli/endpoint-overrides';
import type { RegionView } from '../../lambda/core/region-view';
import { argv, runCli } from './support';

// `demo --region a,b,c`: several simulated regions that differ as the scenario says, shown as the
// rollout view, offline. A handful of models keeps it to a few seconds; the full scenario is
// test/cli/demo.test.ts's business.

const squaresOf = (view: RegionView, block: string, model: string) => {
  const found = view.blocks.find((b) => `${b.endpoint}/${b.api}` === block);
  const row = found?.rows.find((r) => r.model === model);
  return Object.fromEntries(view.regions.map((region, i) => [region, row?.squares[i]?.status ?? null]));
};

describe('bedrock-matrix demo across regions', () => {
  it('shows the rollout: a model one region serves and another lacks, and no mantle where the region has none', async () => {
    // Act
    const result = await runCli(
      argv`demo --region us-east-1,eu-west-1,eu-west-3 --models google.gemma-4-31b-it,openai.gpt-oss-120b --apis chat --format json --quiet`,
    );

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'demo against the local Bedrock simulator (scenario "today", regions us-east-1, eu-west-1, eu-west-3), not real AWS',
    );
    const view = JSON.parse(result.stdout) as RegionView;
    expect(view).toMatchObject({ kind: 'bedrock-matrix/regions', source: 'simulator' });
    expect(view.regions).toEqual(['us-east-1', 'eu-west-1', 'eu-west-3']);
    // Gemma 4 launched in us-east-1, not eu-west-1: absent from eu-west-1's catalog, so not probed there
    expect(squaresOf(view, 'mantle/chat', 'google.gemma-4-31b-it')).toEqual({
      'us-east-1': 'supported',
      'eu-west-1': null,
      'eu-west-3': null,
    });
    // eu-west-3 has no mantle host: its mantle cells are not-found, the runtime ones answer
    expect(squaresOf(view, 'mantle/chat', 'openai.gpt-oss-120b')).toEqual({
      'us-east-1': 'supported',
      'eu-west-1': 'supported',
      'eu-west-3': 'not-found',
    });
    expect(squaresOf(view, 'runtime/chat', 'openai.gpt-oss-120b')['eu-west-3']).toBe('supported');
    expect(result.stderr).not.toContain('error');
  });
});

describe('the demo environment', () => {
  it("carries none of the user's AWS credentials, and signs with placeholders in a region without mantle", () => {
    // Prepare
    const user = {
      AWS_ACCESS_KEY_ID: 'users-own-access-key-id',
      AWS_SECRET_ACCESS_KEY: 'user-secret',
      AWS_SESSION_TOKEN: 'user-session',
      AWS_PROFILE: 'prod',
      AWS_BEARER_TOKEN_BEDROCK: 'ABSKusersownlongtermkey0000',
      AWS_REGION: 'eu-west-1',
    };
    const withMantle = {
      runtime: 'http://127.0.0.1:4001',
      mantle: 'http://127.0.0.1:4002',
      control: 'http://127.0.0.1:4003',
    };
    const withoutMantle = { ...withMantle, mantle: 'http://bedrock-mantle.eu-west-3.invalid:4002' };

    // Act
    const envs = [demoEnv(user, withMantle, undefined), demoEnv(user, withoutMantle, undefined)];

    // Assess
    for (const env of envs) {
      expect(Object.keys(env).filter((k) => k in user && k !== 'AWS_REGION')).toEqual([]);
      expect(localCredentials(env, BEDROCK_OVERRIDES)).toBe(PLACEHOLDER_CREDENTIALS);
    }
  });
});
