/** The CLI's window on the world, injectable so tests run commands in-process. */
import { scrubOutput } from '../lambda/core/scrub';

export interface Stream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Something that emits SIGINT/SIGTERM: `process` in production, an EventEmitter in tests. */
export interface SignalSource {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
}

export interface Io {
  readonly stdout: Stream;
  readonly stderr: Stream;
  readonly env: NodeJS.ProcessEnv;
  /** Stop signals; absent = the command installs no handler. @default none */
  readonly signals?: SignalSource;
  /** Ends the process after a stop signal. @default none (the command just returns) */
  readonly exit?: (code: number) => void;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signals: process,
    exit: (code) => process.exit(code),
  };
}

/**
 * The same streams, every string chunk through the one scrubber: no command can print a secret.
 * A proxy, so a terminal's cursor methods (the progress bar uses them) still reach the stream.
 */
export function scrubbingIo(io: Io): Io {
  const wrap = <S extends Stream>(s: S): S =>
    new Proxy(s, {
      get(target, prop) {
        if (prop === 'write')
          return (chunk: unknown, ...rest: unknown[]) =>
            (target.write as (...a: unknown[]) => unknown)(
              typeof chunk === 'string' ? scrubOutput(chunk) : chunk,
              ...rest,
            );
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
}

/**
 * How wide a table may be where it is written: a terminal's own width, at most
 * MAX_TABLE_WIDTH so the quickstart's table reads in a default terminal; DEFAULT_TABLE_WIDTH for
 * a pipe or a file; no limit with `--wide` (the full view).
 */
export const DEFAULT_TABLE_WIDTH = 100;
export const MAX_TABLE_WIDTH = 120;

export function tableWidth(
  io: Io,
  opts: { readonly out?: string | undefined; readonly wide?: boolean | undefined },
): number | undefined {
  if (opts.wide) return undefined;
  if (!opts.out && io.stdout.isTTY && io.stdout.columns) return Math.min(io.stdout.columns, MAX_TABLE_WIDTH);
  return DEFAULT_TABLE_WIDTH;
}
