/**
 * The arithmetic of the benchmark: pure functions from measured runs to the figures it prints
 * (ratios, token cost, Lambda sizing). Kept apart from the I/O so each rule is stated once.
 */

/** What probe-matrix.ts asks of one probe child (argv[2], as JSON). */
export interface RunRequest {
  readonly label: string;
  readonly region: string;
  readonly concurrency: number;
  /** Mean simulated latency per call behind `urls`, in ms. */
  readonly simLatencyMs: number;
  readonly urls: { readonly runtime: string; readonly mantle: string; readonly control: string };
}

/** What one probe child measured for one full run of the matrix. */
export interface RunFigures {
  readonly label: string;
  readonly concurrency: number;
  /** Mean simulated latency per call, in ms (0 = no injected latency). */
  readonly simLatencyMs: number;
  /** runRegion wall time: catalogs, probes, guardrail control. */
  readonly wallMs: number;
  readonly probesSent: number;
  /**
   * HTTP calls to the model hosts: probes plus the follow-up call of each stateful probe and at
   * least one retrieve of each background probe (they count as one probe each).
   */
  readonly calls: number;
  readonly cells: number;
  /** The largest number of probe calls one model key had in flight at once. */
  readonly maxInFlightPerModel: number;
  /** Cells per status, e.g. `{ supported: 400, ... }`. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Cell id -> status, to check that every level reached the same answers. */
  readonly fingerprint: Readonly<Record<string, string>>;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Median client-side latency of the cells that carry one, in ms. */
  readonly medianLatencyMs: number | null;
  /** CPU time (user + system) this process spent on the run. */
  readonly cpuMs: number;
  /** RSS after the Lambda's modules loaded, before the run. */
  readonly idleRssMb: number;
  /** Highest RSS sampled during the run. */
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

/** Per-1M-token prices in USD. */
export interface TokenPrice {
  readonly input: number;
  readonly output: number;
}

/** docs/bedrock-wire.md (prices): Nova Micro is the cheapest probe model, gpt-oss-20b a cheap open one. */
export const PRICE_BOUNDS: { readonly low: TokenPrice; readonly high: TokenPrice } = {
  low: { input: 0.035, output: 0.14 },
  high: { input: 0.075, output: 0.3 },
};

/** AWS prices a month as 730 hours; an hourly schedule runs that many times. */
export const RUNS_PER_MONTH_HOURLY = 730;

export const costUsd = (tokens: { input: number; output: number }, price: TokenPrice): number =>
  (tokens.input * price.input + tokens.output * price.output) / 1e6;

/** Lambda memory is set in 1 MB steps, but a 128 MB step keeps the figure readable. */
export function recommendMemoryMb(peakRssMb: number, factor = 2, stepMb = 128): number {
  if (!(peakRssMb > 0)) throw new Error(`peak RSS must be a positive number of MB, got ${peakRssMb}`);
  return Math.max(stepMb, Math.ceil((peakRssMb * factor) / stepMb) * stepMb);
}

/**
 * Wall time of a run at another per-call latency. Perfectly parallel waiting would take
 * calls x latency / concurrency; whatever the measured run took beyond that (catalogs, CPU,
 * per-model pacing, the tail of follow-up variants) is kept as a fixed overhead. With real
 * latencies the waiting dominates and the overhead shrinks relative to it, so this leans high.
 */
export function estimateWallMs(
  measured: {
    readonly wallMs: number;
    readonly simLatencyMs: number;
    readonly calls: number;
    readonly concurrency: number;
  },
  realLatencyMs: number,
): number {
  if (!(measured.simLatencyMs > 0)) {
    throw new Error(`the run to scale needs injected latency, got ${measured.simLatencyMs} ms`);
  }
  const waiting = (calls: number, latency: number) => (calls * latency) / measured.concurrency;
  const overhead = Math.max(0, measured.wallMs - waiting(measured.calls, measured.simLatencyMs));
  return waiting(measured.calls, realLatencyMs) + overhead;
}

/**
 * A Lambda timeout that covers the slow estimate with headroom, plus the handler's reserve for
 * persisting, metrics and alerts, in whole minutes and within Lambda's 15-minute ceiling.
 */
export function recommendTimeoutMinutes(
  estimatedProbeMs: number,
  reserveMs = 60_000,
  headroom = 1.5,
): number {
  return Math.min(15, Math.max(1, Math.ceil((estimatedProbeMs * headroom + reserveMs) / 60_000)));
}

/** Lambda allots CPU in proportion to memory: one full vCPU at 1,769 MB. */
export const LAMBDA_MB_PER_VCPU = 1769;

/** Wall time the run's CPU work alone needs on the vCPU share that `memoryMb` buys. */
export const lambdaCpuMs = (cpuMs: number, memoryMb: number): number =>
  cpuMs / Math.min(1, memoryMb / LAMBDA_MB_PER_VCPU);

/** Cell ids whose status differs between two runs (missing cells count as different). */
export function statusDifferences(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): string[] {
  const ids = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...ids].filter((id) => a[id] !== b[id]).sort();
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Right-aligned columns under a header, separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cols: readonly string[]) => cols.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
