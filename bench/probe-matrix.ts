/**
 * Benchmark: one full matrix run of today's surface for us-east-1 against the local simulator at
 * each of concurrency 1, 4, 8 and 16, all in one invocation.
 * It prints ratios (speed-up vs concurrency 1, probes per cell, cost per cell) and the Lambda
 * memory and timeout they imply. No AWS account needed; no pass/fail thresholds on real speed.
 * Then the pacing check (issue 23): one more full run at the deployed limits with 1.2 s a call on
 * a simulated clock (pacing-run.ts); it fails when any model had more calls in flight than
 * `perModelConcurrency`, here or at any level, or when the run took more than 1.5x its bound.
 *
 *   npx tsx bench/probe-matrix.ts
 *
 * The simulator runs in this process. The prober (probe-run.ts) is bundled with esbuild the way
 * the stack bundles the Lambda (lib/prober-bundle.ts: ESM, SDKs inside) and every run forks a
 * fresh plain-node process from that bundle: its RSS is the prober's alone, without the simulator
 * or a TypeScript loader, and every level starts as cold as a scheduled Lambda does.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DEFAULT_LIMITS } from '../lambda/engine/matrix-prober';
import { proberEsbuildOptions } from '../lib/prober-bundle';
import { loadScenario } from '../simulator/scenario';
import { startSimulator } from '../simulator/server';
import {
  costUsd,
  estimateWallMs,
  LAMBDA_MB_PER_VCPU,
  lambdaCpuMs,
  PRICE_BOUNDS,
  RUNS_PER_MONTH_HOURLY,
  type RunFigures,
  type RunRequest,
  recommendMemoryMb,
  recommendTimeoutMinutes,
  statusDifferences,
  table,
} from './figures';
import { type PacingFigures, pacingRun } from './pacing-run';

const REGION = 'us-east-1';
const LEVELS = [1, 4, 8, 16] as const;
/** The concurrency the Lambda runs at (DEFAULTS.concurrency); sizing is read at this level. */
const DEPLOYED_CONCURRENCY = DEFAULT_LIMITS.concurrency;
/** Spread of one call's answer time in the simulator: a fast model's tiny answer over a LAN. */
const SIM_LATENCY = { minMs: 40, maxMs: 160 } as const;
const SIM_MEAN_MS = (SIM_LATENCY.minMs + SIM_LATENCY.maxMs) / 2;
/**
 * A 16-token probe to real Bedrock answers in roughly 1 s (small models, warm) to 3 s (frontier
 * models, cross-region profiles, stateful follow-ups). These bound the scaled duration.
 */
const REAL_LATENCY_MS = { fast: 1_000, slow: 3_000 } as const;
/** Per forked run: concurrency 1 takes about 80 s here; past this something hangs. */
const RUN_TIMEOUT_MS = 240_000;
/** The pacing check's answer time per call (issue 23): a real 16-token probe takes 1-3 s. */
const PACING_LATENCY_MS = 1_200;
/** The pacing run must finish within this multiple of max(chain bound, throughput bound). */
const PACING_MAX_RATIO = 1.5;
/** Kept back by the handler from the Lambda timeout to persist, publish and alert (handler.ts). */
const HANDLER_RESERVE_MS = 60_000;

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const usd = (n: number) => `$${n < 0.01 ? n.toFixed(5) : n.toFixed(2)}`;

/** The stack's bundling options (lib/prober-bundle.ts), so the measured process is the deployed one. */
async function bundleProber(dir: string): Promise<string> {
  const outfile = join(dir, 'probe-run.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./probe-run.ts', import.meta.url))],
    outfile,
    ...proberEsbuildOptions(),
    logLevel: 'error',
  });
  return outfile;
}

/** Fork one run and wait for its figures; a child that hangs is killed by its own pid. */
function forkRun(bundle: string, request: RunRequest): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(bundle, [JSON.stringify(request)], {
      // Plain node as the Lambda runs it (no NODE_OPTIONS), without this process's TypeScript loader.
      execArgv: [],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let figures: RunFigures | undefined;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`run "${request.label}" did not finish within ${RUN_TIMEOUT_MS / 1000} s`));
    }, RUN_TIMEOUT_MS);
    child.on('message', (message) => {
      figures = message as RunFigures;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 && figures) resolve(figures);
      else {
        const why = stderr.trim().split('\n').filter(Boolean).at(-1) ?? 'no message';
        reject(new Error(`run "${request.label}" exited ${String(code)}: ${why}`));
      }
    });
  });
}

function printTable(levels: readonly RunFigures[]): void {
  const base = levels[0] as RunFigures;
  const row = (r: RunFigures) => [
    String(r.concurrency),
    fmt(r.wallMs / 1000),
    `${fmt(base.wallMs / r.wallMs)}x`,
    `${fmt((base.wallMs / r.wallMs / r.concurrency) * 100, 0)}%`,
    String(r.probesSent),
    String(r.calls),
    String(r.cells),
    fmt(r.probesSent / r.cells),
    String(r.maxInFlightPerModel),
    r.medianLatencyMs === null ? '-' : fmt(r.medianLatencyMs, 0),
    fmt(r.cpuMs / 1000),
    fmt(r.idleRssMb, 0),
    fmt(r.peakRssMb, 0),
    fmt(r.peakHeapMb, 0),
  ];
  console.log(
    table(
      [
        'concurrency',
        'wall s',
        'speed-up',
        'per slot',
        'probes',
        'calls',
        'cells',
        'probes/cell',
        'max/model',
        'median call ms',
        'CPU s',
        'idle RSS MB',
        'peak RSS MB',
        'peak heap MB',
      ],
      levels.map(row),
    ),
  );
}

/** Every run must reach the same answers, or a faster level may only be failing faster. */
function checkAnswers(runs: readonly Pick<RunFigures, 'label' | 'fingerprint' | 'statuses'>[]): boolean {
  const reference = runs[0] as (typeof runs)[number];
  let same = true;
  for (const r of runs.slice(1)) {
    const diff = statusDifferences(reference.fingerprint, r.fingerprint);
    if (diff.length > 0) {
      same = false;
      const shown = diff
        .slice(0, 5)
        .map((id) => `${id}: ${reference.fingerprint[id]} -> ${r.fingerprint[id]}`);
      console.log(`ANSWERS DIFFER: ${r.label} vs ${reference.label} in ${diff.length} cells`);
      for (const line of shown) console.log(`  ${line}`);
    }
  }
  const counts = Object.entries(reference.statuses)
    .sort(([, a], [, b]) => b - a)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  if (same) console.log(`answers: all ${runs.length} runs agree on every cell (${counts})`);
  return same;
}

function printCost(run: RunFigures): void {
  const tokens = { input: run.inputTokens, output: run.outputTokens };
  const low = costUsd(tokens, PRICE_BOUNDS.low);
  const high = costUsd(tokens, PRICE_BOUNDS.high);
  const perCell = (run.inputTokens + run.outputTokens) / run.cells;
  console.log(
    `tokens per run: ${run.inputTokens} in + ${run.outputTokens} out = ${fmt(perCell, 1)} per cell ` +
      '(the simulator counts ~4 characters per token)',
  );
  console.log(
    `cost per run: ${usd(low)} (Nova Micro prices) to ${usd(high)} (gpt-oss-20b prices); ` +
      `per 1,000 cells ${usd((low / run.cells) * 1000)} to ${usd((high / run.cells) * 1000)}; ` +
      `hourly (${RUNS_PER_MONTH_HOURLY} runs a month) ${usd(low * RUNS_PER_MONTH_HOURLY)} to ` +
      `${usd(high * RUNS_PER_MONTH_HOURLY)} per region per month`,
  );
}

function printSizing(deployed: RunFigures, peakAnyMb: number): void {
  const fast = estimateWallMs(deployed, REAL_LATENCY_MS.fast);
  const slow = estimateWallMs(deployed, REAL_LATENCY_MS.slow);
  const waiting = (deployed.calls * deployed.simLatencyMs) / deployed.concurrency;
  console.log(
    `duration at concurrency ${deployed.concurrency}: ${fmt(deployed.wallMs / 1000, 1)} s measured = ` +
      `${fmt(waiting / 1000, 1)} s of parallel waiting (${deployed.calls} calls x ${SIM_MEAN_MS} ms / ` +
      `${deployed.concurrency}) + ${fmt((deployed.wallMs - waiting) / 1000, 1)} s overhead (catalogs, CPU, ` +
      `pacing, follow-up tail); with real Bedrock's ${REAL_LATENCY_MS.fast / 1000}-${REAL_LATENCY_MS.slow / 1000} s ` +
      `per call in place of ${SIM_MEAN_MS} ms and the same overhead: ~${fmt(fast / 1000, 0)}-${fmt(slow / 1000, 0)} s`,
  );
  const memory = recommendMemoryMb(deployed.peakRssMb);
  const timeout = recommendTimeoutMinutes(slow, HANDLER_RESERVE_MS);
  const vcpu = Math.min(1, memory / LAMBDA_MB_PER_VCPU);
  console.log(
    `CPU: ${fmt(deployed.cpuMs / 1000, 1)} s per run here; at ${memory} MB Lambda allots ${fmt(vcpu)} vCPU ` +
      `(1 vCPU per ${LAMBDA_MB_PER_VCPU} MB), so ~${fmt(lambdaCpuMs(deployed.cpuMs, memory) / 1000, 0)} s of ` +
      `CPU work spread over the ~${fmt(fast / 1000, 0)}-${fmt(slow / 1000, 0)} s run`,
  );
  console.log(
    `recommendation: Lambda memory ${memory} MB (peak RSS ${fmt(deployed.peakRssMb, 0)} MB at concurrency ` +
      `${deployed.concurrency} x 2, in 128 MB steps; ${fmt(peakAnyMb, 0)} MB at most at any level), timeout ` +
      `${timeout} min (slow estimate ${fmt(slow / 1000, 0)} s x 1.5 + ${HANDLER_RESERVE_MS / 1000} s handler reserve)`,
  );
}

/** Prints the pacing run's figures; false when it broke the per-model cap or the bound. */
function checkPacing(p: PacingFigures, levels: readonly RunFigures[]): boolean {
  const cap = DEFAULT_LIMITS.perModelConcurrency;
  const s = (ms: number) => `${fmt(ms / 1000, 1)} s`;
  const ratio = p.durationMs / p.boundMs;
  const worstLevel = Math.max(...levels.map((r) => r.maxInFlightPerModel));
  console.log(
    `pacing at concurrency ${DEFAULT_LIMITS.concurrency}, ${cap} per model, ${PACING_LATENCY_MS / 1000} s a call ` +
      `(simulated clock): ${p.calls} calls on ${p.models} models took ${s(p.durationMs)}; throughput bound ` +
      `${s(p.throughputMs)} (${p.calls} x ${PACING_LATENCY_MS / 1000} s / ${DEFAULT_LIMITS.concurrency}), chain ` +
      `bound ${s(p.chainMs)} (${p.chainModel ?? '-'}); ratio ${fmt(ratio)} (at most ${PACING_MAX_RATIO})`,
  );
  console.log(
    `most calls in flight on one model: ${p.maxPerModel.calls} (${p.maxPerModel.model ?? '-'}) in the pacing run, ` +
      `${worstLevel} at any concurrency level (at most ${cap})`,
  );
  const problems = [
    ...(ratio > PACING_MAX_RATIO ? [`ratio ${fmt(ratio)} > ${PACING_MAX_RATIO}`] : []),
    ...(Math.max(p.maxPerModel.calls, worstLevel) > cap
      ? [`${Math.max(p.maxPerModel.calls, worstLevel)} calls in flight on one model > ${cap}`]
      : []),
  ];
  if (problems.length > 0) console.log(`PACING FAILED: ${problems.join('; ')}`);
  return problems.length === 0;
}

async function main(): Promise<number> {
  const began = performance.now();
  const today = await loadScenario('today');
  const dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-bench-'));
  const sim = await startSimulator({ scenario: { ...today, latency: SIM_LATENCY } });
  // The pacing run's latency is on its simulated clock, so its simulator answers at once.
  const instant = await startSimulator({ scenario: { ...today, latency: undefined } });
  try {
    const bundle = await bundleProber(dir);
    console.log(
      `bedrock-matrix benchmark: scenario "today", ${REGION}, simulated latency ${SIM_LATENCY.minMs}-` +
        `${SIM_LATENCY.maxMs} ms per call, DEFAULT_LIMITS (pacing ${DEFAULT_LIMITS.modelPacingMs} ms per model), ` +
        'each level in a fresh process',
    );

    const levels: RunFigures[] = [];
    for (const concurrency of LEVELS) {
      process.stderr.write(`  running at concurrency ${concurrency}...\n`);
      levels.push(
        await forkRun(bundle, {
          label: `concurrency ${concurrency}`,
          region: REGION,
          concurrency,
          simLatencyMs: SIM_MEAN_MS,
          urls: sim.urls,
        }),
      );
    }

    process.stderr.write(`  pacing run at ${PACING_LATENCY_MS} ms a call on a simulated clock...\n`);
    const pacing = await pacingRun({
      region: REGION,
      latencyMs: PACING_LATENCY_MS,
      limits: DEFAULT_LIMITS,
      urls: instant.urls,
    });

    console.log('');
    printTable(levels);
    console.log('');
    const agree = checkAnswers([...levels, { ...pacing, label: 'pacing run', statuses: {} }]);
    const paced = checkPacing(pacing, levels);
    const deployed = levels.find((r) => r.concurrency === DEPLOYED_CONCURRENCY) as RunFigures;
    printCost(deployed);
    printSizing(deployed, Math.max(...levels.map((r) => r.peakRssMb)));
    console.log(`(benchmark took ${fmt((performance.now() - began) / 1000, 0)} s)`);
    return agree && paced ? 0 : 1;
  } finally {
    await sim.close();
    await instant.close();
    await rm(dir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
