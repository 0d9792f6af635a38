import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Io, SignalSource } from '../../cli/io';
import { onStopSignal } from '../../cli/shutdown';

// `kill -INT <cli>` or a supervisor's SIGTERM reaches the CLI alone, not its process group: the
// DynamoDB Local JVM that `demo --drift` started must stop with it, not live on under pid 1.

interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly state: string;
}

async function readProc(pid: number): Promise<Proc | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid ...`; comm may hold spaces and parentheses, so split at the last `)`.
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    return { pid, comm: stat.slice(stat.indexOf('(') + 1, close), state: state ?? '?', ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/** Every descendant of `root` now running (children, their children, ...). */
async function descendants(root: number): Promise<Proc[]> {
  const all = (
    await Promise.all((await readdir('/proc')).filter((n) => /^\d+$/.test(n)).map((n) => readProc(Number(n))))
  ).filter((p): p is Proc => p !== null);
  const found: Proc[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** Dead = gone, or a zombie nobody will run again. */
async function isDead(pid: number): Promise<boolean> {
  const p = await readProc(pid);
  return p === null || p.state === 'Z' || p.state === 'X';
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let home: string;
const started: ChildProcess[] = [];
const jvms: number[] = [];
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bedrock-matrix-home-'));
});
afterEach(async () => {
  // Whatever the outcome, this test must not leave a JVM or a CLI behind on a shared machine.
  for (const pid of jvms.splice(0)) if (!(await isDead(pid))) process.kill(pid, 'SIGKILL');
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function startDrift(): { child: ChildProcess; stderr: () => string; closed: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['bin/bedrock-matrix.mjs', 'demo', '--drift', '--quiet', '--format', 'json'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH, HOME: home },
    },
  );
  started.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const closed = once(child, 'close').then(([code]) => code as number | null);
  return { child, stderr: () => stderr, closed };
}

describe('demo --drift under a stop signal sent to the CLI process only', () => {
  it.each([
    ['SIGINT', 130, 'while probing the baseline'],
    ['SIGTERM', 143, 'while DynamoDB Local is still starting'],
  ] as const)(
    '%s exits %i and stops the DynamoDB Local JVM (%s)',
    async (signal, exitCode, when) => {
      // Prepare: a real CLI process, and the JVM it spawned
      const { child, stderr, closed } = startDrift();
      const pid = child.pid as number;
      const jvm = await waitFor(
        'the DynamoDB Local JVM',
        async () => (await descendants(pid)).find((p) => p.comm === 'java'),
        120_000,
      );
      jvms.push(jvm.pid);
      if (when === 'while probing the baseline')
        await waitFor(
          'the demo to start probing',
          async () => (stderr().includes('not real AWS') ? true : undefined),
          120_000,
        );

      // Act
      process.kill(pid, signal);
      const code = await closed;

      // Assess
      expect(code, stderr()).toBe(exitCode);
      expect(stderr()).toContain(`${signal}: stopping the local services this command started`);
      await waitFor('the JVM to be gone', async () => ((await isDead(jvm.pid)) ? true : undefined), 30_000);
    },
    // Bounds on waiting for events, never on speed: a busy machine makes this slower, not red.
    300_000,
  );
});

describe('onStopSignal', () => {
  const fakeIo = () => {
    const signals = new EventEmitter();
    const exits: number[] = [];
    let stderr = '';
    const io: Io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      env: {},
      signals: signals as unknown as SignalSource,
      exit: (code) => exits.push(code),
    };
    return { io, signals, exits, stderr: () => stderr };
  };

  it('runs the cleanup once, then exits 128 + the signal number', async () => {
    // Prepare
    const { io, signals, exits, stderr } = fakeIo();
    let cleanups = 0;
    onStopSignal(io, async () => {
      cleanups += 1;
    });

    // Act
    signals.emit('SIGTERM');
    await new Promise((r) => setTimeout(r, 20));

    // Assess
    expect(cleanups).toBe(1);
    expect(exits).toEqual([143]);
    expect(stderr()).toContain('SIGTERM: stopping the local services');
  });

  it('exits at once on a second signal, and after the grace time if the cleanup hangs', async () => {
    // Prepare
    const first = fakeIo();
    const second = fakeIo();
    const hang = () => new Promise<void>(() => {});
    onStopSignal(first.io, hang, 60_000);
    onStopSignal(second.io, hang, 50);

    // Act
    first.signals.emit('SIGINT');
    first.signals.emit('SIGINT');
    second.signals.emit('SIGINT');
    await new Promise((r) => setTimeout(r, 150));

    // Assess
    expect(first.exits).toEqual([130]);
    expect(second.exits).toEqual([130]);
  });

  it('leaves the signals alone once released', () => {
    // Prepare
    const { io, signals, exits } = fakeIo();
    const release = onStopSignal(io, async () => {});

    // Act
    release();

    // Assess
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
    expect(exits).toEqual([]);
  });
});
