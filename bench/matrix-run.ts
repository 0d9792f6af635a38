/**
 * Benchmark: one full matrix run of today's surface against the local simulator, at several
 * concurrency levels, in one process. Prints ratios (speed-up vs concurrency 1, calls per cell,
 * cost per cell), never absolute pass/fail thresholds. No AWS account needed.
 *
 *   npm run bench
 */
import { controlPlaneClient } from '../lambda/adapters/aws-clients';
import { loadCatalogs } from '../lambda/adapters/catalog';
import { applyGuardrail, createProbeClients, createProber } from '../lambda/adapters/sdk';
import { DEFAULT_LIMITS } from '../lambda/engine/matrix-prober';
import { type RegionRun, runRegion } from '../lambda/engine/run-region';
import { ENDPOINT_OVERRIDE_ENV, GUARDRAIL_MESSAGES } from '../lambda/shared/names';
import { loadScenario } from '../simulator/scenario';
import { startSimulator } from '../simulator/server';

const LEVELS = [1, 4, 8, 16] as const;
/** Simulated per-call latency: spread like a fast model's first bytes. */
const LATENCY = { minMs: 40, maxMs: 160 } as const;
/** Per-1M-token prices (BEDROCK-FACTS §7.3): Nova Micro as the low bound, gpt-oss-20b as the high. */
const PRICES = { low: { in: 0.035, out: 0.14 }, high: { in: 0.075, out: 0.3 } } as const;
/** Real Bedrock answers a tiny probe in roughly 0.5-3 s; the simulator's mean is 0.1 s. */
const REAL_LATENCY_FACTOR = 15;
const CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

interface Measurement {
  readonly concurrency: number;
  readonly ms: number;
  readonly run: RegionRun;
  readonly peakRssMb: number;
}

async function measure(
  concurrency: number,
  urls: { runtime: string; mantle: string; control: string },
): Promise<Measurement> {
  const env = {
    [ENDPOINT_OVERRIDE_ENV.runtime]: urls.runtime,
    [ENDPOINT_OVERRIDE_ENV.mantle]: urls.mantle,
    [ENDPOINT_OVERRIDE_ENV.control]: urls.control,
  };
  const options = { region: 'us-east-1', env, credentials: CREDENTIALS };
  const clients = createProbeClients({ ...options, timeoutMs: 10_000 });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const run = await runRegion(
    {
      region: 'us-east-1',
      plan: { guardrail: { id: 'gr-probe', version: '1' } },
      limits: { ...DEFAULT_LIMITS, concurrency },
      canary: 'BMX-CANARY-7F3A9C',
      classifyContext: { blockedMessages: [GUARDRAIL_MESSAGES.input, GUARDRAIL_MESSAGES.output] },
    },
    {
      loadCatalogs: () =>
        loadCatalogs({ bedrock: controlPlaneClient(options), mantle: clients.openai('mantle', '/v1') }),
      prober: createProber(clients, { timeoutMs: 10_000 }),
      applyGuardrail: (g, canary) => applyGuardrail(clients, { ...g, canary }),
    },
  );
  const ms = performance.now() - started;
  clearInterval(sampler);
  return { concurrency, ms, run, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
}

function tokens(run: RegionRun): { input: number; output: number } {
  let input = 0;
  let output = 0;
  for (const c of run.cells) {
    input += c.evidence.inputTokens ?? 0;
    output += c.evidence.outputTokens ?? 0;
  }
  return { input, output };
}

const usd = (t: { input: number; output: number }, p: { in: number; out: number }) =>
  (t.input * p.in + t.output * p.out) / 1e6;
const fmt = (n: number, digits = 2) => n.toFixed(digits);

async function main(): Promise<void> {
  const today = await loadScenario('today');
  const sim = await startSimulator({ scenario: { ...today, latency: LATENCY } });
  try {
    const results: Measurement[] = [];
    for (const level of LEVELS) results.push(await measure(level, sim.urls));
    const base = results[0] as Measurement;

    console.log(
      `bedrock-matrix benchmark: scenario "today", simulated latency ${LATENCY.minMs}-${LATENCY.maxMs} ms per call`,
    );
    console.log('concurrency | wall s | speed-up vs 1 | probes | cells | probes/cell | peak RSS MB');
    for (const m of results) {
      const cells = m.run.cells.length;
      console.log(
        [
          String(m.concurrency).padStart(11),
          fmt(m.ms / 1000).padStart(6),
          `${fmt(base.ms / m.ms)}x`.padStart(13),
          String(m.run.probesSent).padStart(6),
          String(cells).padStart(5),
          fmt(m.run.probesSent / cells).padStart(11),
          fmt(m.peakRssMb, 0).padStart(11),
        ].join(' | '),
      );
    }

    const at8 = results.find((m) => m.concurrency === 8) as Measurement;
    const t = tokens(at8.run);
    const cells = at8.run.cells.length;
    const low = usd(t, PRICES.low);
    const high = usd(t, PRICES.high);
    console.log('');
    console.log(
      `tokens per run: ${t.input} in / ${t.output} out (${fmt((t.input + t.output) / cells, 1)} per cell)`,
    );
    console.log(
      `cost per run: $${fmt(low, 4)} - $${fmt(high, 4)}; per 1,000 cells: $${fmt((low / cells) * 1000, 5)}-${fmt((high / cells) * 1000, 5)}; hourly for 30 days: $${fmt(low * 720)} - $${fmt(high * 720)}`,
    );
    console.log(
      '  (simulator token counts are ~chars/4 of tiny prompts; frontier models cost more per token: treat as the floor)',
    );

    const memory = Math.ceil((at8.peakRssMb * 2) / 128) * 128;
    const realSeconds = (at8.ms / 1000) * REAL_LATENCY_FACTOR;
    console.log('');
    console.log(
      `Lambda sizing: peak RSS ${fmt(at8.peakRssMb, 0)} MB x 2 -> ${memory} MB; duration at concurrency 8 scaled x${REAL_LATENCY_FACTOR} to real Bedrock latency -> ~${fmt(realSeconds, 0)} s of a ${600} s timeout`,
    );
  } finally {
    await sim.close();
  }
}

await main();
