import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';
import { argv, runCli } from './support';

// Every command refuses bad input the same way: exit 2, nothing on stdout, one line on stderr that
// names the flag or file and the bad value. (commands.test.ts holds the first probe cases.)

let dir: string;
let files: { badJson: string; notScenario: string; notReport: string; emptyReport: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-options-'));
  files = {
    badJson: join(dir, 'bad.json'),
    notScenario: join(dir, 'not-a-scenario.json'),
    notReport: join(dir, 'not-a-report.json'),
    emptyReport: join(dir, 'empty.json'),
  };
  await writeFile(files.badJson, '{"name": "half a file",');
  await writeFile(files.notScenario, JSON.stringify({ name: 'x', models: [] }));
  await writeFile(files.notReport, JSON.stringify({ schemaVersion: 1, runId: 'r1', startedAt: 'now' }));
  await writeFile(files.emptyReport, '');
});

const expectOneLineUsageError = (result: { code: number; stdout: string; stderr: string }) => {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
};

describe('probe and demo flags', () => {
  it.each([
    [['probe', '--region', 'us-east-1', '--canary', 'a b'], '--canary: "a b" must be 6-100'],
    [argv`probe --region`, "option '--region <region>' argument missing"],
    [argv`probe --region us-east-1,eu-west-1,nowhere`, '--region: "nowhere" is not an AWS region name'],
    // The same list and words as `cdk synth -c regions=us-east-9` (the settings spec's).
    [argv`probe --region us-east-9`, '--region: "us-east-9" is not an AWS region where Amazon Bedrock runs'],
    [argv`demo --region eu-west-9`, '--region: "eu-west-9" is not an AWS region where Amazon Bedrock runs'],
    [
      argv`demo --region us-east-1,us-east-9`,
      '--region: "us-east-9" is not an AWS region where Amazon Bedrock runs',
    ],
    [argv`demo --region us-east-1 --view rollout`, '--view: "rollout" is not one of matrix, regions'],
    [
      argv`demo --region us-east-1,eu-west-1 --format litellm`,
      '--format: "litellm" is not available with the regions view (use table, json, markdown, html, or --view matrix)',
    ],
    [
      ['probe', '--region', 'us-east-1 eu-west-1'],
      '--region: "us-east-1 eu-west-1" holds spaces: give several regions as a comma list (us-east-1,eu-west-1)',
    ],
    [argv`probe --region us-east-1 --guardrail-version 1`, '--guardrail-version needs --guardrail-id'],
    [
      argv`probe --region us-east-1 --guardrail-id gr1 --guardrail-version latest`,
      '--guardrail-version: "latest" is not a version number or DRAFT',
    ],
    [
      ['probe', '--region', 'us-east-1', '--guardrail-id', 'gr 1', '--guardrail-version', '1'],
      '--guardrail-id: "gr 1" is not a guardrail ID or ARN',
    ],
    [argv`probe --region us-east-1 --concurrency 65`, '--concurrency: 65 is out of range (1 to 64)'],
    [argv`probe --region us-east-1 --concurrency 1.5`, '--concurrency: "1.5" is not a whole number'],
    [argv`probe --region us-east-1 --concurrency -1`, '--concurrency: "-1" is not a whole number'],
    [
      argv`probe --region us-east-1 --per-model-concurrency 17`,
      '--per-model-concurrency: 17 is out of range (1 to 16)',
    ],
    [argv`demo --per-model-concurrency 0`, '--per-model-concurrency: 0 is out of range (1 to 16)'],
    [argv`probe --region us-east-1 --max-tokens 0`, '--max-tokens: 0 is out of range (1 to 4096)'],
    [argv`probe --region us-east-1 --max-calls lots`, '--max-calls: "lots" is not a whole number'],
    [argv`probe --region us-east-1 --timeout 5`, '--timeout: 5 is out of range (100 to 900000)'],
    [argv`probe --region us-east-1 --confirm 9`, '--confirm: 9 is out of range (0 to 5)'],
    [
      argv`probe --region us-east-1 --dependency-timeout 50`,
      '--dependency-timeout: 50 is out of range (100 to 120000)',
    ],
    [
      argv`probe --region us-east-1 --mantle-first-timeout 600001`,
      '--mantle-first-timeout: 600001 is out of range (1000 to 600000)',
    ],
    [
      argv`probe --region us-east-1 --max-run-tokens 100000001`,
      '--max-run-tokens: 100000001 is out of range (0 to 100000000)',
    ],
    [argv`probe --region us-east-1 --table ab`, '--table: "ab" is not a DynamoDB table name'],
    [argv`probe --region us-east-1 --apis ,`, '--apis: empty list'],
    [argv`probe --region us-east-1 --apis Converse`, '--apis: unknown api "Converse"'],
    [argv`probe --region us-east-1 --models openai/*`, '--models: "openai/*" is not a model glob'],
    [
      ['probe', '--region', 'us-east-1', '--exclude-models', 'a b'],
      '--exclude-models: "a b" is not a model glob',
    ],
    [argv`demo --format pdf`, '--format: "pdf" is not one of table, json, markdown, html'],
    [argv`demo --concurrency 0`, '--concurrency: 0 is out of range (1 to 64)'],
    [
      argv`demo --scenario nope`,
      '--scenario: nope.json: no such scenario "nope" (known: may-2026, org, tiny, today)',
    ],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('%j exits 2 with one line naming the bad value', async (args, expected) => {
    // Act
    const result = await runCli(args);

    // Assess
    expectOneLineUsageError(result);
    expect(result.stderr).toContain(expected);
  });

  it('rejects a scenario file that is not JSON with the validator’s one line, naming the file', async () => {
    // Act
    const result = await runCli(argv`demo --scenario ${files.badJson}`);

    // Assess
    expectOneLineUsageError(result);
    expect(result.stderr).toContain(`--scenario: ${files.badJson}: invalid JSON`);
  });

  it('rejects a scenario file of the wrong shape, naming the missing field', async () => {
    // Act
    const result = await runCli(argv`demo --scenario ${files.notScenario}`);

    // Assess
    expectOneLineUsageError(result);
    expect(result.stderr).toContain(`${files.notScenario}: guardrailBehaviour: must be an object`);
  });
});

describe('values from the environment', () => {
  it.each([
    [{ BEDROCK_MATRIX_CANARY: 'x' }, 'BEDROCK_MATRIX_CANARY: "x" must be 6-100'],
    [
      { BEDROCK_MATRIX_GUARDRAIL_ID: 'gr1', BEDROCK_MATRIX_GUARDRAIL_VERSION: 'latest' },
      'BEDROCK_MATRIX_GUARDRAIL_VERSION: "latest" is not a version number or DRAFT',
    ],
    [
      { BEDROCK_MATRIX_GUARDRAIL_ID: 'gr 1', BEDROCK_MATRIX_GUARDRAIL_VERSION: '1' },
      'BEDROCK_MATRIX_GUARDRAIL_ID: "gr 1" is not a guardrail ID or ARN',
    ],
  ])('reports a bad %j under the variable’s name, not a flag never typed', async (env, expected) => {
    // Act
    const result = await runCli(argv`probe --region us-east-1`, env);

    // Assess
    expectOneLineUsageError(result);
    expect(result.stderr).toContain(expected);
    expect(result.stderr).not.toContain('--canary:');
    expect(result.stderr).not.toContain('--guardrail-');
  });
});

describe('bad input is refused before anything is probed', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await withSimulator('tiny');
  });
  afterAll(async () => sim?.close());

  it.each([
    [['--max-tokens', '99999'], '--max-tokens: 99999 is out of range (1 to 4096)'],
    [['--format', 'pdf'], '--format: "pdf" is not one of'],
    [['--store', 'redis'], '--store: "redis" is not one of none, dynamodb'],
  ])('sends no request to Bedrock when given %j', async (flags, expected) => {
    // Prepare
    const env = simulatorEnv(sim);
    const before = sim.world.calls.length;

    // Act
    const refused = await runCli(['probe', '--region', 'us-east-1', '--apis', 'chat', ...flags], env);

    // Assess
    expectOneLineUsageError(refused);
    expect(refused.stderr).toContain(expected);
    expect(sim.world.calls.length).toBe(before);
  });

  it('does reach the simulator with the same flags once they are valid (the check above can fail)', async () => {
    // Prepare
    const env = simulatorEnv(sim);
    const before = sim.world.calls.length;

    // Act
    const { code } = await runCli(
      argv`probe --region us-east-1 --apis chat --models openai.gpt-oss-20b`,
      env,
    );

    // Assess
    expect(code).toBe(0);
    expect(sim.world.calls.length).toBeGreaterThan(before);
  });
});

describe('report, scenario, diff and simulate', () => {
  it.each([
    [() => argv`report --in ${files.notReport}`, () => `${files.notReport}: regions: expected an array`],
    [() => argv`report --in ${files.emptyReport}`, () => `${files.emptyReport}: (file): not valid JSON`],
    [() => argv`report --in ${files.notReport} --format pdf`, () => '--format: "pdf" is not one of'],
    [() => argv`report`, () => 'report needs --in FILE (a saved report) or --store dynamodb --region R'],
    [
      () => ['scenario', '--from', join(dir, 'missing.json')],
      () => `cannot read report "${join(dir, 'missing.json')}": ENOENT`,
    ],
    [() => argv`scenario --from ${files.badJson}`, () => `${files.badJson}: (file): not valid JSON`],
    [() => argv`scenario --from ${files.notReport}`, () => `${files.notReport}: regions: expected an array`],
    [() => argv`scenario`, () => "required option '--from <report>' not specified"],
    [
      () => argv`diff`,
      () => 'diff needs two report files (old, new), or --region with --since TIME or --runs A,B',
    ],
    [() => argv`diff --since 2026-11-01T00:00:00Z`, () => '--region is required'],
    [() => argv`diff a.json b.json c.json`, () => 'diff takes two report files (old, new), got 3'],
    [() => argv`diff a.json b.json --region us-east-1`, () => 'give either two report files or --region'],
    [() => argv`diff --region us-east-1`, () => 'give exactly one of --since TIME or --runs A,B'],
    [() => argv`diff --region us-east-1 --since yesterday`, () => '--since: "yesterday" is not a time'],
    [() => argv`diff --region us-east-1 --runs only-one`, () => '--runs: "only-one" must be two run IDs'],
    [() => argv`diff a.json b.json --format html`, () => '--format: "html" is not available for diff'],
    [() => argv`simulate --scenario nope`, () => 'no such scenario "nope"'],
    [() => argv`simulate --scenario ${files.badJson}`, () => `${files.badJson}: invalid JSON`],
    [() => argv`simulate --mantle-port 70000`, () => '--mantle-port: 70000 is out of range (0 to 65535)'],
    [() => argv`simulate --runtime-port abc`, () => '--runtime-port: "abc" is not a whole number'],
  ])('%s exits 2 with one line naming the bad value', async (args, expected) => {
    // Act
    const result = await runCli(args());

    // Assess
    expectOneLineUsageError(result);
    expect(result.stderr).toContain(expected());
  });
});

describe('--help', () => {
  const flagsOf: Record<string, readonly string[]> = {
    probe: [
      '--region',
      '--format',
      '--out',
      '--models',
      '--apis',
      '--concurrency',
      '--per-model-concurrency',
      '--guardrail-id',
      '--guardrail-version',
      '--canary',
      '--store',
    ],
    demo: ['--scenario', '--drift', '--format', '--out', '--models', '--apis', '--store'],
    simulate: ['--scenario', '--runtime-port', '--mantle-port', '--control-port'],
    diff: ['--region', '--since', '--runs', '--table', '--format'],
    report: ['--in', '--format', '--out'],
    scenario: ['--from', '--out', '--name', '--canary'],
  };

  it.each(Object.entries(flagsOf))('%s --help exits 0 and lists its flags', async (command, flags) => {
    // Act
    const { code, stdout, stderr } = await runCli([command, '--help']);

    // Assess
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const flag of flags) expect(stdout).toMatch(new RegExp(`^\\s+${flag}\\b`, 'm'));
  });

  it('lists every command at the top level', async () => {
    // Act
    const { code, stdout } = await runCli(['--help']);

    // Assess
    expect(code).toBe(0);
    for (const command of Object.keys(flagsOf)) expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });
});
