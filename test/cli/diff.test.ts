import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../lambda/core/model';
import { argv, runCli } from './support';

// `diff old.json new.json` on the two surfaces the project exists for: the May 2026 run the lab
// report was based on, and today's. (Store-backed diff lives in store.test.ts.)

// Enough models to show the headline drift, few enough to keep each demo run to a few seconds.
const MODELS = 'anthropic.claude-sonnet-4-6,openai.gpt-oss-120b';

const isSonnetOnMantle = (c: Change) =>
  c.model === 'anthropic.claude-sonnet-4-6' && c.endpoint === 'mantle' && c.kind === 'model-added';

describe('diff of a May 2026 run and a run of today', () => {
  let may: string;
  let today: string;

  beforeAll(async () => {
    // Prepare: two saved runs, as a user would keep them
    const dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-diff-'));
    may = join(dir, 'may-2026.json');
    today = join(dir, 'today.json');
    const [a, b] = await Promise.all(
      ['may-2026', 'today'].map((scenario) =>
        runCli(argv`demo --scenario ${scenario} --format json --models ${MODELS} --quiet`),
      ),
    );
    expect([a?.code, b?.code]).toEqual([0, 0]);
    await writeFile(may, a?.stdout ?? '');
    await writeFile(today, b?.stdout ?? '');
  });

  it('lists Claude Sonnet 4.6 appearing on mantle and answering Messages there (table)', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(argv`diff ${may} ${today}`);

    // Assess
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toMatch(new RegExp(`^${may} -> ${today}: \\d+ change\\(s\\)$`));
    expect(stdout).toContain('anthropic.claude-sonnet-4-6  model appeared on mantle: absent -> listed');
    expect(stdout).toContain('anthropic.claude-sonnet-4-6  mantle/messages basic: not-found -> supported');
  });

  it('gives the same changes as JSON for scripts, with the count the table states', async () => {
    // Act
    const [table, json] = await Promise.all([
      runCli(argv`diff ${may} ${today}`),
      runCli(argv`diff ${may} ${today} --format json`),
    ]);

    // Assess
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { title: string; changes: Change[] };
    expect(parsed.title).toBe(`${may} -> ${today}`);
    expect(parsed.changes.some(isSonnetOnMantle)).toBe(true);
    expect(parsed.changes).toContainEqual(
      expect.objectContaining({
        model: 'anthropic.claude-sonnet-4-6',
        endpoint: 'mantle',
        api: 'messages',
        variant: 'basic',
        from: 'not-found',
        to: 'supported',
      }),
    );
    expect(table.stdout).toContain(`: ${parsed.changes.length} change(s)`);
  });

  it('gives a Markdown table with one row per change, every row as wide as the header', async () => {
    // Act
    const [md, json] = await Promise.all([
      runCli(argv`diff ${may} ${today} --format markdown`),
      runCli(argv`diff ${may} ${today} --format json`),
    ]);

    // Assess
    expect(md.code).toBe(0);
    const rows = md.stdout.split('\n').filter((l) => l.startsWith('|'));
    const count = (JSON.parse(json.stdout) as { changes: unknown[] }).changes.length;
    expect(rows).toHaveLength(count + 2);
    expect(rows[0]).toBe('| region | model | cell | from | to | when | evidence |');
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length, row).toBe(9);
    expect(md.stdout).toMatch(
      /^\| us-east-1 \| anthropic\.claude-sonnet-4-6 \| model appeared on mantle \|/m,
    );
  });

  it('read backwards, shows the model leaving mantle', async () => {
    // Act
    const { code, stdout } = await runCli(argv`diff ${today} ${may}`);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('anthropic.claude-sonnet-4-6  model disappeared from mantle: listed -> absent');
  });

  it('finds nothing to report between a run and itself', async () => {
    // Act
    const { code, stdout } = await runCli(argv`diff ${today} ${today} --format json`);

    // Assess
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { changes: unknown[] }).changes).toEqual([]);
  });
});

describe('demo --drift (table)', () => {
  let result: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    // Act
    result = await runCli(argv`demo --drift --models ${MODELS} --quiet`);
  });

  it('prints the confirmed changes under the matrix', () => {
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Changes \(\d+\)$/m);
    expect(result.stdout).toContain('anthropic.claude-sonnet-4-6  model appeared on mantle');
    expect(result.stdout).toContain(
      'anthropic.claude-sonnet-4-6  mantle/messages basic: not-found → supported',
    );
  });

  it('shows on stderr the alert the home would publish: subject line and readable body', () => {
    // Assess
    const { stderr } = result;
    expect(stderr).toContain('baseline stored in DynamoDB Local');
    expect(stderr).toMatch(/^Subject: bedrock-matrix: \d+ changes in us-east-1 \((LOW|MEDIUM|HIGH)\)$/m);
    expect(stderr).toContain('model added on mantle: anthropic.claude-sonnet-4-6');
    expect(stderr).toContain('Source: local simulator (not a live AWS run)');
    const subjectCount = Number(/Subject: bedrock-matrix: (\d+) changes/.exec(stderr)?.[1]);
    expect(result.stdout).toContain(`Changes (${subjectCount})`);
  });
});
