/**
 * One run in one region: discover -> plan -> probe -> classify -> confirm -> persist.
 * Shared by the Lambda handler and the CLI, so a laptop run and the scheduled run mean the same.
 */

import type { ClassifyContext } from '../core/classify';
import { classify } from '../core/classify';
import {
  type CellResult,
  type Change,
  emptyEvidence,
  type GuardrailControl,
  type ModelEntry,
  type Observation,
} from '../core/model';
import { type PlanConfig, planBasic } from '../core/plan';
import { type CatalogResult, resolveModels } from '../core/resolve';
import { trimMessage } from '../core/scrub';
import { GUARDRAIL_MESSAGES } from '../shared/names';
import { MatrixProber, type ProbeLimits } from './matrix-prober';
import type { ProbeGuardrail, Prober } from './probe-port';

export interface RegionRunOptions {
  readonly region: string;
  readonly plan: PlanConfig;
  readonly limits: ProbeLimits;
  readonly canary: string;
  /** @default the probe Guardrail's blocked messages (GUARDRAIL_MESSAGES) */
  readonly classifyContext?: ClassifyContext;
}

/** A blocked message in an answer means the probe Guardrail stopped the request. */
const PROBE_GUARDRAIL_CONTEXT: ClassifyContext = {
  blockedMessages: [GUARDRAIL_MESSAGES.input, GUARDRAIL_MESSAGES.output],
};

export interface RegionRunDeps {
  readonly loadCatalogs: () => Promise<CatalogResult>;
  readonly prober: Prober;
  /** ApplyGuardrail control: proves the probe Guardrail itself blocks the canary. */
  readonly applyGuardrail?: (guardrail: ProbeGuardrail, canary: string) => Promise<Observation>;
  readonly now?: () => number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RegionRun {
  readonly region: string;
  readonly models: readonly ModelEntry[];
  readonly cells: readonly CellResult[];
  readonly changes: readonly Change[];
  readonly guardrailControl: GuardrailControl | null;
  /** Probe calls so far, re-probes included (it grows while drift confirmation re-probes). */
  readonly probesSent: number;
  readonly partial: boolean;
  /** Catalogs that failed to answer, one line each. */
  readonly problems: readonly string[];
  /** Re-probe one cell of this run (drift confirmation). */
  readonly reprobe: MatrixProber['reprobe'];
}

export async function runRegion(options: RegionRunOptions, deps: RegionRunDeps): Promise<RegionRun> {
  const { catalogs, problems } = await deps.loadCatalogs();
  const resolved = resolveModels(options.region, catalogs);
  const prober = new MatrixProber(
    {
      prober: deps.prober,
      classifyContext: options.classifyContext ?? PROBE_GUARDRAIL_CONTEXT,
      canary: options.canary,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    },
    options.limits,
    options.plan,
  );
  const [matrix, guardrailControl] = await Promise.all([
    prober.run(planBasic(options.region, resolved, options.plan)),
    runGuardrailControl(options, deps),
  ]);
  return {
    region: options.region,
    // The report carries the public model shape only; resolution internals stay in the engine.
    models: resolved.map(({ key, provider, ids, sources }) => ({ key, provider, ids, sources })),
    cells: matrix.cells,
    changes: [],
    guardrailControl,
    get probesSent() {
      return prober.probesSent + (guardrailControl ? 1 : 0);
    },
    partial: matrix.partial,
    problems,
    reprobe: (key) => prober.reprobe(key),
  };
}

async function runGuardrailControl(
  options: RegionRunOptions,
  deps: RegionRunDeps,
): Promise<GuardrailControl | null> {
  const guardrail = options.plan.guardrail;
  if (!guardrail || !deps.applyGuardrail) return null;
  const base = { region: options.region, guardrailId: guardrail.id, guardrailVersion: guardrail.version };
  try {
    const obs = await deps.applyGuardrail(guardrail, options.canary);
    const { status, evidence } = classify(obs, options.classifyContext ?? PROBE_GUARDRAIL_CONTEXT);
    return { ...base, status, evidence };
  } catch (err) {
    const reason = trimMessage(`ApplyGuardrail failed: ${err instanceof Error ? err.message : String(err)}`);
    return { ...base, status: 'error', evidence: emptyEvidence({ reason }) };
  }
}
