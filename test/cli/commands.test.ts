import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/core/model';
import { parseReport } from '../../lambda/core/report-file';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';
import { argv, runCli } from './support';

// The command line as a user meets it: flags, exit codes, files, and the simulate contract.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-cli-'));
});

describe('bad input', () => {
  it.each([
    [argv`probe`, '--region is required'],
    [argv`probe --region us-east-9x`, '--region: "us-east-9x" is not an AWS region name'],
    [
      argv`probe --region us-east-1 --format pdf`,
      '--format: "pdf" is not one of table, json, markdown, html',
    ],
    [argv`probe --region us-east-1 --apis converse,grpc`, '--apis: unknown api "grpc"'],
    [argv`probe --region us-east-1 --concurrency 0`, '--concurrency: 0 is out of range (1 to 64)'],
    [argv`probe --region us-east-1 --concurrency abc`, '--concurrency: "abc" is not a whole number'],
    [
      argv`probe --region us-east-1 --guardrail-id abc123`,
      '--guardrail-id "abc123" needs --guardrail-version',
    ],
    [argv`probe --region us-east-1 --store redis`, '--store: "redis" is not one of none, dynamodb'],
    [argv`probe --region us-east-1 --canary a,b`, '--canary: "a,b" must be 6-100 letters'],
    [argv`probe --region us-east-1 --frobnicate`, "unknown option '--frobnicate'"],
    [argv`report --in /nonexistent/run.json`, 'cannot read report "/nonexistent/run.json": ENOENT'],
    [argv`diff only-one.json`, 'diff takes two report files (old, new), got 1'],
    [argv`demo --scenario no-such-scenario`, '--scenario:'],
  ])('%j exits 2 with one line naming the bad value', async (args, expected) => {
    // Act
    const { code, stdout, stderr } = await runCli(args);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(expected);
  });

  it('names the bad field of a file that is not a report', async () => {
    // Prepare
    const file = join(dir, 'not-a-report.json');
    await writeFile(file, JSON.stringify({ schemaVersion: 1, runId: 'x', cells: 'many' }));

    // Act
    const { code, stderr } = await runCli(argv`report --in ${file}`);

    // Assess
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(file);
  });

  it('explains every command with --help and exits 0', async () => {
    for (const command of argv`probe demo simulate diff report scenario`) {
      // Act
      const { code, stdout } = await runCli([command, '--help']);

      // Assess
      expect(code, command).toBe(0);
      expect(stdout, command).toContain(`Usage: bedrock-matrix ${command}`);
    }
  });
});

describe('probe against a running simulator, through the endpoint overrides', () => {
  let sim: TestSimulator;
  let env: NodeJS.ProcessEnv;
  let report: Report;
  let jsonFile: string;
  let jsonOut: string;
  let jsonErr: string;

  beforeAll(async () => {
    sim = await withSimulator('tiny');
    env = simulatorEnv(sim);
    jsonFile = join(dir, 'run.json');
    const run = await runCli(
      argv`probe --region us-east-1 --format json --guardrail-id gr-probe --guardrail-version 1`,
      env,
    );
    expect(run.code).toBe(0);
    jsonOut = run.stdout;
    jsonErr = run.stderr;
    await writeFile(jsonFile, jsonOut);
    report = parseReport(jsonOut, 'stdout');
  });
  afterAll(async () => sim?.close());

  it('prints a schema-1 report marked as simulated, with no AWS credentials configured', () => {
    // Assess
    expect(report.schemaVersion).toBe(1);
    expect(report.source).toBe('simulator');
    expect(report.regions).toEqual(['us-east-1']);
    expect(report.cells.some((c) => c.variant === 'guardrail' && c.status === 'enforced')).toBe(true);
  });

  it('takes the probe Guardrail from the environment when no flag names it', async () => {
    // Act
    const { code, stdout } = await runCli(
      argv`probe --region us-east-1 --format json --models openai.gpt-oss-20b --apis converse`,
      { ...env, BEDROCK_MATRIX_GUARDRAIL_ID: 'gr-probe', BEDROCK_MATRIX_GUARDRAIL_VERSION: '1' },
    );

    // Assess
    expect(code).toBe(0);
    const guardrail = parseReport(stdout, 'stdout').cells.find((c) => c.variant === 'guardrail');
    expect(guardrail?.status).toBe('enforced');
  });

  it('lets the quickstart command probe a real region when asked by name (npm start -- --aws --region R)', async () => {
    // Act: the overrides stand in for AWS here; without them this would call real Bedrock
    const { code, stdout } = await runCli(
      argv`demo --aws --region us-east-1 --format json --apis chat --models openai.*`,
      env,
    );
    const bad = await runCli(argv`demo --aws --region mars-1`);

    // Assess
    expect(code).toBe(0);
    const probed = parseReport(stdout, 'stdout');
    expect(new Set(probed.cells.map((c) => c.api))).toEqual(new Set(['chat']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--region: "mars-1" is not an AWS region name');
  });

  it('filters models and apis', async () => {
    // Act
    const { code, stdout } = await runCli(
      argv`probe --region us-east-1 --format json --models openai.* --apis chat`,
      env,
    );

    // Assess
    expect(code).toBe(0);
    const filtered = parseReport(stdout, 'stdout');
    expect(new Set(filtered.cells.map((c) => c.api))).toEqual(new Set(['chat']));
    expect(filtered.cells.every((c) => c.model.startsWith('openai.'))).toBe(true);
  });

  it('writes Markdown you can paste into a wiki, saying where', async () => {
    // Prepare
    const out = join(dir, 'matrix.md');

    // Act
    const { code, stdout, stderr } = await runCli(
      argv`probe --region us-east-1 --format markdown --out ${out}`,
      env,
    );

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(`wrote markdown report to ${out}`);
    const rows = (await readFile(out, 'utf8')).split('\n').filter((l) => l.startsWith('| '));
    const widths = new Set(rows.slice(0, 8).map((r) => r.split(' | ').length));
    expect(widths.size).toBe(1);
  });

  it('prints a plain table (no colour codes) when stdout is not a terminal', async () => {
    // Act
    const { code, stdout } = await runCli(argv`probe --region us-east-1 --apis chat`, env);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('SIMULATED');
    expect(stdout).not.toContain('\u001b[');
  });

  it('re-renders a saved report in every format', async () => {
    for (const format of ['table', 'markdown', 'html', 'json']) {
      // Act
      const { code, stdout } = await runCli(argv`report --in ${jsonFile} --format ${format}`);

      // Assess
      expect(code, format).toBe(0);
      expect(stdout, format).toContain('openai.gpt-oss-20b');
    }
    expect((await runCli(argv`report --in ${jsonFile} --format html`)).stdout).toMatch(/^<!doctype html>/i);
  });

  it('turns the run into a scenario that replays the same matrix offline', async () => {
    // Prepare
    const scenarioFile = join(dir, 'replay.json');
    const made = await runCli(argv`scenario --from ${jsonFile} --out ${scenarioFile}`);

    // Act
    const replay = await runCli(argv`demo --scenario ${scenarioFile} --format json`);

    // Assess
    expect(made.code).toBe(0);
    expect(replay.code).toBe(0);
    const replayed = parseReport(replay.stdout, 'replay');
    const supported = (r: Report) =>
      r.cells
        .filter((c) => c.variant === 'basic' && c.status === 'supported')
        .map((c) => `${c.model} ${c.endpoint}/${c.api}`)
        .sort();
    expect(supported(replayed)).toEqual(supported(report));
  });

  it('lists what changed between two saved runs', async () => {
    // Prepare: the same surface minus gpt-oss on the runtime's OpenAI-compatible Chat
    const before = join(dir, 'before.json');
    const after = join(dir, 'after.json');
    await writeFile(before, jsonOut);
    const changed: Report = {
      ...report,
      runId: 'later',
      cells: report.cells.map((c) =>
        c.model === 'openai.gpt-oss-20b' &&
        c.endpoint === 'runtime' &&
        c.api === 'chat' &&
        c.variant === 'basic'
          ? { ...c, status: 'unsupported' }
          : c,
      ),
    };
    await writeFile(after, JSON.stringify(changed));

    // Act
    const { code, stdout } = await runCli(argv`diff ${before} ${after}`);
    const json = await runCli(argv`diff ${before} ${after} --format json`);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('openai.gpt-oss-20b');
    expect(stdout).toContain('supported -> unsupported');
    expect((JSON.parse(json.stdout) as { changes: unknown[] }).changes).toHaveLength(1);
  });

  it('never prints a bearer token, signature or credential', () => {
    // Assess
    const everything = jsonOut + jsonErr;
    expect(everything).not.toMatch(/bedrock-api-key-|Signature=|Credential=|X-Amz-Security-Token/);
    expect(everything).not.toContain('local-endpoints-check-signature-shape-only');
  });
});

describe('bedrock-matrix simulate (a real child process)', () => {
  let child: ChildProcess;
  let urls: { runtime: string; mantle: string; control: string };

  beforeAll(async () => {
    // Prepare / Act
    child = spawn(process.execPath, ['bin/bedrock-matrix.mjs', 'simulate', '--scenario', 'tiny'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`simulate exited ${code} before printing its URLs`)));
    });
    urls = JSON.parse(firstLine);
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints one JSON line with the three URLs once they listen', async () => {
    // Assess
    expect(Object.keys(urls).sort()).toEqual(['control', 'mantle', 'runtime']);
    const scenario = await fetch(`${urls.control}/_simulator/scenario`);
    expect(scenario.status).toBe(200);
    expect(((await scenario.json()) as { name: string }).name).toBe('tiny');
    const unauthenticated = await fetch(`${urls.mantle}/v1/models`);
    expect(unauthenticated.status).toBe(401);
  });

  it('exits 0 promptly on SIGTERM', async () => {
    // Act
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');

    // Assess
    expect(await exited).toBe(0);
  });
});
