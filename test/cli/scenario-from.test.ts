import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CellResult, Report } from '../../lambda/core/model';
import { renderJson } from '../../lambda/core/render/json';
import { parseReport } from '../../lambda/core/report-file';
import { parseScenario } from '../../simulator/scenario';
import { buildSampleReport } from '../support/sample-report';
import { argv, runCli } from './support';

// The round trip a team uses to replay a day offline: save a run as JSON, turn it into a scenario
// with `scenario --from`, and run the demo on that scenario.

/**
 * One model of each kind the day serves (both hosts with their own IDs, a us. profile only,
 * mantle only, runtime only, legacy, thinking, a newer generation): the conversion is per model, so
 * twelve cover what sixty-three would, at a fifth of the probing.
 */
const MODELS = [
  'openai.gpt-oss-120b',
  'openai.gpt-5.4',
  'openai.gpt-6-sol',
  'anthropic.claude-sonnet-4-6',
  'anthropic.claude-3-haiku',
  'anthropic.claude-opus-5',
  'amazon.nova-micro-v1:0',
  'google.gemma-3-4b-it',
  'deepseek.r1',
  'meta.llama3-3-70b-instruct-v1:0',
  'mistral.voxtral-small-24b-2507',
  'moonshotai.kimi-k2-thinking',
].join(',');

const cellKey = (c: CellResult) => `${c.region} ${c.model} ${c.endpoint}/${c.api} ${c.variant}`;

describe('scenario --from a run of today, replayed with demo --scenario', () => {
  let dir: string;
  let original: Report;
  let replayed: Report;
  let made: { code: number; stdout: string; stderr: string };
  let scenarioFile: string;

  beforeAll(async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-scenario-'));
    const runFile = join(dir, 'run.json');
    scenarioFile = join(dir, 'replay.json');
    const run = await runCli(argv`demo --scenario today --models ${MODELS} --format json --quiet`);
    expect(run.code).toBe(0);
    await writeFile(runFile, run.stdout);
    original = parseReport(run.stdout, 'run');

    // Act
    made = await runCli(argv`scenario --from ${runFile} --out ${scenarioFile}`);
    const replay = await runCli(
      argv`demo --scenario ${scenarioFile} --models ${MODELS} --format json --quiet`,
    );
    expect(replay.code).toBe(0);
    replayed = parseReport(replay.stdout, 'replay');
  }, 120_000);

  it('writes the scenario file and says where', () => {
    // Assess
    expect(made.code).toBe(0);
    expect(made.stdout).toBe('');
    expect(made.stderr).toContain(`wrote scenario "replay-run" to ${scenarioFile}`);
  });

  it('serves the same supported basic cells, through the same model IDs and routes', () => {
    // Prepare
    const supported = (r: Report) =>
      new Map(
        r.cells
          .filter((c) => c.variant === 'basic' && c.status === 'supported')
          .map((c) => [cellKey(c), `${c.evidence.modelId} ${c.evidence.route}`]),
      );

    // Act
    const [before, after] = [supported(original), supported(replayed)];

    // Assess
    expect(before.size).toBeGreaterThan(15);
    expect(after).toEqual(before);
  });

  it('gives every basic cell the status it had, not only the supported ones', () => {
    // Prepare
    const statuses = (r: Report) =>
      Object.fromEntries(r.cells.filter((c) => c.variant === 'basic').map((c) => [cellKey(c), c.status]));

    // Assess
    expect(statuses(replayed)).toEqual(statuses(original));
  });

  it('keeps the feature and guardrail verdicts of the day (streaming, tools, ignored guardrails)', () => {
    // Prepare
    const verdicts = (r: Report) =>
      Object.fromEntries(r.cells.filter((c) => c.variant !== 'basic').map((c) => [cellKey(c), c.status]));

    // Assess
    const before = verdicts(original);
    expect(Object.values(before)).toContain('ignored');
    expect(verdicts(replayed)).toEqual(before);
  });

  it('lists the same models with the same IDs per endpoint', () => {
    // Assess
    const ids = (r: Report) => Object.fromEntries(r.models.map((m) => [m.key, m.ids]));
    expect(ids(replayed)).toEqual(ids(original));
  });
});

describe('scenario --from a saved report, to stdout', () => {
  let file: string;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-scenario-'));
    file = join(dir, 'monday.json');
    await writeFile(file, renderJson(buildSampleReport({ source: 'aws' })));
  });

  it('prints a scenario the simulator accepts, named after the file', async () => {
    // Act
    const { code, stdout } = await runCli(argv`scenario --from ${file}`);

    // Assess
    expect(code).toBe(0);
    const scenario = parseScenario(JSON.parse(stdout), 'stdout');
    expect(scenario.name).toBe('replay-monday');
    expect(scenario.models.map((m) => m.key)).toEqual(buildSampleReport().models.map((m) => m.key));
  });

  it('takes --name and --canary', async () => {
    // Act
    const { code, stdout } = await runCli(
      argv`scenario --from ${file} --name black-monday --canary PURPLE-OWL-42`,
    );

    // Assess
    expect(code).toBe(0);
    const scenario = parseScenario(JSON.parse(stdout), 'stdout');
    expect(scenario.name).toBe('black-monday');
    expect(scenario.guardrails[0]?.words).toEqual(['PURPLE-OWL-42']);
  });

  it.each([
    [['--name', 'two words'], '--name: "two words" must be 1-64 of'],
    [['--canary', 'x'], '--canary: "x" must be 6-100'],
  ])('refuses %j with one line (exit 2)', async (flags, expected) => {
    // Act
    const { code, stdout, stderr } = await runCli(['scenario', '--from', file, ...flags]);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(expected);
  });

  it('does not write the file when the report is bad', async () => {
    // Prepare
    const bad = join(file, '..', 'bad.json');
    const out = join(file, '..', 'never.json');
    await writeFile(bad, '{"schemaVersion": 1}');

    // Act
    const { code } = await runCli(argv`scenario --from ${bad} --out ${out}`);

    // Assess
    expect(code).toBe(2);
    await expect(readFile(out, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
