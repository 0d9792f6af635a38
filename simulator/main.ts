/**
 * `bedrock-matrix simulate`: run the local Bedrock until told to stop. Importable (the CLI wires
 * it in); nothing runs at module load.
 */
import { loadRecording, replayHandler } from './replay';
import { DEFAULT_SCENARIO, loadScenario, ScenarioError } from './scenario';
import { type RunningSimulator, startSimulator } from './server';
import type { Scenario } from './types';

export interface SimulateOptions {
  /** Shipped scenario name or a scenario file path. @default DEFAULT_SCENARIO ('today') */
  readonly scenario?: string;
  /** 0 or absent = any free port. @default 0 */
  readonly runtimePort?: number;
  /** @default 0 */
  readonly mantlePort?: number;
  /** @default 0 */
  readonly controlPort?: number;
  /** Serve a `probe --record` directory verbatim instead of a scenario. @default none */
  readonly replay?: string;
}

/** Something that emits SIGINT/SIGTERM: `process` in production, an EventEmitter in tests. */
export interface SignalSource {
  once(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface SimulateIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  /** @default process */
  readonly signals?: SignalSource;
  /** Called once all three hosts listen (tests use it to talk to the running simulator). */
  readonly onReady?: (sim: RunningSimulator) => void;
}

/**
 * Start the simulator, print `{"runtime":URL,"mantle":URL,"control":URL}` on one line, serve until
 * SIGINT/SIGTERM, close and resolve 0. Bad scenario or port → one line on stderr, 2 / 1.
 */
export async function runSimulate(opts: SimulateOptions, io: SimulateIo): Promise<number> {
  const ports = { runtimePort: opts.runtimePort, mantlePort: opts.mantlePort, controlPort: opts.controlPort };
  for (const [name, port] of Object.entries(ports)) {
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
      io.stderr.write(`simulate: ${name} must be an integer 0..65535, got ${String(port)}\n`);
      return 2;
    }
  }
  let scenario: Scenario;
  let handler: Parameters<typeof startSimulator>[0]['handler'];
  try {
    if (opts.replay !== undefined) {
      handler = replayHandler(await loadRecording(opts.replay));
      scenario = REPLAY_SCENARIO;
    } else scenario = await loadScenario(opts.scenario ?? DEFAULT_SCENARIO);
  } catch (err) {
    const message = err instanceof ScenarioError ? err.message : `scenario: ${(err as Error).message}`;
    io.stderr.write(`simulate: ${oneLine(message)}\n`);
    return 2;
  }
  let sim: RunningSimulator;
  try {
    sim = await startSimulator({
      scenario,
      runtimePort: opts.runtimePort ?? 0,
      mantlePort: opts.mantlePort ?? 0,
      controlPort: opts.controlPort ?? 0,
      ...(handler && { handler }),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `port ${portOf(e)} is already in use` : oneLine(e.message);
    io.stderr.write(`simulate: cannot listen: ${why}\n`);
    return 1;
  }

  const signals = io.signals ?? process;
  await new Promise<void>((resolve) => {
    const stop = () => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      resolve();
    };
    signals.once('SIGINT', stop);
    signals.once('SIGTERM', stop);
    io.stdout.write(`${JSON.stringify(sim.urls)}\n`);
    io.onReady?.(sim);
  });
  await sim.close();
  return 0;
}

/** Replay answers from the recording alone: no models, no faults. */
const REPLAY_SCENARIO: Scenario = { name: 'replay', guardrailBehaviour: {}, guardrails: [], models: [] };

function portOf(err: NodeJS.ErrnoException & { port?: number }): string {
  return err.port === undefined ? '(unknown)' : String(err.port);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
