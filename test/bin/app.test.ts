import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Runs the real `cdk synth` as a user on a fresh clone would: no AWS credentials at all. */
const cdkSynth = (args: readonly string[], outdir: string) => {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(AWS_|CDK_DEFAULT_)/.test(key)),
  );
  return spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', outdir, ...args], {
    cwd: ROOT,
    env: { ...env, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
    encoding: 'utf8',
    timeout: 300_000,
  });
};

describe('bin/app.ts under cdk synth', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'bedrock-matrix-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // Bundling one Lambda per region (and the home's two) on a shared machine takes minutes, not seconds.
  it('synthesizes one home stack and one stack per region without credentials, passing cdk-nag', {
    timeout: 300_000,
  }, () => {
    // Prepare
    const args = ['-c', 'regions=us-east-1,us-west-2,eu-west-1', '-c', 'home=us-east-1'];

    // Act
    const result = cdkSynth(args, join(outdir, 'ok'));

    // Assess
    expect(result.status, result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, 'ok', 'manifest.json'), 'utf8'));
    const artifacts = manifest.artifacts as Record<
      string,
      { type: string; environment: string; dependencies?: string[] }
    >;
    const stacks = Object.entries(artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
    expect(stacks.map(([name, a]) => [name, a.environment]).sort()).toEqual(
      [
        ['BedrockMatrix-Home', 'aws://unknown-account/us-east-1'],
        ['BedrockMatrix-us-east-1', 'aws://unknown-account/us-east-1'],
        ['BedrockMatrix-us-west-2', 'aws://unknown-account/us-west-2'],
        ['BedrockMatrix-eu-west-1', 'aws://unknown-account/eu-west-1'],
      ].sort(),
    );
    // `cdk deploy --all` deploys home first: every region stack depends on it.
    for (const [name, a] of stacks)
      if (name !== 'BedrockMatrix-Home') expect(a.dependencies, name).toContain('BedrockMatrix-Home');
    const typesOf = (stack: string) =>
      Object.values(
        JSON.parse(readFileSync(join(outdir, 'ok', `${stack}.template.json`), 'utf8')).Resources as Record<
          string,
          { Type: string }
        >,
      ).map((r) => r.Type);
    const home = typesOf('BedrockMatrix-Home');
    expect(home.filter((t) => t === 'AWS::DynamoDB::GlobalTable')).toHaveLength(1);
    expect(home.filter((t) => t === 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      const types = typesOf(`BedrockMatrix-${region}`);
      expect(types, region).toContain('AWS::Bedrock::Guardrail');
      // The full sweep and the sentinel.
      expect(
        types.filter((t) => t === 'AWS::Scheduler::Schedule'),
        region,
      ).toHaveLength(2);
      for (const absent of [
        'AWS::DynamoDB::GlobalTable',
        'AWS::DynamoDB::Table',
        'AWS::SNS::Topic',
        'AWS::KMS::Key',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Dashboard',
      ])
        expect(types, `${region} ${absent}`).not.toContain(absent);
    }
  });

  it.each([
    [
      'a bad region',
      { regions: 'us-east-1,us-east-9' },
      'Invalid context "regions": "us-east-9" is not an AWS region where Amazon Bedrock runs',
    ],
    // Every other setting's one line (sentinelSchedule, home, ...) is readConfig's, tested in
    // test/lib/config.test.ts: one spawned app proves bin/app.ts prints such a line and nothing else.
  ])(
    'fails on %s with one line naming it and no stack trace',
    { timeout: 120_000 },
    (_case, context, line) => {
      // Prepare: cdk.json's app command, run as the CDK CLI runs it (context in CDK_CONTEXT_JSON);
      // the real CLI around it is the test above, and it passes the app's stderr through as it is.
      const { app } = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { app: string };
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !/^(AWS_|CDK_DEFAULT_)/.test(key)),
      );

      // Act
      const result = spawnSync(app, {
        cwd: ROOT,
        shell: true,
        env: {
          ...env,
          CDK_CONTEXT_JSON: JSON.stringify(context),
          CDK_OUTDIR: join(outdir, `bad-${Object.keys(context)[0]}`),
        },
        encoding: 'utf8',
        timeout: 120_000,
      });

      // Assess
      expect(result.status).not.toBe(0);
      const lines = result.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('npm warn'));
      expect(lines).toEqual([line]);
    },
  );
});
