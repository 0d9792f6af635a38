/**
 * The probing half of one region's run: discover (catalogs -> models) and probe (plan -> probe ->
 * classify). What is remembered and alerted is the pipeline's business (pipeline.ts); the CLI
 * without a store, the benchmark and the tests use these two steps alone.
 */

import type { ClassifyContext } from '../core/classify';
import { classify } from '../core/classify';
import {
  type CellResult,
  type Endpoint,
  emptyEvidence,
  type GuardrailControl,
  type ModelEntry,
  type Observation,
} from '../core/model';
import { modelFilter, type PlanConfig, planBasic } from '../core/plan';
import { type CatalogResult, type Catalogs, type ResolvedModel, resolveModels } from '../core/resolve';
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
  /** How the model filters are spelled where they were set, for the "matches nothing" error. */
  readonly filterNames?: { readonly include: string; readonly exclude: string };
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

/** What discovery found: the catalogs as answered, and the models they resolve to. */
export interface Discovery {
  readonly region: string;
  readonly catalogs: Catalogs;
  readonly resolved: readonly ResolvedModel[];
  /** Catalogs that failed to answer (or answered no catalog), one line each. */
  readonly problems: readonly string[];
  /** Endpoints the region does not have (their host name does not resolve). */
  readonly absentEndpoints: readonly Endpoint[];
}

export interface RegionRun {
  readonly region: string;
  readonly models: readonly ModelEntry[];
  readonly cells: readonly CellResult[];
  readonly guardrailControl: GuardrailControl | null;
  /** Probe calls so far, re-probes included (it grows while drift confirmation re-probes). */
  readonly probesSent: number;
  readonly partial: boolean;
  /** Catalogs that failed to answer, one line each. */
  readonly problems: readonly string[];
  readonly absentEndpoints: readonly Endpoint[];
  /** The prober that ran the matrix: the confirm step re-probes through it, with the same budgets. */
  readonly prober: MatrixProber;
  readonly discovery: Discovery;
}

/** The configured model filters match no model the catalogs list: bad input, not a run failure. */
export class NoModelMatches extends Error {
  override readonly name = 'NoModelMatches';
}

export async function discover(
  region: string,
  loadCatalogs: () => Promise<CatalogResult>,
  adjust: (result: CatalogResult) => CatalogResult = (r) => r,
): Promise<Discovery> {
  const { catalogs, problems, absentEndpoints = [] } = adjust(await loadCatalogs());
  // A cell decided by a failed catalog says why the catalog failed (authentication, IAM, ...).
  const why = (prefix: string): string | undefined =>
    problems.find((p) => p.startsWith(prefix))?.slice(prefix.length + 2);
  const resolved = resolveModels(region, catalogs, absentEndpoints).map((m) => {
    const absent = { ...m.absent };
    const mantleWhy = why('mantle /v1/models');
    const runtimeWhy = why('ListFoundationModels');
    if (absent.mantle === 'mantle catalog unavailable' && mantleWhy) absent.mantle += `: ${mantleWhy}`;
    if (absent.runtime === 'runtime catalog unavailable' && runtimeWhy) absent.runtime += `: ${runtimeWhy}`;
    return { ...m, absent };
  });
  return { region, catalogs, resolved, problems, absentEndpoints };
}

/**
 * Filters that match none of the listed models are a mistake worth stopping for before any probe
 * or store write; with no model listed at all (every catalog failed) there is nothing to judge.
 */
export function checkFilters(discovery: Discovery, options: RegionRunOptions): void {
  const { include = [], exclude = [] } = options.plan;
  if (discovery.resolved.length === 0 || (include.length === 0 && exclude.length === 0)) return;
  const wanted = modelFilter(include, exclude);
  if (discovery.resolved.some((m) => wanted(m.key))) return;
  const names = options.filterNames ?? { include: '--models', exclude: '--exclude-models' };
  const given = [
    ...(include.length > 0 ? [`${names.include} ${include.join(',')}`] : []),
    ...(exclude.length > 0 ? [`${names.exclude} ${exclude.join(',')}`] : []),
  ].join(' with ');
  const keys = discovery.resolved.map((m) => m.key);
  const sample = keys.slice(0, 5).join(', ') + (keys.length > 5 ? `, … (${keys.length} in all)` : '');
  throw new NoModelMatches(`no model matches ${given} in ${discovery.region}; models there: ${sample}`);
}

export async function probeRegion(
  discovery: Discovery,
  options: RegionRunOptions,
  deps: RegionRunDeps,
): Promise<RegionRun> {
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
    prober.run(planBasic(options.region, discovery.resolved, options.plan)),
    runGuardrailControl(options, deps),
  ]);
  return {
    region: options.region,
    // The report carries the public model shape only; resolution internals stay in the engine.
    models: discovery.resolved.map(({ key, provider, ids, sources }) => ({ key, provider, ids, sources })),
    cells: matrix.cells,
    guardrailControl,
    get probesSent() {
      return prober.probesSent + (guardrailControl ? 1 : 0);
    },
    partial: matrix.partial,
    problems: discovery.problems,
    absentEndpoints: discovery.absentEndpoints,
    prober,
    discovery,
  };
}

/** Discover, check the filters, probe: one region without a store. */
export async function runRegion(options: RegionRunOptions, deps: RegionRunDeps): Promise<RegionRun> {
  const discovery = await discover(options.region, deps.loadCatalogs);
  checkFilters(discovery, options);
  return probeRegion(discovery, options, deps);
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
