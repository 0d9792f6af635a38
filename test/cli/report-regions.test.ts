import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionView } from '../../lambda/core/region-view';
import { parseReport } from '../../lambda/core/report-file';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { type DynamoDbLocal, sharedDynamoDbLocal } from '../support/dynamodb-local';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';
import { runCli } from './support';

// `report --view regions`: models x regions per endpoint/api, from the store (confirmed state,
// with the day each square was first seen supported) or from several report files.

const TABLE = 'report-regions';
const EVERYWHERE = 'openai.gpt-oss-20b';
const EAST_ONLY = 'xai.grok-4.3';

const probe = (region: string, models: string) => [
  'probe',
  '--region',
  region,
  '--models',
  models,
  '--apis',
  'chat',
  '--store',
  'dynamodb',
  '--table',
  TABLE,
  '--format',
  'json',
  '--quiet',
];

const square = (view: RegionView, model: string) =>
  view.blocks.find((b) => b.endpoint === 'mantle' && b.api === 'chat')?.rows.find((r) => r.model === model)
    ?.squares;

describe('report --view regions', () => {
  let sim: TestSimulator;
  let dynamo: DynamoDbLocal;
  let env: NodeJS.ProcessEnv;
  let eastStart: string;
  let westStart: string;
  let eastFile: string;
  let westFile: string;

  beforeAll(async () => {
    // Prepare: us-east-1 probes two models, us-west-2 only one of them (not rolled out there yet).
    [sim, dynamo] = await Promise.all([withSimulator('tiny'), sharedDynamoDbLocal()]);
    env = simulatorEnv(sim, { [ENDPOINT_OVERRIDE_ENV.dynamodb]: dynamo.endpoint });
    const east = await runCli(probe('us-east-1', `${EAST_ONLY},${EVERYWHERE}`), env);
    const west = await runCli(probe('us-west-2', EVERYWHERE), env);
    expect([east.code, west.code], `${east.stderr}${west.stderr}`).toEqual([0, 0]);
    eastStart = parseReport(east.stdout, 'east').startedAt;
    westStart = parseReport(west.stdout, 'west').startedAt;
    const dir = await mkdtemp(join(tmpdir(), 'report-regions-'));
    [eastFile, westFile] = [join(dir, 'east.json'), join(dir, 'west.json')];
    await Promise.all([writeFile(eastFile, east.stdout), writeFile(westFile, west.stdout)]);
    await sim.close();
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it('from the store: each region a column, dated by the confirmed state, empty where not probed', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(
      [
        'report',
        '--store',
        'dynamodb',
        '--region',
        'us-east-1',
        '--region',
        'us-west-2',
        '--table',
        TABLE,
        '--view',
        'regions',
        '--format',
        'json',
      ],
      env,
    );

    // Assess
    expect(code, stderr).toBe(0);
    const view = JSON.parse(stdout) as RegionView;
    expect(view.regions).toEqual(['us-east-1', 'us-west-2']);
    expect(square(view, EVERYWHERE)).toEqual([
      { status: 'supported', firstSupported: eastStart },
      { status: 'supported', firstSupported: westStart },
    ]);
    const eastOnly = square(view, EAST_ONLY);
    expect(eastOnly?.[0]?.status).not.toBeNull();
    expect(eastOnly?.[1]).toEqual({ status: null, firstSupported: null });
  });

  it('from the store as a table a person reads', async () => {
    // Act
    const { code, stdout } = await runCli(
      [
        'report',
        '--store',
        'dynamodb',
        '--region',
        'us-east-1,us-west-2',
        '--table',
        TABLE,
        '--view',
        'regions',
      ],
      env,
    );

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('mantle/chat');
    const days = [eastStart, westStart].map((s) => s.slice(0, 10));
    expect(stdout).toMatch(
      new RegExp(`${EVERYWHERE.replace(/\./g, '\\.')} +│ ✓ ${days[0]} │ ✓ ${days[1]} │ 2/2`),
    );
    expect(stdout).toMatch(new RegExp(`${EAST_ONLY.replace(/\./g, '\\.')} +│ [^│]+│ +│ [01]/2`));
  });

  it('from several report files: the regions side by side (the files carry no since, so no dates)', async () => {
    // Act
    const { code, stdout, stderr } = await runCli([
      'report',
      '--in',
      eastFile,
      '--in',
      westFile,
      '--view',
      'regions',
      '--format',
      'markdown',
    ]);

    // Assess
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('| Model | us-east-1 | us-west-2 | Regions |');
    expect(stdout).toContain(`| ${EVERYWHERE} | ✓ | ✓ | 2/2 |`);
    expect(stdout).toMatch(
      new RegExp(`\\| ${EAST_ONLY.replace(/\./g, '\\.')} \\| [^|]+ \\|  \\| [01]/2 \\|`),
    );
  });

  it('combines several report files into one matrix report too', async () => {
    // Act
    const { code, stdout } = await runCli(['report', '--in', eastFile, '--in', westFile, '--format', 'json']);

    // Assess
    expect(code).toBe(0);
    const merged = parseReport(stdout, 'merged');
    expect(merged.regions).toEqual(['us-east-1', 'us-west-2']);
    expect(new Set(merged.cells.map((c) => c.region))).toEqual(new Set(['us-east-1', 'us-west-2']));
  });

  it.each([
    [['--view', 'map'], '--view: "map" is not one of matrix, regions'],
    [
      ['--view', 'regions', '--format', 'litellm'],
      '--format: "litellm" is not available with --view regions (use table, json, markdown, html)',
    ],
  ])('%j exits 2 with one line naming the bad value', async (extra, expected) => {
    // Act
    const result = await runCli(['report', '--in', eastFile, ...extra]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`bedrock-matrix: ${expected}\n`);
  });
});
