import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { Report } from '../../lambda/core/model';
import { parseReport } from '../../lambda/core/report-file';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { listenOnLoopback } from '../support/loopback';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';
import { argv, markdownTables, runCli } from './support';

// `probe` pointed at a running simulator through the endpoint overrides, with no AWS credentials in
// the environment: the files it writes, the regions it covers, and what it says when a host is down.

const ESC = '\u001b[';

/** A loopback port nothing listens on: connections are refused at once. */
async function closedPortUrl(): Promise<string> {
  const s = createServer();
  const url = await listenOnLoopback(s);
  await new Promise((r) => s.close(r));
  return url;
}

describe('probe through the endpoint overrides', () => {
  let sim: TestSimulator;
  let env: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    [sim, dir] = await Promise.all([withSimulator('tiny'), mkdtemp(join(tmpdir(), 'bedrock-matrix-probe-'))]);
    env = simulatorEnv(sim);
  });
  afterAll(async () => sim?.close());

  describe('--format markdown --out FILE', () => {
    let result: { code: number; stdout: string; stderr: string };
    let markdown: string;
    let out: string;

    beforeAll(async () => {
      out = join(dir, 'matrix.md');
      result = await runCli(['probe', '--region', 'us-east-1', '--format', 'markdown', '--out', out], env);
      markdown = await readFile(out, 'utf8');
    });

    it('writes the file, not stdout, and says where on stderr', () => {
      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`bedrock-matrix: wrote markdown report to ${out}`);
    });

    it('writes tables whose every row has as many cells as the header (pasteable)', () => {
      // Act
      const tables = markdownTables(markdown);

      // Assess: the matrix (1 model column + 8 endpoint/api columns) and the totals table at least
      expect(tables.length).toBeGreaterThanOrEqual(2);
      expect(tables[0]?.[0]).toBe(9);
      for (const rows of tables) {
        expect(rows.length).toBeGreaterThanOrEqual(3);
        expect(new Set(rows).size).toBe(1);
      }
    });

    it('marks the results as simulated and lists every model probed', () => {
      // Assess
      expect(markdown).toContain('SIMULATED RESULTS');
      for (const key of ['openai.gpt-oss-20b', 'anthropic.claude-sonnet-4-6', 'xai.grok-4.3']) {
        expect(markdown).toContain(`| ${key}`);
      }
    });
  });

  describe('--format html --out FILE', () => {
    let html: string;
    let stderr: string;
    let out: string;

    beforeAll(async () => {
      out = join(dir, 'matrix.html');
      const result = await runCli(
        ['probe', '--region', 'us-east-1', '--format', 'html', '--out', out, '--apis', 'chat,responses'],
        env,
      );
      expect(result.code).toBe(0);
      stderr = result.stderr;
      html = await readFile(out, 'utf8');
    });

    it('writes a complete page and says where', () => {
      // Assess
      expect(stderr).toContain(`wrote html report to ${out}`);
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toMatch(/<\/html>\s*$/i);
      expect(html).toContain('openai.gpt-oss-20b');
    });

    it('is self-contained: its styles are inline and nothing is fetched from elsewhere', () => {
      // Assess
      expect(html).toContain('<style');
      expect(html).not.toMatch(/<(script|img|iframe)[^>]*\ssrc=/i);
      expect(html).not.toMatch(/<link[^>]*rel=["']?stylesheet/i);
      expect(html).not.toMatch(/url\(\s*["']?https?:/i);
      expect(html).not.toMatch(/@import/i);
    });
  });

  it('probes every region given, as a comma list or repeated', async () => {
    // Act
    const { code, stdout } = await runCli(
      argv`probe --region us-east-1,us-west-2 --region us-east-1 --format json --models openai.gpt-oss-20b --apis chat`,
      env,
    );

    // Assess
    expect(code).toBe(0);
    const report = parseReport(stdout, 'stdout');
    expect(report.regions).toEqual(['us-east-1', 'us-west-2']);
    for (const region of report.regions) {
      expect(report.cells.filter((c) => c.region === region && c.variant === 'basic')).toHaveLength(2);
    }
  });

  it('filters by --exclude-models as well as --models', async () => {
    // Act
    const { code, stdout } = await runCli(
      argv`probe --region us-east-1 --format json --models openai.*,xai.* --exclude-models openai.gpt-5* --apis responses`,
      env,
    );

    // Assess
    expect(code).toBe(0);
    const report = parseReport(stdout, 'stdout');
    expect(new Set(report.cells.map((c) => c.model))).toEqual(
      new Set(['openai.gpt-oss-20b', 'xai.grok-4.3']),
    );
  });

  it('prints --format capabilities straight from a probe: the measured square, supported', async () => {
    // Act
    const { code, stdout } = await runCli(
      ['probe', '--region', 'us-east-1', '--format', 'capabilities', '--models', 'openai.gpt-oss-20b'],
      env,
    );

    // Assess
    expect(code).toBe(0);
    const map = JSON.parse(stdout);
    expect(map.kind).toBe('bedrock-matrix/capabilities');
    expect(map.source).toBe('simulator');
    const chat = map.regions['us-east-1'].models['openai.gpt-oss-20b'].endpoints.mantle.apis.chat;
    expect(chat).toMatchObject({ status: 'supported', supported: true, modelId: 'openai.gpt-oss-20b' });
  });

  it('prints --format litellm straight from a probe: a model_list routing to a measured path', async () => {
    // Act
    const { code, stdout } = await runCli(
      ['probe', '--region', 'us-east-1', '--format', 'litellm', '--models', 'openai.gpt-oss-20b'],
      env,
    );

    // Assess
    expect(code).toBe(0);
    const { model_list } = JSON.parse(stdout) as { model_list: { model_name: string }[] };
    expect(model_list.map((d) => d.model_name)).toContain('openai.gpt-oss-20b');
  });

  it('colours the table only for a terminal, and not with --no-color', async () => {
    // Prepare
    const run = async (tty: boolean, extra: string[] = []) => {
      let stdout = '';
      const code = await main(['probe', '--region', 'us-east-1', '--apis', 'chat', '--quiet', ...extra], {
        stdout: { write: (s: string) => (stdout += s), isTTY: tty, columns: 200 },
        stderr: { write: () => true, isTTY: false },
        env: { PATH: process.env.PATH, ...env },
      });
      return { code, stdout };
    };

    // Act
    const [piped, terminal, plain] = await Promise.all([run(false), run(true), run(true, ['--no-color'])]);

    // Assess
    expect([piped.code, terminal.code, plain.code]).toEqual([0, 0, 0]);
    expect(piped.stdout).not.toContain(ESC);
    expect(terminal.stdout).toContain(ESC);
    expect(plain.stdout).not.toContain(ESC);
    expect(piped.stdout).toContain('openai.gpt-oss-20b');
  });

  it('completes (exit 0) when one catalog is down, probing what the others list and saying which failed', async () => {
    // Prepare
    const mantleDown = { ...env, [ENDPOINT_OVERRIDE_ENV.mantle]: await closedPortUrl() };

    // Act
    const { code, stdout, stderr } = await runCli(
      ['probe', '--region', 'us-east-1', '--format', 'json', '--apis', 'converse'],
      mantleDown,
    );

    // Assess
    expect(code).toBe(0);
    const report: Report = parseReport(stdout, 'stdout');
    expect(report.cells.some((c) => c.endpoint === 'runtime' && c.status === 'supported')).toBe(true);
    expect(stderr).toContain('bedrock-matrix: us-east-1 mantle: catalog unavailable: mantle /v1/models');
  });

  it('fails (exit 1) when no catalog answers, instead of passing off an empty matrix', async () => {
    // Prepare
    const down = await closedPortUrl();
    const allDown = {
      [ENDPOINT_OVERRIDE_ENV.runtime]: down,
      [ENDPOINT_OVERRIDE_ENV.mantle]: down,
      [ENDPOINT_OVERRIDE_ENV.control]: down,
    };

    // Act
    const { code, stderr } = await runCli(['probe', '--region', 'us-east-1', '--format', 'json'], allDown);

    // Assess
    expect(code).toBe(1);
    expect(stderr.trim().split('\n').at(-1)).toBe(
      'bedrock-matrix: run failed: no catalog answered in us-east-1, nothing was probed',
    );
  });

  it('names an --out path it cannot write (exit 2)', async () => {
    // Prepare
    const out = join(dir, 'no-such-dir', 'matrix.md');

    // Act
    const { code, stdout, stderr } = await runCli(
      argv`probe --region us-east-1 --format markdown --out ${out} --models xai.* --apis chat`,
      env,
    );

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`--out: cannot write "${out}": ENOENT`);
  });
});
