/**
 * One full matrix run in a fresh process, forked by probe-matrix.ts. A fresh process per level is
 * what makes its RSS mean something: the simulator and the other levels' garbage live elsewhere,
 * as they would for a cold Lambda. It loads the Lambda entry module first, so the idle RSS
 * includes every SDK the deployed function loads, then probes exactly as the Lambda does
 * (DEFAULT_LIMITS, the default probe timeout) against the simulator's URLs.
 */
import { controlPlaneClient } from '../lambda/adapters/aws-clients';
import { createProbeClients } from '../lambda/adapters/probes';
import { regionProbing } from '../lambda/adapters/region-probing';
import { DEFAULT_LIMITS } from '../lambda/engine/matrix-prober';
import { runRegion } from '../lambda/engine/run-region';
import { DEFAULTS, ENDPOINT_OVERRIDE_ENV } from '../lambda/shared/names';
import { median, type RunFigures, type RunRequest } from './figures';
import { InFlightRecorder } from './pacing';

/** Dummy credentials: the simulator checks the SigV4 shape only, never the secret. */
const CREDENTIALS = { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'benchmark-secret' };
const MB = 2 ** 20;

function parseRequest(raw: string | undefined): RunRequest {
  if (!raw) throw new Error('probe-run: expected a JSON run request as the first argument');
  const req = JSON.parse(raw) as RunRequest;
  if (!Number.isInteger(req.concurrency) || req.concurrency < 1) {
    throw new Error(`probe-run: concurrency must be a positive integer, got ${String(req.concurrency)}`);
  }
  return req;
}

async function probeOnce(req: RunRequest): Promise<RunFigures> {
  // Side-effect import: the Lambda's whole module graph (DynamoDB, CloudWatch, SNS clients too).
  await import('../lambda/index');
  const idleRss = process.memoryUsage().rss;

  const env = {
    [ENDPOINT_OVERRIDE_ENV.runtime]: req.urls.runtime,
    [ENDPOINT_OVERRIDE_ENV.mantle]: req.urls.mantle,
    [ENDPOINT_OVERRIDE_ENV.control]: req.urls.control,
  };
  const options = { region: req.region, env, credentials: CREDENTIALS };
  const clients = createProbeClients({ ...options, timeoutMs: DEFAULTS.probeTimeoutMs });

  let peakRss = idleRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 10);

  // Counts each model's calls in flight, apart from the prober's own bookkeeping.
  const recorder = new InFlightRecorder();
  const probing = regionProbing(clients, controlPlaneClient(options), { timeoutMs: DEFAULTS.probeTimeoutMs });
  const prober: typeof probing.prober = async (probe, signal) => {
    const call = { model: probe.modelKey, cell: '' };
    recorder.start(call);
    try {
      return await probing.prober(probe, signal);
    } finally {
      recorder.end(call);
    }
  };

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const run = await runRegion(
    {
      region: req.region,
      plan: { guardrail: { id: 'gr-probe', version: '1' } },
      limits: { ...DEFAULT_LIMITS, concurrency: req.concurrency },
      canary: DEFAULTS.canary,
    },
    { ...probing, prober },
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  sample();

  const statuses: Record<string, number> = {};
  const fingerprint: Record<string, string> = {};
  let inputTokens = 0;
  let outputTokens = 0;
  const latencies: number[] = [];
  let followUps = 0;
  for (const c of run.cells) {
    if ((c.variant === 'stateful' || c.variant === 'background') && c.evidence.httpStatus === 200)
      followUps += 1;
    statuses[c.status] = (statuses[c.status] ?? 0) + 1;
    fingerprint[`${c.model}|${c.endpoint}|${c.api}|${c.variant}`] = c.status;
    inputTokens += c.evidence.inputTokens ?? 0;
    outputTokens += c.evidence.outputTokens ?? 0;
    if (c.evidence.latencyMs !== null) latencies.push(c.evidence.latencyMs);
  }
  if (run.guardrailControl) fingerprint['guardrail-control'] = run.guardrailControl.status;
  if (run.problems.length > 0) throw new Error(`probe-run: catalogs failed: ${run.problems.join('; ')}`);

  return {
    label: req.label,
    concurrency: req.concurrency,
    simLatencyMs: req.simLatencyMs,
    wallMs,
    probesSent: run.probesSent,
    calls: run.probesSent + followUps,
    maxInFlightPerModel: recorder.maxPerModel.calls,
    cells: run.cells.length,
    statuses,
    fingerprint,
    inputTokens,
    outputTokens,
    medianLatencyMs: median(latencies),
    cpuMs: (cpu.user + cpu.system) / 1000,
    idleRssMb: idleRss / MB,
    peakRssMb: peakRss / MB,
    peakHeapMb: peakHeap / MB,
  };
}

try {
  const figures = await probeOnce(parseRequest(process.argv[2]));
  if (!process.send) throw new Error('probe-run: run me through probe-matrix.ts (no IPC channel)');
  process.send(figures, () => process.exit(0));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
