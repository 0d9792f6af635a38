/**
 * One run in one region: discover -> plan -> probe -> classify -> confirm -> persist.
 * Shared by the Lambda handler and the CLI, so a laptop run and the scheduled run mean the same.
 */

import { settleAmbiguous, settleAmbiguousCells } from '../core/ambiguous';
import type { ClassifyContext } from '../core/classify';
import { classify } from '../core/classify';
import { markEnforced } from '../core/enforced';
import {
  type CellResult,
  type Change,
  type EnforcedGuardrail,
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

/** Our stack's messages: used only when no GetGuardrail reader is wired (tests, older callers). */
const PROBE_GUARDRAIL_CONTEXT: ClassifyContext = {
  blockedMessages: [GUARDRAIL_MESSAGES.input, GUARDRAIL_MESSAGES.output],
};

export interface RegionRunDeps {
  readonly loadCatalogs: () => Promise<CatalogResult>;
  readonly prober: Prober;
  /** ApplyGuardrail control: proves the probe Guardrail itself blocks the canary. */
  readonly applyGuardrail?: (guardrail: ProbeGuardrail, canary: string) => Promise<Observation>;
  /** GetGuardrail: the probe guardrail's configured blocked messages (any guardrail, not only ours). */
  readonly guardrailMessages?: (guardrail: ProbeGuardrail) => Promise<{
    readonly blockedInputMessaging: string | null;
    readonly blockedOutputsMessaging: string | null;
  }>;
  /** ListEnforcedGuardrailsConfiguration: guardrails Bedrock applies to every call. */
  readonly enforcedGuardrails?: () => Promise<readonly Omit<EnforcedGuardrail, 'region'>[]>;
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
  /** Account/organization guardrails that apply to every call in this region (empty = none). */
  readonly enforcedGuardrails?: readonly EnforcedGuardrail[];
  /** GetGuardrail / ListEnforcedGuardrailsConfiguration failures, one line each (not catalog problems). */
  readonly guardrailProblems?: readonly string[];
  /** Re-probe one cell of this run (drift confirmation). */
  readonly reprobe: MatrixProber['reprobe'];
}

export async function runRegion(options: RegionRunOptions, deps: RegionRunDeps): Promise<RegionRun> {
  // Guardrail facts are read alongside the run: only guardrail cells and the control wait for them.
  const pendingFacts = loadGuardrailFacts(options, deps);
  const guardrailContext = options.classifyContext
    ? Promise.resolve(options.classifyContext)
    : pendingFacts.then((f) => f.context);
  const { catalogs, problems } = await deps.loadCatalogs();
  const resolved = resolveModels(options.region, catalogs);
  const prober = new MatrixProber(
    {
      prober: deps.prober,
      classifyContext: options.classifyContext ?? PROBE_GUARDRAIL_CONTEXT,
      guardrailContext,
      canary: options.canary,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    },
    options.limits,
    options.plan,
  );
  const [matrix, guardrailControl, facts] = await Promise.all([
    prober.run(planBasic(options.region, resolved, options.plan)),
    guardrailContext.then((context) => runGuardrailControl(options, deps, context)),
    pendingFacts,
  ]);
  // The report carries the public model shape only; resolution internals stay in the engine.
  const models = resolved.map(({ key, provider, ids, sources }) => ({ key, provider, ids, sources }));
  const settled = settleAmbiguousCells(matrix.cells, catalogs);
  const cells = markEnforced(settled, models, facts.enforced);
  return {
    region: options.region,
    models,
    cells,
    enforcedGuardrails: facts.enforced,
    guardrailProblems: facts.problems,
    changes: [],
    guardrailControl,
    get probesSent() {
      return prober.probesSent + (guardrailControl ? 1 : 0);
    },
    partial: matrix.partial,
    problems,
    // A re-probe is judged like the first probe: by the same catalogs and the run's other cells.
    reprobe: async (key) => {
      const again = settleAmbiguous(await prober.reprobe(key), cells, catalogs);
      return markEnforced([again], models, facts.enforced)[0] as CellResult;
    },
  };
}

interface GuardrailFacts {
  readonly context: ClassifyContext;
  readonly enforced: readonly EnforcedGuardrail[];
  readonly problems: readonly string[];
}

/**
 * What the control plane says about guardrails at run start. Without GetGuardrail's answer the
 * blocked messages are unknown (empty), never assumed to be our stack's: a user may have named
 * another guardrail, and a wrong message would read a real block as `ignored`.
 */
async function loadGuardrailFacts(options: RegionRunOptions, deps: RegionRunDeps): Promise<GuardrailFacts> {
  const problems: string[] = [];
  const failed = (what: string, err: unknown): void => {
    problems.push(trimMessage(`${what} failed: ${err instanceof Error ? err.message : String(err)}`) ?? what);
  };
  const guardrail = options.plan.guardrail;
  let context = PROBE_GUARDRAIL_CONTEXT;
  const [messages, enforced] = await Promise.all([
    guardrail && deps.guardrailMessages
      ? deps.guardrailMessages(guardrail).catch((err: unknown) => {
          failed(`GetGuardrail ${guardrail.id}:${guardrail.version}`, err);
          return null;
        })
      : Promise.resolve(undefined),
    deps.enforcedGuardrails
      ? deps.enforcedGuardrails().catch((err: unknown) => {
          failed('ListEnforcedGuardrailsConfiguration', err);
          return [];
        })
      : Promise.resolve([]),
  ]);
  if (messages === null) context = { blockedMessages: [] };
  else if (messages !== undefined) {
    const known = [messages.blockedInputMessaging, messages.blockedOutputsMessaging];
    context = { blockedMessages: known.filter((m): m is string => !!m) };
  }
  return { context, enforced: enforced.map((g) => ({ ...g, region: options.region })), problems };
}

async function runGuardrailControl(
  options: RegionRunOptions,
  deps: RegionRunDeps,
  context: ClassifyContext,
): Promise<GuardrailControl | null> {
  const guardrail = options.plan.guardrail;
  if (!guardrail || !deps.applyGuardrail) return null;
  const base = { region: options.region, guardrailId: guardrail.id, guardrailVersion: guardrail.version };
  try {
    const obs = await deps.applyGuardrail(guardrail, options.canary);
    const { status, evidence } = classify(obs, context);
    return { ...base, status, evidence };
  } catch (err) {
    const reason = trimMessage(`ApplyGuardrail failed: ${err instanceof Error ? err.message : String(err)}`);
    return { ...base, status: 'error', evidence: emptyEvidence({ reason }) };
  }
}
