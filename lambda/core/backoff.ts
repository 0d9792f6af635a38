/**
 * The one retry delay: exponential with "equal jitter" (half the ceiling fixed, half random), so
 * retries still back off under load yet never march in step. See
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export interface Backoff {
  /** Delay ceiling of the first retry; doubles per retry. */
  readonly baseMs: number;
  /** The ceiling never grows past this. */
  readonly maxMs: number;
}

/** Delay before retry number `retry` (0 = the first retry), in whole milliseconds. */
export function jitteredBackoff(retry: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** retry);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
