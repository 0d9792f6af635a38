/**
 * Stop signals while a command owns child processes (DynamoDB Local's JVM, the simulator): a
 * SIGINT or SIGTERM sent to the CLI alone (`kill -INT`, a supervisor, an IDE's stop button) must
 * not leave them running with parent pid 1. The cleanup runs, then the CLI exits 128 + signal.
 */
import type { Io, StopSignal } from './io';

export const SIGNAL_EXIT_CODE: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * @param graceMs how long the cleanup may take before the CLI exits anyway. @default 10000
 * @returns a function that removes the handlers (call it once the children are stopped).
 */
export function onStopSignal(io: Io, cleanup: () => Promise<void>, graceMs = 10_000): () => void {
  const { signals, exit } = io;
  if (!signals || !exit) return () => {};
  let stopping = false;
  const handle = (signal: StopSignal) => () => {
    const exitCode = SIGNAL_EXIT_CODE[signal];
    // A second signal while stopping: the user means now; the children already got theirs.
    if (stopping) return exit(exitCode);
    stopping = true;
    io.stderr.write(`bedrock-matrix: ${signal}: stopping the local services this command started\n`);
    const grace = new Promise<void>((r) => setTimeout(r, graceMs).unref());
    void Promise.race([cleanup().catch(() => {}), grace]).finally(() => exit(exitCode));
  };
  const onInt = handle('SIGINT');
  const onTerm = handle('SIGTERM');
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  return () => {
    signals.off('SIGINT', onInt);
    signals.off('SIGTERM', onTerm);
  };
}
