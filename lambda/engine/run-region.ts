/**
 * The probing half of one region's run: discover (catalogs -> models) and probe (plan -> probe ->
 * classify). What is remembered and alerted is the pipeline's business (pipeline.ts); the CLI
 * without a store, the benchmark and the tests use these two steps alone.
 */

import { settleAmbiguous, settleAmbiguousCells } from '../core/ambiguous';
import type { ClassifyContext } from '../core/classify';
import { classify } from '../core/classify';
import { markEnforced } from '../core/enforced';
import {
  type CellKey,
  type CellResult,
  type Endpoint,
  type EnforcedGuardrail,
  emptyEvidence,
  type GuardrailControl,
  type ModelEntry,
  type Observation,
} from '../core/model';
import { modelFilter, type PlanConfig, planBasic } from '../core/plan';
import { type CatalogResult, type Catalogs, type ResolvedModel, resolveModels } from '../core/resolve';
import { trimMessage } from '../core/scrub';
import { markBrokenServingPath, markBrokenServingPaths } from '../core/serving-path';
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
  /** How the prober waits (pacing, backoff): with `now`, a simulated clock (bench/virtual-clock.ts). */
  readonly sleep?: (ms: number) => Promise<void>;
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
  /** Account/organization guardrails that apply to every call in this region (empty = none). */
  readonly enforcedGuardrails?: readonly EnforcedGuardrail[];
  /** GetGuardrail / ListEnforcedGuardrailsConfiguration failures, one line each (not catalog problems). */
  readonly guardrailProblems?: readonly string[];
  /**
   * Re-probe one cell (drift confirmation) through the run's own prober and budgets, judged like
   * the first probe: by the same catalogs and the run's other cells.
   */
  reprobe(key: CellKey): Promise<CellResult>;
  /** Probe a cell through one given ID and route (is a model that left a catalog really gone?). */
  probeAs(key: CellKey, modelId: string, route: string | null): Promise<CellResult>;
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
  // Guardrail facts are read alongside the probes: only guardrail cells and the control wait for them.
  const pendingFacts = loadGuardrailFacts(options, deps);
  const guardrailContext = options.classifyContext
    ? Promise.resolve(options.classifyContext)
    : pendingFacts.then((f) => f.context);
  const prober = new MatrixProber(
    {
      prober: deps.prober,
      classifyContext: options.classifyContext ?? PROBE_GUARDRAIL_CONTEXT,
      guardrailContext,
      canary: options.canary,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    },
    options.limits,
    options.plan,
  );
  const [matrix, guardrailControl, facts] = await Promise.all([
    prober.run(planBasic(options.region, discovery.resolved, options.plan)),
    guardrailContext.then((context) => runGuardrailControl(options, deps, context)),
    pendingFacts,
  ]);
  // The report carries the public model shape (with what the catalog declares, for the
  // declared-vs-measured check and retirement notices); resolution internals stay in the engine.
  const models = modelEntries(discovery);
  const { catalogs } = discovery;
  const cells = markEnforced(
    markBrokenServingPaths(settleAmbiguousCells(matrix.cells, catalogs)),
    models,
    facts.enforced,
  );
  const judged = async (answer: Promise<CellResult>): Promise<CellResult> =>
    markEnforced(
      [markBrokenServingPath(settleAmbiguous(await answer, cells, catalogs), cells)],
      models,
      facts.enforced,
    )[0] as CellResult;
  return {
    region: options.region,
    models,
    cells,
    enforcedGuardrails: facts.enforced,
    guardrailProblems: facts.problems,
    guardrailControl,
    get probesSent() {
      return prober.probesSent + (guardrailControl ? 1 : 0);
    },
    partial: matrix.partial,
    problems: discovery.problems,
    absentEndpoints: discovery.absentEndpoints,
    reprobe: (key) => judged(prober.reprobe(key)),
    probeAs: (key, modelId, route) => judged(prober.probeAs(key, modelId, route)),
    discovery,
  };
}

/** The public model shape of what discovery resolved: what a report and a catalog mark carry. */
export const modelEntries = (discovery: Discovery): ModelEntry[] =>
  discovery.resolved.map(({ key, provider, ids, sources, declared }) => ({
    key,
    provider,
    ids,
    sources,
    ...(declared ? { declared } : {}),
  }));

/** Discover, check the filters, probe: one region without a store. */
export async function runRegion(options: RegionRunOptions, deps: RegionRunDeps): Promise<RegionRun> {
  const discovery = await discover(options.region, deps.loadCatalogs);
  checkFilters(discovery, options);
  return probeRegion(discovery, options, deps);
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
