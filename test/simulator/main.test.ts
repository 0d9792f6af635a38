import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runSimulate } from '../../simulator/main';
import type { RunningSimulator } from '../../simulator/server';

function sink() {
  const chunks: string[] = [];
  return {
    write: (chunk: string) => void chunks.push(chunk),
    get text() {
      return chunks.join('');
    },
  };
}

describe('runSimulate', () => {
  it('prints one JSON line with three URLs, serves, and closes cleanly with 0 on SIGTERM', async () => {
    // Prepare
    const stdout = sink();
    const stderr = sink();
    const signals = new EventEmitter();
    let ready: RunningSimulator | undefined;
    let exit: Promise<number> = Promise.resolve(-1);
    const readyOnce = new Promise<void>((resolve) => {
      const run = runSimulate(
        { scenario: 'tiny' },
        {
          stdout,
          stderr,
          signals,
          onReady: (sim) => {
            ready = sim;
            resolve();
          },
        },
      );
      exit = run;
    });

    // Act
    await readyOnce;
    const urls = JSON.parse(stdout.text) as Record<string, string>;
    const served = await fetch(`${urls.control}/_simulator/scenario`);
    signals.emit('SIGTERM');
    const code = await exit;
    const afterClose = await fetch(`${urls.control}/_simulator/scenario`).catch((e: unknown) => e);

    // Assess
    expect(stdout.text.split('\n')).toHaveLength(2);
    expect(Object.keys(urls)).toEqual(['runtime', 'mantle', 'control']);
    expect(urls.runtime).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(urls).toEqual(ready?.urls);
    expect(served.status).toBe(200);
    expect(((await served.json()) as { name: string }).name).toBe('tiny');
    expect(code).toBe(0);
    expect(afterClose).toBeInstanceOf(Error);
    expect(stderr.text).toBe('');
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('stops on SIGINT too', async () => {
    // Prepare
    const signals = new EventEmitter();
    let exit: Promise<number> = Promise.resolve(-1);
    await new Promise<void>((resolve) => {
      exit = runSimulate(
        { scenario: 'tiny' },
        { stdout: sink(), stderr: sink(), signals, onReady: () => resolve() },
      );
    });

    // Act
    signals.emit('SIGINT');
    const code = await exit;

    // Assess
    expect(code).toBe(0);
  });

  it('exits 2 with one line on stderr for an unknown scenario', async () => {
    // Prepare
    const stdout = sink();
    const stderr = sink();

    // Act
    const code = await runSimulate({ scenario: 'nope' }, { stdout, stderr, signals: new EventEmitter() });

    // Assess
    expect(code).toBe(2);
    expect(stderr.text).toBe(
      'simulate: nope.json: no such scenario "nope" (known: may-2026, org, tiny, today)\n',
    );
    expect(stdout.text).toBe('');
  });

  it('exits 2 for a port outside 0..65535', async () => {
    // Prepare
    const stderr = sink();

    // Act
    const code = await runSimulate(
      { mantlePort: 70000 },
      { stdout: sink(), stderr, signals: new EventEmitter() },
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr.text).toBe('simulate: mantlePort must be an integer 0..65535, got 70000\n');
  });

  it('exits 1 with one line naming the port when it is already in use', async () => {
    // Prepare
    const blocker: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    const stderr = sink();

    // Act
    const code = await runSimulate(
      { scenario: 'tiny', controlPort: port },
      { stdout: sink(), stderr, signals: new EventEmitter() },
    );
    await new Promise((resolve) => blocker.close(resolve));

    // Assess
    expect(code).toBe(1);
    expect(stderr.text).toBe(`simulate: cannot listen: port ${port} is already in use\n`);
  });
});
