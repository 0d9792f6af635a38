import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_CREDENTIALS, SIM_REGION, withSimulator } from '../support/simulator';

// `bedrock-matrix simulate` as a user starts it from a shell, as a real child process: the one
// JSON line others parse, the three hosts answering, fixed ports, and a clean stop on a signal.

interface Urls {
  readonly runtime: string;
  readonly mantle: string;
  readonly control: string;
}

interface Simulate {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  readonly out: () => { stdout: string; stderr: string };
  /** The first stdout line, or a rejection when the process exits first. */
  readonly firstLine: Promise<string>;
  readonly exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

function simulate(args: readonly string[]): Simulate {
  const child = spawn(process.execPath, ['bin/bedrock-matrix.mjs', 'simulate', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    const check = () => {
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve(stdout.slice(0, nl));
    };
    child.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`simulate exited ${code}: ${stderr.trim()}`)));
  });
  // A run that is expected to fail never reads its first line; that must not be an unhandled error.
  firstLine.catch(() => {});
  return { child, out: () => ({ stdout, stderr }), firstLine, exited };
}

/** Ports the OS just handed out and took back: free for the next listener, in practice. */
async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  for (let i = 0; i < n; i++) {
    const s = createServer();
    s.listen(0, '127.0.0.1');
    await once(s, 'listening');
    servers.push(s);
  }
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const withinMs = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms)),
  ]);

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('simulate --scenario tiny on fixed ports', () => {
  let run: Simulate;
  let urls: Urls;
  let ports: number[];
  let bearerToken: string;

  beforeAll(async () => {
    // Prepare
    ports = await freePorts(3);
    const [runtimePort, mantlePort, controlPort] = ports.map(String) as [string, string, string];
    // A throwaway in-process simulator only mints the bearer token the way tests elsewhere do.
    const tokenSource = await withSimulator('tiny');
    bearerToken = tokenSource.bearerToken;
    await tokenSource.close();

    // Act
    run = simulate([
      '--scenario',
      'tiny',
      '--runtime-port',
      runtimePort,
      '--mantle-port',
      mantlePort,
      '--control-port',
      controlPort,
    ]);
    urls = JSON.parse(await withinMs(run.firstLine, 20_000)) as Urls;
  });

  it('prints one JSON line with the three URLs, on the ports asked for', () => {
    // Assess
    expect(urls).toEqual({
      runtime: `http://127.0.0.1:${ports[0]}`,
      mantle: `http://127.0.0.1:${ports[1]}`,
      control: `http://127.0.0.1:${ports[2]}`,
    });
  });

  it('serves mantle /v1/models to a bearer token and refuses a request without one', async () => {
    // Act
    const authorized = await fetch(`${urls.mantle}/v1/models`, {
      headers: { authorization: `Bearer ${bearerToken}` },
    });
    const anonymous = await fetch(`${urls.mantle}/v1/models`);

    // Assess
    expect(authorized.status).toBe(200);
    const { data } = (await authorized.json()) as { data: { id: string }[] };
    expect(data.map((m) => m.id)).toContain('openai.gpt-oss-20b');
    expect(anonymous.status).toBe(401);
  });

  it('answers Converse on the runtime URL through the real SDK (HTTP/2)', async () => {
    // Prepare
    const client = new BedrockRuntimeClient({
      region: SIM_REGION,
      endpoint: urls.runtime,
      credentials: SIM_CREDENTIALS,
      maxAttempts: 1,
    });

    // Act
    const answer = await client.send(
      new ConverseCommand({
        modelId: 'openai.gpt-oss-20b-1:0',
        messages: [{ role: 'user', content: [{ text: 'Say OK.' }] }],
        inferenceConfig: { maxTokens: 16 },
      }),
    );
    client.destroy();

    // Assess
    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(answer.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('serves the scenario it was started with on the control plane', async () => {
    // Act
    const res = await fetch(`${urls.control}/_simulator/scenario`);

    // Assess
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }).name).toBe('tiny');
  });

  it('exits 0 promptly on SIGTERM, having printed nothing but the one line', async () => {
    // Act
    run.child.kill('SIGTERM');
    const code = await withinMs(run.exited, 5_000);

    // Assess
    expect(code).toBe(0);
    const { stdout } = run.out();
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    await expect(fetch(`${urls.control}/_simulator/scenario`)).rejects.toThrow();
  });
});

describe('simulate on any free port', () => {
  it('picks free ports when none are given and stops on SIGINT (Ctrl-C)', async () => {
    // Prepare
    const run = simulate(['--scenario', 'tiny']);
    const urls = JSON.parse(await withinMs(run.firstLine, 20_000)) as Urls;

    // Act
    run.child.kill('SIGINT');
    const code = await withinMs(run.exited, 5_000);

    // Assess
    expect(code).toBe(0);
    const portsUsed = Object.values(urls).map((u) => Number(new URL(u).port));
    expect(new Set(portsUsed).size).toBe(3);
    expect(portsUsed.every((p) => p > 0)).toBe(true);
  });

  it('prints the export lines on stderr, keeping stdout one JSON line', async () => {
    // Prepare
    const run = simulate(['--scenario', 'tiny']);
    const urls = JSON.parse(await withinMs(run.firstLine, 20_000)) as Urls;

    // Act: the export lines follow the JSON line at once
    await withinMs(
      new Promise<void>((resolve) => {
        const check = () => (run.out().stderr.includes('BEDROCK_MATRIX_CONTROL_URL') ? resolve() : undefined);
        run.child.stderr?.on('data', check);
        check();
      }),
      5_000,
    );
    run.child.kill('SIGINT');
    await withinMs(run.exited, 5_000);

    // Assess
    const { stdout, stderr } = run.out();
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`export BEDROCK_MATRIX_RUNTIME_URL=${urls.runtime}\n`);
    expect(stderr).toContain(`export BEDROCK_MATRIX_MANTLE_URL=${urls.mantle}\n`);
    expect(stderr).toContain(`export BEDROCK_MATRIX_CONTROL_URL=${urls.control}\n`);
  });

  it('exits 1 with one line naming the port when a port is taken, printing no URLs', async () => {
    // Prepare
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const taken = (blocker.address() as { port: number }).port;

    // Act
    const run = simulate(['--scenario', 'tiny', '--mantle-port', String(taken)]);
    const code = await withinMs(run.exited, 20_000);
    await new Promise((r) => blocker.close(r));

    // Assess
    expect(code).toBe(1);
    const { stdout, stderr } = run.out();
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`port ${taken} is already in use`);
  });
});
