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
    timeout: 180_000,
  });
};

describe('bin/app.ts under cdk synth', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'bedrock-matrix-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes one stack per region without credentials, passing cdk-nag', () => {
    // Prepare
    const args = ['-c', 'regions=us-east-1,eu-west-1'];

    // Act
    const result = cdkSynth(args, join(outdir, 'ok'));

    // Assess
    expect(result.status, result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, 'ok', 'manifest.json'), 'utf8'));
    const stacks = Object.entries(manifest.artifacts as Record<string, { type: string; environment: string }>)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([name, a]) => [name, a.environment]);
    expect(stacks).toEqual([
      ['BedrockMatrix-us-east-1', 'aws://unknown-account/us-east-1'],
      ['BedrockMatrix-eu-west-1', 'aws://unknown-account/eu-west-1'],
    ]);
  });

  it('fails on a bad region with one line naming it and no stack trace', () => {
    // Prepare
    const args = ['-c', 'regions=us-east-1,us-east-9'];

    // Act
    const result = cdkSynth(args, join(outdir, 'bad'));

    // Assess
    expect(result.status).not.toBe(0);
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('npm warn'));
    expect(lines).toContain(
      'Invalid context "regions": "us-east-9" is not an AWS region where Amazon Bedrock runs',
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
