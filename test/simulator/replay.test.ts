import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../lambda/core/classify';
import type { Report } from '../../lambda/core/model';
import { runSimulate } from '../../simulator/main';
import type { SimulatorUrls } from '../../simulator/server';
import { runCli } from '../cli/support';
import { GOLDEN_CONTEXT, goldenCases } from '../support/golden';
import { BEARER_PREFIX } from '../support/planted-secrets';
import { type TestSimulator, withSimulator } from '../support/simulator';

// Record a probe run against the simulator, replay the recording with `simulate --replay`, and
// probe the replay: the report must not change, and the recording must hold no credential.

interface Served {
  readonly urls: SimulatorUrls;
  stop(): Promise<number>;
}

async function serveReplay(dir: string): Promise<Served> {
  const signals = new EventEmitter();
  let stderr = '';
  let ready: (urls: SimulatorUrls) => void = () => {};
  const started = new Promise<SimulatorUrls>((resolve) => {
    ready = resolve;
  });
  const done = runSimulate(
    { replay: dir },
    {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      signals,
      onReady: (sim) => ready(sim.urls),
    },
  );
  const urls = await Promise.race([
    started,
    done.then((code) => Promise.reject(new Error(`replay exited ${code}: ${stderr}`))),
  ]);
  return {
    urls,
    stop: () => {
      signals.emit('SIGTERM');
      return done;
    },
  };
}

const envFor = (urls: SimulatorUrls) => ({
  BEDROCK_MATRIX_RUNTIME_URL: urls.runtime,
  BEDROCK_MATRIX_MANTLE_URL: urls.mantle,
  BEDROCK_MATRIX_CONTROL_URL: urls.control,
});

const PROBE = [
  'probe',
  '--region',
  'us-east-1',
  '--format',
  'json',
  '--guardrail-id',
  'gr-probe',
  '--guardrail-version',
  '1',
  '--quiet',
];

/** What a user compares: each cell's status and its decisive evidence. */
function cellsOf(report: Report): string[] {
  return report.cells
    .map(
      (c) =>
        `${c.region} ${c.model} ${c.endpoint}/${c.api}/${c.variant}: ${c.status} route=${c.evidence.route} id=${c.evidence.modelId} http=${c.evidence.httpStatus}`,
    )
    .sort();
}

/** POST over HTTP/1.1 and return the raw answer bytes. */
function rawPost(url: string, body: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Exchange {
  host: string;
  path: string;
  request: { headers: Record<string, string>; body: { text?: string } | null };
  response: { status: number; body: { text?: string; base64?: string } };
}

describe('probe --record, then simulate --replay', () => {
  let sim: TestSimulator;
  let root: string;
  let recDir: string;
  let original: Report;
  let replayed: Report;
  let replay: Served;
  let recordCode: number;
  let replayCode: number;
  let files: { name: string; text: string }[];

  beforeAll(async () => {
    // Prepare
    [sim, root] = await Promise.all([withSimulator('tiny'), mkdtemp(join(tmpdir(), 'bedrock-matrix-rec-'))]);
    recDir = join(root, 'rec');

    // Act
    const recorded = await runCli(
      [...PROBE, '--record', recDir, '--out', join(root, 'original.json')],
      envFor(sim.urls),
    );
    recordCode = recorded.code;
    replay = await serveReplay(recDir);
    const again = await runCli([...PROBE, '--out', join(root, 'replayed.json')], envFor(replay.urls));
    replayCode = again.code;
    original = JSON.parse(await readFile(join(root, 'original.json'), 'utf8'));
    replayed = JSON.parse(await readFile(join(root, 'replayed.json'), 'utf8'));
    const names = (await readdir(recDir, { recursive: true })).filter((n) => /\.(json|jsonl)$/.test(n));
    files = await Promise.all(
      names.map(async (name) => ({ name, text: await readFile(join(recDir, name), 'utf8') })),
    );
  }, 120_000);
  afterAll(async () => {
    await replay?.stop();
    await sim?.close();
  });

  it('replays a run whose report equals the original, cell by cell', () => {
    // Assess
    expect([recordCode, replayCode]).toEqual([0, 0]);
    const statuses = new Set(original.cells.map((c) => c.status));
    expect(original.cells.length).toBeGreaterThan(30);
    expect(statuses).toContain('supported');
    expect(statuses).toContain('unsupported');
    expect(statuses).toContain('enforced');
    expect(cellsOf(replayed)).toEqual(cellsOf(original));
    expect(replayed.models.map((m) => m.key).sort()).toEqual(original.models.map((m) => m.key).sort());
  });

  it('wrote every exchange of all three hosts, the observations and the report', () => {
    // Assess
    const exchanges = files.filter((f) => f.name.startsWith('exchanges'));
    const hosts = new Set(exchanges.map((f) => (JSON.parse(f.text) as Exchange).host));
    expect([...hosts].sort()).toEqual(['control', 'mantle', 'runtime']);
    expect(exchanges.length).toBe(sim.world.calls.length);
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['observations.jsonl', 'report.json']));
  });

  it('turns the recording into classifier golden cases that hold: Observation in, status out', async () => {
    // Act
    const cases = await goldenCases(recDir);
    const wrong = cases.filter((c) => classify(c.observation, GOLDEN_CONTEXT).status !== c.expected);

    // Assess
    // Cells a catalog decided (absent model) were never probed: they have no Observation.
    const probed = original.cells.filter((c) => c.status !== 'skipped' && c.evidence.modelId !== null);
    expect(probed.length).toBeGreaterThan(50);
    expect(cases).toHaveLength(probed.length);
    expect(new Set(cases.map((c) => c.final))).toEqual(new Set(probed.map((c) => c.status)));
    // The ambiguous runtime 404s: classify leaves them open, the run decided them.
    expect(cases.filter((c) => c.expected !== c.final).every((c) => c.expected === 'error')).toBe(true);
    expect(wrong.map((c) => c.name)).toEqual([]);
  });

  it('leaves no credential in any recorded file', () => {
    // Assess
    for (const { name, text } of files) {
      expect(text, name).not.toContain(BEARER_PREFIX);
      // The placeholder access key id the CLI signs with locally, and its secret.
      expect(text, name).not.toContain('AKIDLOCALBEDROCKMATRIX');
      expect(text, name).not.toContain('local-endpoints-check-signature-shape-only');
      expect(text, name).not.toMatch(/Signature=[0-9a-f]{16}/);
      expect(text, name).not.toMatch(/"authorization"|"x-api-key"|"x-amz-security-token"/i);
      // The check README "Help make the matrix true" tells a user to run before sharing (base64
      // event streams left out: random bytes spell AKIA now and then).
      expect(text.replace(/"base64": "[^"]*"/g, ''), name).not.toMatch(
        /bedrock-api-key-|ABSK|AKIA|ASIA|Signature=|(?<![0-9A-Za-z])(?!0{12})[0-9]{12}(?![0-9A-Za-z])/,
      );
    }
  });

  it('serves a ConverseStream event stream and an SSE stream byte for byte as recorded', async () => {
    // Prepare
    const exchanges = files
      .filter((f) => f.name.startsWith('exchanges'))
      .map((f) => JSON.parse(f.text) as Exchange);
    const stream = exchanges.find((e) => e.path.endsWith('/converse-stream') && e.response.status === 200);
    const sse = exchanges.find(
      (e) => e.host === 'mantle' && e.response.status === 200 && e.response.body.text?.startsWith('data: '),
    );
    if (!stream?.response.body.base64 || !sse?.request.body?.text) throw new Error('no streams recorded');

    // A fresh replay: the probed one has already served these answers.
    const fresh = await serveReplay(recDir);

    // Act
    const streamBytes = await rawPost(`${fresh.urls.runtime}${stream.path}`, stream.request.body?.text ?? '');
    const sseBytes = await rawPost(`${fresh.urls.mantle}${sse.path}`, sse.request.body.text);
    await fresh.stop();

    // Assess
    const recorded = Buffer.from(stream.response.body.base64, 'base64');
    expect(streamBytes.equals(recorded)).toBe(true);
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    expect(() => codec.decode(recorded.subarray(0, recorded.readUInt32BE(0)))).not.toThrow();
    expect(sseBytes.toString('utf8')).toBe(sse.response.body.text);
  });
});

describe('bad recording input', () => {
  it('simulate --replay on a directory with no recording: exit 2, one line', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-norec-'));

    // Act
    const result = await runCli(['simulate', '--replay', dir]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^simulate: --replay .*: no recording there \(ENOENT on exchanges\/\)\n$/);
  });

  it('simulate --replay on a malformed exchange names the file', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-badrec-'));
    await mkdir(join(dir, 'exchanges'));
    await writeFile(join(dir, 'exchanges', '000001-mantle-GET.json'), '{"version": 9}');

    // Act
    const result = await runCli(['simulate', '--replay', dir]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'simulate: --replay exchanges/000001-mantle-GET.json: unknown recording version 9 (expected 1)\n',
    );
  });

  it('probe --record into a non-empty directory: exit 2 before any probe', async () => {
    // Prepare
    const sim = await withSimulator('tiny');
    const dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-full-'));
    await writeFile(join(dir, 'keep.txt'), 'mine');

    // Act
    const result = await runCli([...PROBE, '--record', dir], envFor(sim.urls));
    const calls = sim.world.calls.length;
    await sim.close();

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`bedrock-matrix: --record ${dir}: the directory is not empty\n`);
    expect(calls).toBe(0);
    expect(await readdir(dir)).toEqual(['keep.txt']);
  });
});
