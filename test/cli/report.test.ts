import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { Report } from '../../lambda/core/model';
import { renderJson } from '../../lambda/core/render/json';
import { parseReport } from '../../lambda/core/report-file';
import { buildSampleReport, SAMPLE_RUN_ID } from '../support/sample-report';
import { argv, markdownTables, runCli } from './support';

// `report --in run.json` re-renders a saved run: a teammate's JSON becomes a table, a wiki page
// or a self-contained web page without probing again.

let dir: string;
let simulated: string;
let real: string;
const sample: Report = buildSampleReport();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-report-'));
  simulated = join(dir, 'simulated.json');
  real = join(dir, 'real.json');
  await writeFile(simulated, renderJson(sample));
  await writeFile(real, renderJson(buildSampleReport({ source: 'aws' })));
});

describe('report --in FILE', () => {
  it('--format json gives back the same report', async () => {
    // Act
    const { code, stdout } = await runCli(argv`report --in ${simulated} --format json`);

    // Assess
    expect(code).toBe(0);
    expect(parseReport(stdout, 'stdout')).toEqual(parseReport(renderJson(sample), 'sample'));
  });

  it('--format table (the default) shows both regions, plain when piped', async () => {
    // Act
    const { code, stdout } = await runCli(argv`report --in ${simulated}`);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('us-east-1');
    expect(stdout).toContain('us-west-2');
    expect(stdout).toContain(SAMPLE_RUN_ID);
    expect(stdout).not.toContain('\u001b[');
  });

  it('--format markdown gives a section per region and tables of even width', async () => {
    // Act
    const { code, stdout } = await runCli(argv`report --in ${simulated} --format markdown`);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^## us-east-1$/m);
    expect(stdout).toMatch(/^## us-west-2$/m);
    const tables = markdownTables(stdout);
    const [east, west] = tables.filter((rows) => rows[0] === 9);
    expect(east?.length).toBeGreaterThan(40);
    expect(west?.length).toBeGreaterThan(2);
    for (const rows of tables) expect(new Set(rows).size).toBe(1);
  });

  it('--format html --out FILE writes one page and says where', async () => {
    // Prepare
    const out = join(dir, 'report.html');

    // Act
    const { code, stdout, stderr } = await runCli(argv`report --in ${simulated} --format html --out ${out}`);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(`wrote html report to ${out}`);
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('SIMULATED');
    expect(html).not.toMatch(/<(script|img|link)[^>]*\s(src|href)=["']?https?:/i);
  });

  it('warns that simulated results are simulated, and not a real run', async () => {
    // Act
    const [sim, aws] = await Promise.all([
      runCli(argv`report --in ${simulated} --format markdown`),
      runCli(argv`report --in ${real} --format markdown`),
    ]);

    // Assess
    expect(sim.stdout).toContain('SIMULATED RESULTS');
    expect(aws.stdout).not.toContain('SIMULATED');
  });
});

describe('report --in a file that is not a report', () => {
  it.each([
    [
      'a cell with an unknown status',
      () => ({ ...sample, cells: sample.cells.map((c, i) => (i === 3 ? { ...c, status: 'maybe' } : c)) }),
      'cells[3].status',
    ],
    ['another schema version', () => ({ ...sample, schemaVersion: 2 }), 'schemaVersion: expected 1, got 2'],
    [
      'regions that are not a list',
      () => ({ ...sample, regions: 'us-east-1' }),
      'regions: expected an array',
    ],
  ])('%s: exit 2, one line naming the file and the field', async (_what, build, field) => {
    // Prepare
    const file = join(dir, `broken-${field.replace(/\W+/g, '-')}.json`);
    await writeFile(file, JSON.stringify(build()));

    // Act
    const { code, stdout, stderr } = await runCli(argv`report --in ${file}`);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${file}: ${field}`);
  });
});

describe('the table fits where it is printed', () => {
  const widest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));
  /** `report --in` with stdout a terminal of `columns` (or a pipe when undefined). */
  const table = async (columns: number | undefined, extra: readonly string[] = []): Promise<string> => {
    let stdout = '';
    const code = await main(['report', '--in', simulated, '--no-color', ...extra], {
      stdout: {
        write: (s: string) => (stdout += s),
        isTTY: columns !== undefined,
        ...(columns ? { columns } : {}),
      },
      stderr: { write: () => true, isTTY: false },
      env: { PATH: process.env.PATH },
    });
    expect(code).toBe(0);
    return stdout;
  };

  it('a pipe or a file gets 100 columns, an 80-column terminal 80, a wide one at most 120', async () => {
    // Act
    const [piped, narrow, wide] = await Promise.all([table(undefined), table(80), table(250)]);

    // Assess
    expect(widest(piped)).toBeLessThanOrEqual(100);
    expect(widest(narrow)).toBeLessThanOrEqual(80);
    expect(widest(wide)).toBeLessThanOrEqual(120);
    expect(piped).toContain('Compact to fit 100 columns');
  });

  it('--wide draws the full view whatever the width', async () => {
    // Act
    const full = await table(80, ['--wide']);

    // Assess
    expect(widest(full)).toBeGreaterThan(120);
    expect(full).toContain('│ converse │');
    expect(full).not.toContain('Compact to fit');
  });
});
