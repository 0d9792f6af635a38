/**
 * The pacing run of the benchmark: one full region against the simulator, as the Lambda probes it
 * (runRegion, the real adapters over HTTP, DEFAULT_LIMITS), with every probe call taking
 * `latencyMs` on a simulated clock (virtual-clock.ts). It records how many calls each model had in
 * flight at once and measures the run's simulated duration against its bound (pacing.ts).
 */
import { controlPlaneClient } from '../lambda/adapters/aws-clients';
import { createProbeClients } from '../lambda/adapters/probes';
import { regionProbing } from '../lambda/adapters/region-probing';
import type { ProbeLimits } from '../lambda/engine/matrix-prober';
import type { Prober } from '../lambda/engine/probe-port';
import { runRegion } from '../lambda/engine/run-region';
import { DEFAULTS, ENDPOINT_OVERRIDE_ENV } from '../lambda/shared/names';
import { InFlightRecorder, type PacingBound, pacingBound } from './pacing';
import { VirtualClock } from './virtual-clock';

const CREDENTIALS = { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'benchmark-secret' };

export interface PacingRequest {
  readonly region: string;
  readonly latencyMs: number;
  readonly limits: ProbeLimits;
  readonly urls: { readonly runtime: string; readonly mantle: string; readonly control: string };
}

export interface PacingFigures extends PacingBound {
  /** Simulated time from the run's start to its end (catalogs and other real I/O count as none). */
  readonly durationMs: number;
  readonly calls: number;
  readonly models: number;
  readonly maxPerModel: { readonly calls: number; readonly model: string | null };
  readonly fingerprint: Readonly<Record<string, string>>;
}

export async function pacingRun(req: PacingRequest): Promise<PacingFigures> {
  const clock = new VirtualClock();
  const recorder = new InFlightRecorder();
  const options = {
    region: req.region,
    env: {
      [ENDPOINT_OVERRIDE_ENV.runtime]: req.urls.runtime,
      [ENDPOINT_OVERRIDE_ENV.mantle]: req.urls.mantle,
      [ENDPOINT_OVERRIDE_ENV.control]: req.urls.control,
    },
    credentials: CREDENTIALS,
  };
  const clients = createProbeClients({ ...options, timeoutMs: DEFAULTS.probeTimeoutMs });
  const real = regionProbing(clients, controlPlaneClient(options), { timeoutMs: DEFAULTS.probeTimeoutMs });
  const prober: Prober = async (probe, signal) => {
    const call = {
      model: probe.modelKey,
      cell: [probe.modelKey, probe.endpoint, probe.api, probe.variant].join('|'),
    };
    recorder.start(call);
    try {
      const observation = await clock.io(() => real.prober(probe, signal));
      await clock.sleep(req.latencyMs);
      return observation;
    } finally {
      recorder.end(call);
    }
  };
  const run = await clock.drive(
    runRegion(
      {
        region: req.region,
        plan: { guardrail: { id: 'gr-probe', version: '1' } },
        limits: req.limits,
        canary: DEFAULTS.canary,
      },
      {
        loadCatalogs: () => clock.io(real.loadCatalogs),
        prober,
        applyGuardrail: (guardrail, canary) => clock.io(() => real.applyGuardrail(guardrail, canary)),
        guardrailMessages: (guardrail) => clock.io(() => real.guardrailMessages(guardrail)),
        enforcedGuardrails: () => clock.io(real.enforcedGuardrails),
        now: clock.now,
        sleep: clock.sleep,
      },
    ),
  );
  if (run.problems.length > 0) throw new Error(`pacing run: catalogs failed: ${run.problems.join('; ')}`);
  const fingerprint: Record<string, string> = {};
  for (const c of run.cells) fingerprint[`${c.model}|${c.endpoint}|${c.api}|${c.variant}`] = c.status;
  if (run.guardrailControl) fingerprint['guardrail-control'] = run.guardrailControl.status;
  return {
    durationMs: clock.now(),
    calls: recorder.calls.length,
    models: new Set(recorder.calls.map((c) => c.model)).size,
    maxPerModel: recorder.maxPerModel,
    fingerprint,
    ...pacingBound(recorder.calls, {
      latencyMs: req.latencyMs,
      concurrency: req.limits.concurrency,
      perModel: req.limits.perModelConcurrency,
    }),
  };
}
