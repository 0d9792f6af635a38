/**
 * Run the real prober (catalogs, planner, SDK probes, classifier) for one region against a
 * running simulator. Shared by the engine's run-region tests and by the simulator tests that show
 * what the prober makes of a drifted or faulty world.
 */
import { controlPlaneClient } from '../../lambda/adapters/aws-clients';
import { createProbeClients } from '../../lambda/adapters/probes';
import { regionProbing } from '../../lambda/adapters/region-probing';
import { DEFAULT_LIMITS } from '../../lambda/engine/matrix-prober';
import { type RegionRun, runRegion } from '../../lambda/engine/run-region';
import { SIM_BACKGROUND_POLL_MS, SIM_CREDENTIALS, simulatorEnv } from './simulator';

export const SIM_CANARY = 'BMX-CANARY-7F3A9C';

export interface SimRunTarget {
  readonly region: string;
  readonly urls: { readonly runtime: string; readonly mantle: string; readonly control: string };
}

/** One region run against `sim`, fast retries, no pacing, `timeoutMs` per call, probing with `guardrailId`. */
export async function probeSimulator(
  sim: SimRunTarget,
  timeoutMs = 2_000,
  guardrailId = 'gr-probe',
): Promise<RegionRun> {
  const options = { region: sim.region, env: simulatorEnv(sim), credentials: SIM_CREDENTIALS };
  const clients = createProbeClients({ ...options, timeoutMs });
  return runRegion(
    {
      region: sim.region,
      plan: { guardrail: { id: guardrailId, version: '1' } },
      // The simulator has no slow start: mantle's first calls get the same short timeout.
      limits: {
        ...DEFAULT_LIMITS,
        backoffBaseMs: 10,
        backoffMaxMs: 40,
        modelPacingMs: 0,
        mantleFirstCallTimeoutMs: timeoutMs,
      },
      canary: SIM_CANARY,
    },
    regionProbing(clients, controlPlaneClient(options), {
      timeoutMs,
      backgroundPollMs: SIM_BACKGROUND_POLL_MS,
    }),
  );
}

/** A cell's coordinates and the fields a user reads first, for whole-run comparisons. */
export function cellDigest(run: Pick<RegionRun, 'cells'>): string[] {
  return run.cells
    .map(
      (c) =>
        `${c.model} ${c.endpoint}/${c.api}/${c.variant} ${c.status} route=${c.evidence.route} id=${c.evidence.modelId} http=${c.evidence.httpStatus}`,
    )
    .sort();
}
