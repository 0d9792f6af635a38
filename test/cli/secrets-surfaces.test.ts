import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/core/model';
import { renderJson } from '../../lambda/core/render/json';
import { parseReport } from '../../lambda/core/report-file';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { type DynamoDbLocal, sharedDynamoDbLocal } from '../support/dynamodb-local';
import { listenOnLoopback } from '../support/loopback';
import { ECHOED_SHAPES, PLANTED_ENV, plantedSecretIn } from '../support/planted-secrets';
import { buildSampleReport } from '../support/sample-report';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';
import { runCliProcess } from './support';

// Every secret shape, planted where the tool reads text (the simulator's error bodies, report
// files), must come out of no surface: stdout, stderr, report files of every format, the items
// in DynamoDB, the "run failed" line. Alerts and log lines: secrets.test.ts beside the adapters.

let dir: string;
let home: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-secrets-'));
  // An empty home: no ~/.aws of this machine takes part, only the planted environment.
  home = await mkdtemp(join(tmpdir(), 'bedrock-matrix-home-'));
});

/** The CLI as a child process: credentials come from its environment, as for a user. */
const runChild = (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  credentials: NodeJS.ProcessEnv = PLANTED_ENV,
) => runCliProcess(args, { HOME: home, ...credentials, ...env });

function expectClean(surface: string, text: string): void {
  expect(plantedSecretIn(text), `a planted secret in ${surface}`).toBeNull();
}

/** Marks which echoed shape a message carried, so a test can prove it reached the surface. */
const marker = (i: number): string => `echo#${i}:`;

async function close(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}

/**
 * In front of the simulator's mantle host: every error answer gets an echoed shape at the start
 * of its message, as an endpoint that quotes what it was sent. Each (model, path) keeps the
 * shape it got first, so whichever attempt a cell keeps as evidence, the shapes go round the
 * cells in turn and every one reaches the report. Success passes as it is.
 */
function echoingProxy(target: string): { server: Server; echoed: () => number } {
  const shapeOf = new Map<string, number>();
  let echoed = 0;
  const rewrite = (upstreamText: string, model: string, key: string): string => {
    // No cell keeps these as evidence: a stored response read back has no model, and a wrong
    // route is tried again on the other prefix.
    const kept = model !== '' && !upstreamText.includes("isn't supported on this route");
    if (kept && !shapeOf.has(key)) shapeOf.set(key, shapeOf.size % ECHOED_SHAPES.length);
    const i = shapeOf.get(key) ?? 0;
    echoed += 1;
    const echo = `${marker(i)} ${ECHOED_SHAPES[i]} |`;
    const answer = JSON.parse(upstreamText) as { error?: { message?: string } | string };
    if (typeof answer.error === 'object' && answer.error)
      answer.error.message = `${echo} ${answer.error.message}`;
    else answer.error = `${echo} ${String(answer.error)}`;
    return JSON.stringify(answer);
  };
  const server = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const sent = Buffer.concat(body);
      const model = /"model"\s*:\s*"([^"]+)"/.exec(sent.toString('utf8'))?.[1] ?? '';
      const api = /chat\/completions|responses|messages/.exec(req.url ?? '')?.[0] ?? req.url;
      const key = `${model}|${api}`;
      const upstream = request(
        `${target}${req.url ?? ''}`,
        { method: req.method, headers: req.headers },
        (up) => {
          const status = up.statusCode ?? 502;
          if (status < 400) {
            res.writeHead(status, up.headers);
            up.pipe(res);
            return;
          }
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            const text = rewrite(Buffer.concat(chunks).toString('utf8'), model, key);
            // The body is rewritten whole: its old length and chunking no longer apply.
            const { 'content-length': _length, 'transfer-encoding': _chunked, ...headers } = up.headers;
            res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
            res.end(text);
          });
        },
      );
      upstream.end(sent);
    });
  });
  return { server, echoed: () => echoed };
}

describe('probe --store dynamodb against endpoints that echo secrets in their errors', () => {
  let sim: TestSimulator;
  let proxy: ReturnType<typeof echoingProxy>;
  let dynamo: DynamoDbLocal;
  let env: NodeJS.ProcessEnv;
  const outputs: Record<string, string> = {};
  let report: Report;

  beforeAll(async () => {
    // Prepare
    [sim, dynamo] = await Promise.all([withSimulator('tiny'), sharedDynamoDbLocal()]);
    proxy = echoingProxy(sim.urls.mantle);
    env = simulatorEnv(sim, {
      [ENDPOINT_OVERRIDE_ENV.mantle]: await listenOnLoopback(proxy.server),
      [ENDPOINT_OVERRIDE_ENV.dynamodb]: dynamo.endpoint,
    });
    const common = ['probe', '--region', 'us-east-1', '--confirm', '0', '--quiet'];

    // Act: one stored run to stdout (JSON), then a file of every format
    const stored = await runChild(
      [...common, '--store', 'dynamodb', '--table', 'secrets', '--format', 'json'],
      env,
    );
    expect(stored.code, stored.stderr).toBe(0);
    outputs['stdout (json)'] = stored.stdout;
    outputs['stderr (json run)'] = stored.stderr;
    for (const format of ['table', 'markdown', 'html']) {
      const file = join(dir, `probe.${format}`);
      const run = await runChild([...common, '--format', format, '--out', file], env);
      expect(run.code, run.stderr).toBe(0);
      outputs[`stdout (${format} run)`] = run.stdout;
      outputs[`stderr (${format} run)`] = run.stderr;
      outputs[`--out file (${format})`] = await readFile(file, 'utf8');
    }
    report = parseReport(stored.stdout, 'stdout');
  }, 240_000);
  afterAll(async () => {
    await Promise.all([sim?.close(), close(proxy?.server), dynamo?.stop()]);
  });

  it('really sent every shape back in error bodies, and kept those messages as evidence', () => {
    // Assess: otherwise the greps below would prove nothing
    expect(proxy.echoed()).toBeGreaterThan(ECHOED_SHAPES.length * 4);
    const messages = report.cells.map((c) => c.evidence.message ?? '').join('\n');
    ECHOED_SHAPES.forEach((_shape, i) => {
      expect(messages, `shape ${i} reached the report`).toContain(`${marker(i)} `);
    });
    expect(messages).toContain('[redacted]');
  });

  it.each([
    'stdout (json)',
    'stderr (json run)',
    ...['table', 'markdown', 'html'].flatMap((f) => [
      `stdout (${f} run)`,
      `stderr (${f} run)`,
      `--out file (${f})`,
    ]),
  ])('%s carries no planted secret', (surface) => {
    // Assess
    expect(outputs[surface], surface).toBeDefined();
    expectClean(surface, outputs[surface] as string);
  });

  it('stores no planted secret in any DynamoDB item', async () => {
    // Prepare: DynamoDB Local keeps one database per access key, so read with the CLI's keys
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: PLANTED_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: PLANTED_ENV.AWS_SECRET_ACCESS_KEY,
        sessionToken: PLANTED_ENV.AWS_SESSION_TOKEN,
      },
    });

    // Act
    const items: unknown[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: 'secrets', ...(start ? { ExclusiveStartKey: start as never } : {}) }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    client.destroy();
    const text = JSON.stringify(items);

    // Assess: the echoed messages were stored (scrubbed), and no secret with them
    expect(items.length).toBeGreaterThan(report.cells.length);
    expect(text).toContain(marker(0));
    expectClean('DynamoDB items', text);
  });
});

describe('report files carrying secrets, rendered again', () => {
  let planted: string;
  let old: string;

  beforeAll(async () => {
    // Prepare: a report whose free text and ids carry every shape (a hand-edited or foreign file)
    const sample = buildSampleReport();
    const shapes = ECHOED_SHAPES.join(' | ');
    const dirty: Report = {
      ...sample,
      cells: sample.cells.map((c, i) => ({
        ...c,
        evidence: {
          ...c.evidence,
          message: `${ECHOED_SHAPES[i % ECHOED_SHAPES.length]} then ${shapes}`,
          reason: shapes,
          errorType: ECHOED_SHAPES[(i + 1) % ECHOED_SHAPES.length] ?? null,
          requestId: ECHOED_SHAPES[(i + 2) % ECHOED_SHAPES.length] ?? null,
          route: ECHOED_SHAPES[(i + 3) % ECHOED_SHAPES.length] ?? null,
          modelId: ECHOED_SHAPES[(i + 4) % ECHOED_SHAPES.length] ?? null,
        },
      })),
      changes: sample.changes.map((ch) => ({
        ...ch,
        evidence: { ...(ch.evidence ?? sample.cells[0]!.evidence), message: shapes },
      })),
    };
    planted = join(dir, 'planted.json');
    old = join(dir, 'old.json');
    await writeFile(planted, JSON.stringify(dirty, null, 2));
    await writeFile(old, renderJson({ ...sample, cells: sample.cells.slice(0, 5) }));
    expect(plantedSecretIn(await readFile(planted, 'utf8'))).not.toBeNull();
  });

  it('report --in --format json to stdout carries none, and stays a valid report', async () => {
    // Act
    const result = await runChild(['report', '--in', planted, '--format', 'json'], {});

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('[redacted]');
    expectClean('stdout', result.stdout + result.stderr);
    expect(parseReport(result.stdout, 'stdout').cells).toHaveLength(buildSampleReport().cells.length);
  });

  it.each(['json', 'table', 'markdown', 'html'])(
    'report --in --format %s --out FILE carries none',
    async (format) => {
      // Prepare
      const file = join(dir, `rerendered.${format}`);

      // Act
      const result = await runChild(['report', '--in', planted, '--format', format, '--out', file], {});

      // Assess
      expect(result.code, result.stderr).toBe(0);
      expectClean(`${format} stdout and stderr`, result.stdout + result.stderr);
      expectClean(`${format} --out file`, await readFile(file, 'utf8'));
    },
  );

  it.each(['table', 'json'])('diff --format %s of a planted report carries none', async (format) => {
    // Act
    const result = await runChild(['diff', old, planted, '--format', format], {});

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expectClean(`diff ${format}`, result.stdout + result.stderr);
  });
});

describe('an error line that quotes a dependency', () => {
  let store: Server;
  let url: string;

  beforeAll(async () => {
    // Prepare: a "DynamoDB" that refuses every call quoting secrets in its error message
    store = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ValidationException',
          message: ECHOED_SHAPES.join(' | '),
        }),
      );
    });
    url = await listenOnLoopback(store);
  });
  afterAll(async () => close(store));

  it('run failed: ... names the failure without the secrets', async () => {
    // Act
    const result = await runChild(['probe', '--region', 'us-east-1', '--store', 'dynamodb', '--quiet'], {
      [ENDPOINT_OVERRIDE_ENV.runtime]: 'http://127.0.0.1:9',
      [ENDPOINT_OVERRIDE_ENV.mantle]: 'http://127.0.0.1:9',
      [ENDPOINT_OVERRIDE_ENV.control]: 'http://127.0.0.1:9',
      [ENDPOINT_OVERRIDE_ENV.dynamodb]: url,
    });

    // Assess: the error reached the user, redacted
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[redacted]');
    expectClean('the run-failed line', result.stdout + result.stderr);
  });

  it('also redacts the raw secrets of credentials resolved from a profile, not the environment', async () => {
    // Prepare: the planted keys in a profile of a fresh home; DynamoDB echoes them raw
    const profileHome = await mkdtemp(join(tmpdir(), 'bedrock-matrix-profile-'));
    await mkdir(join(profileHome, '.aws'));
    await writeFile(
      join(profileHome, '.aws', 'credentials'),
      `[planted]\naws_access_key_id = ${PLANTED_ENV.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${PLANTED_ENV.AWS_SECRET_ACCESS_KEY}\naws_session_token = ${PLANTED_ENV.AWS_SESSION_TOKEN}\n`,
    );
    const echo = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ValidationException',
          message: `bad token ${PLANTED_ENV.AWS_SESSION_TOKEN} for key ${PLANTED_ENV.AWS_SECRET_ACCESS_KEY}`,
        }),
      );
    });
    const echoUrl = await listenOnLoopback(echo);

    // Act
    const result = await runChild(
      ['probe', '--region', 'us-east-1', '--store', 'dynamodb', '--quiet'],
      {
        HOME: profileHome,
        AWS_PROFILE: 'planted',
        [ENDPOINT_OVERRIDE_ENV.runtime]: 'http://127.0.0.1:9',
        [ENDPOINT_OVERRIDE_ENV.mantle]: 'http://127.0.0.1:9',
        [ENDPOINT_OVERRIDE_ENV.control]: 'http://127.0.0.1:9',
        [ENDPOINT_OVERRIDE_ENV.dynamodb]: echoUrl,
      },
      {},
    );
    await close(echo);

    // Assess: the echoed error reached the user, without either value
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad token [redacted] for key [redacted]');
    expectClean('the run-failed line', result.stdout + result.stderr);
  });
});
