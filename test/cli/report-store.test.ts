import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapabilityMap } from '../../lambda/core/capability-map';
import type { Report } from '../../lambda/core/model';
import { parseReport } from '../../lambda/core/report-file';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { type DynamoDbLocal, sharedDynamoDbLocal } from '../support/dynamodb-local';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';
import { runCli } from './support';

// `report --store dynamodb` shows what the store believes, without probing: after one probe into
// the store, it must print the matrix that probe printed, in every format.

const REGION = 'us-east-1';
const TABLE = 'report-store';
const probeArgs = (format: string) => [
  'probe',
  '--region',
  REGION,
  '--store',
  'dynamodb',
  '--table',
  TABLE,
  '--format',
  format,
  '--quiet',
];
const reportArgs = (format: string) => [
  'report',
  '--store',
  'dynamodb',
  '--region',
  REGION,
  '--table',
  TABLE,
  '--format',
  format,
];

/** The matrix part of a rendered report: from the first region heading on, without run facts. */
const matrixPart = (format: string, text: string): string => {
  if (format === 'html') return [...text.matchAll(/<section class="region"[\s\S]*?<\/section>/g)].join('\n');
  if (format === 'markdown') return text.slice(text.indexOf(`## ${REGION}`));
  return text.slice(text.indexOf(`Region ${REGION}`));
};

const cellWords = (r: Report): string[] =>
  r.cells.map((c) => `${c.region}|${c.model}|${c.endpoint}|${c.api}|${c.variant}=${c.status}`).sort();

describe('report --store dynamodb', () => {
  let sim: TestSimulator;
  let dynamo: DynamoDbLocal;
  let env: NodeJS.ProcessEnv;
  let probed: Report;
  let probeFile: string;

  beforeAll(async () => {
    // Prepare: one probe into the store; then the matrix is read back without the simulator's help.
    [sim, dynamo] = await Promise.all([withSimulator('tiny'), sharedDynamoDbLocal()]);
    env = simulatorEnv(sim, { [ENDPOINT_OVERRIDE_ENV.dynamodb]: dynamo.endpoint });
    const run = await runCli(probeArgs('json'), env);
    expect(run.code, run.stderr).toBe(0);
    probed = parseReport(run.stdout, 'probe');
    probeFile = join(await mkdtemp(join(tmpdir(), 'report-store-')), 'probe.json');
    await writeFile(probeFile, run.stdout);
    // Nothing below may probe: with the simulator gone, any probe would fail loudly.
    await sim.close();
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it('--stack finds the deployed table from the stack outputs (DescribeStacks), no --table needed', async () => {
    // Prepare: the deployed stack's outputs name the table the probe wrote to.
    const cloudFormation = mockClient(CloudFormationClient);
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: `BedrockMatrix-${REGION}`,
          CreationTime: new Date(0),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [{ OutputKey: 'TableName', OutputValue: TABLE }],
        },
      ],
    });

    // Act
    const viaStack = await runCli(
      ['report', '--store', 'dynamodb', '--region', REGION, '--stack', '--format', 'json'],
      env,
    );
    const viaTable = await runCli(reportArgs('json'), env);
    cloudFormation.restore();

    // Assess
    expect(viaStack.code, viaStack.stderr).toBe(0);
    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input)).toEqual([
      { StackName: `BedrockMatrix-${REGION}` },
    ]);
    expect(cellWords(parseReport(viaStack.stdout, 'stack'))).toEqual(
      cellWords(parseReport(viaTable.stdout, 'table')),
    );
  });

  it("--stack opens the table in the region of the stack's TableRegion output (the home), not the probed region's", async () => {
    // Prepare: a region stack whose table lives in another region; DynamoDB Local keeps each
    // region's tables apart, so the table exists only where the probe wrote it (us-east-1).
    const cloudFormation = mockClient(CloudFormationClient);
    const outputs = (tableRegion: string) => ({
      Stacks: [
        {
          StackName: 'BedrockMatrix-eu-west-1',
          CreationTime: new Date(0),
          StackStatus: 'CREATE_COMPLETE' as const,
          Outputs: [
            { OutputKey: 'TableName', OutputValue: TABLE },
            { OutputKey: 'TableRegion', OutputValue: tableRegion },
          ],
        },
      ],
    });
    const report = ['report', '--store', 'dynamodb', '--region', 'eu-west-1', '--stack', '--format', 'json'];

    // Act
    cloudFormation.on(DescribeStacksCommand).resolves(outputs(REGION));
    const atHome = await runCli(report, env);
    cloudFormation.on(DescribeStacksCommand).resolves(outputs('eu-west-1'));
    const local = await runCli(report, env);
    cloudFormation.restore();

    // Assess: found at home (nothing stored for eu-west-1 yet, but the table answers); not in
    // eu-west-1. (The message still names --table's value and the probed region: cli/commands/report.ts.)
    expect(atHome.code, atHome.stderr).toBe(0);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('does not exist');
  });

  it('--format json holds every cell of the probe with the same status, and since/runId links', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(reportArgs('json'), env);

    // Assess
    expect(code, stderr).toBe(0);
    const stored = parseReport(stdout, 'stored');
    expect(cellWords(stored)).toEqual(cellWords(probed));
    expect(stored.runId).toBe(probed.runId);
    expect(stored.models.map((m) => m.key)).toEqual(probed.models.map((m) => m.key));
    const supported = stored.cells.find((c) => c.status === 'supported');
    expect(supported?.since).toBe(probed.startedAt);
    expect(supported?.runId).toBe(probed.runId);
  });

  it.each(['table', 'markdown', 'html'])(
    '--format %s prints the same matrix as the probe did',
    async (format) => {
      // Prepare: what the probe printed, in this format (its saved JSON, re-rendered).
      const fromProbe = await runCli(['report', '--in', probeFile, '--format', format], env);

      // Act
      const fromStore = await runCli(reportArgs(format), env);

      // Assess
      expect(fromStore.code, fromStore.stderr).toBe(0);
      expect(matrixPart(format, fromStore.stdout).length).toBeGreaterThan(200);
      expect(matrixPart(format, fromStore.stdout)).toBe(matrixPart(format, fromProbe.stdout));
      expect(fromStore.stdout).toContain('SIMULATED');
    },
  );

  it('--format capabilities and litellm render from the store too', async () => {
    // Act
    const caps = await runCli(reportArgs('capabilities'), env);
    const lite = await runCli(reportArgs('litellm'), env);

    // Assess
    expect([caps.code, lite.code]).toEqual([0, 0]);
    const map = JSON.parse(caps.stdout) as CapabilityMap;
    const sinces = Object.values(map.regions[REGION]?.models ?? {}).flatMap((m) =>
      Object.values(m.endpoints).flatMap((e) => Object.values(e?.apis ?? {}).map((a) => a?.since)),
    );
    const someSupported = sinces.includes(probed.startedAt);
    expect(someSupported).toBe(true);
    expect(JSON.parse(lite.stdout).model_list.length).toBeGreaterThan(0);
  });

  it('names a table that does not exist, with exit 2 and one line', async () => {
    // Act
    const { code, stderr } = await runCli(
      ['report', '--store', 'dynamodb', '--region', REGION, '--table', 'no-such-table'],
      env,
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'bedrock-matrix: --table: table "no-such-table" does not exist in us-east-1',
    ]);
  });

  it('refuses --in together with --store before reading anything', async () => {
    // Act
    const { code, stderr } = await runCli(
      ['report', '--in', 'x.json', '--store', 'dynamodb', '--region', REGION],
      env,
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('give either --in FILE or --store dynamodb, not both');
  });
});
