import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/core/model';
import { parseReport } from '../../lambda/core/report-file';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { loadScenario } from '../../simulator/scenario';
import { type DynamoDbLocal, sharedDynamoDbLocal } from '../support/dynamodb-local';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';
import { argv, runCli } from './support';

// `probe --store dynamodb` remembers runs like the Lambda does; `diff` reads them back.

describe('probe --store dynamodb and diff from the store', () => {
  let sim: TestSimulator;
  let dynamo: DynamoDbLocal;
  let env: NodeJS.ProcessEnv;
  let first: Report;
  let second: Report;
  const since = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    // Prepare
    [sim, dynamo] = await Promise.all([withSimulator('tiny'), sharedDynamoDbLocal()]);
    env = simulatorEnv(sim, { [ENDPOINT_OVERRIDE_ENV.dynamodb]: dynamo.endpoint });
    const args = argv`probe --region us-east-1 --store dynamodb --table cli-runs --format json`;
    const run1 = await runCli(args, env);
    // The drift: grok-4.3 leaves mantle.
    const tiny = await loadScenario('tiny');
    sim.setScenario({ ...tiny, models: tiny.models.filter((m) => m.key !== 'xai.grok-4.3') });

    // Act
    const run2 = await runCli(args, env);
    expect([run1.code, run2.code]).toEqual([0, 0]);
    first = parseReport(run1.stdout, 'run1');
    second = parseReport(run2.stdout, 'run2');
  });
  afterAll(async () => {
    await sim?.close();
    await dynamo?.stop();
  });

  it('stores the first run as a baseline and carries the confirmed changes of the second in its report', () => {
    // Assess
    expect(first.changes).toEqual([]);
    expect(second.changes).toContainEqual(
      expect.objectContaining({ model: 'xai.grok-4.3', endpoint: 'mantle', kind: 'model-removed' }),
    );
  });

  it('diff --since lists the confirmed changes from the store', async () => {
    // Act
    const { code, stdout } = await runCli(
      argv`diff --region us-east-1 --since ${since} --table cli-runs`,
      env,
    );

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('xai.grok-4.3');
    expect(stdout).toContain('model disappeared from mantle');
  });

  it('diff --runs compares two stored runs', async () => {
    // Act
    const { code, stdout } = await runCli(
      argv`diff --region us-east-1 --runs ${first.runId},${second.runId} --table cli-runs --format json`,
      env,
    );

    // Assess
    expect(code).toBe(0);
    const { changes } = JSON.parse(stdout) as { changes: { model: string }[] };
    expect(changes.some((c) => c.model === 'xai.grok-4.3')).toBe(true);
  });

  it('diff --runs names a run the store does not have', async () => {
    // Act
    const { code, stderr } = await runCli(
      argv`diff --region us-east-1 --runs ${first.runId},nope --table cli-runs`,
      env,
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('run "nope" is not in the store for us-east-1');
  });

  it.each([
    ['--since', ['--since', '2026-01-01T00:00:00Z']],
    ['--runs', ['--runs', 'a,b']],
  ])(
    'diff %s names a table that does not exist, and the region it was looked for in',
    async (_flag, args) => {
      // Act
      const { code, stdout, stderr } = await runCli(
        ['diff', '--region', 'us-east-1', ...args, '--table', 'nosuchtable'],
        env,
      );

      // Assess
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toEqual([
        `bedrock-matrix: --table: DynamoDB table "nosuchtable" does not exist in us-east-1 (at ${dynamo.endpoint}) (deploy the stack there, or name the table with --table)`,
      ]);
    },
  );
});

describe('demo --drift', () => {
  it('confirms the drift from May 2026 to today and shows the alert it would send', async () => {
    // Act
    // A model of each headline drift keeps the two full runs and their confirmation to seconds.
    const models = 'anthropic.claude-sonnet-4-6,openai.gpt-oss-120b,openai.gpt-5.4';
    const { code, stdout, stderr } = await runCli(argv`demo --drift --models ${models} --format json`);

    // Assess
    expect(code).toBe(0);
    const report = parseReport(stdout, 'drift');
    expect(report.changes).toContainEqual(
      expect.objectContaining({
        model: 'anthropic.claude-sonnet-4-6',
        endpoint: 'mantle',
        kind: 'model-added',
      }),
    );
    expect(stderr).toMatch(/Subject: bedrock-matrix: \d+ changes in us-east-1/);
  });
});
