/**
 * The prober of one region, written to the home's results table (which may be in another region).
 * A thin factory over injected parts so tests drive it with the simulator, DynamoDB Local and a
 * failing store. Two schedules invoke it: the daily `sweep` (the full matrix) and the 5-minute
 * `sentinel`, which reads the free catalogs and, when they moved since the last stored run, runs a
 * `targeted` run of only the moved models at once. A run that finds the region's lease taken is
 * queued in the home table, never dropped: the lease holder runs it before letting go when time
 * allows, else the next sentinel tick does. The run itself is the shared pipeline
 * (engine/pipeline.ts). The prober sends no alert, event or metric: the home does, once, from what
 * the run stored (home/notifier.ts), so a region costs no CloudWatch series and a region that
 * cannot reach home loses nothing: its changes stay unconfirmed and the next run stores them again.
 */
import { bounded, errorText } from './adapters/bounded';
import type { ProberConfig } from './config';
import { catalogMark, markAfter } from './core/catalog-mark';
import { distrustShrunkenListings, listedCounts } from './core/catalog-trust';
import type { Observation, Scope } from './core/model';
import { modelFilter } from './core/plan';
import type { QueuedRun, RunStore } from './core/ports';
import type { CatalogResult } from './core/resolve';
import { problemLine, runProblems } from './core/run-problems';
import { nextRun, tickInputs } from './core/sentinel-plan';
import { summarize } from './core/summary';
import { DEFAULT_LIMITS, type ProbeLimits } from './engine/matrix-prober';
import { type PipelineResult, runPipeline } from './engine/pipeline';
import type { ProbeGuardrail, Prober } from './engine/probe-port';
import { discover, modelEntries, type RegionRunDeps } from './engine/run-region';
import { failed, kindOf, outcomeOf, type ProberEvent, type RunOutcome } from './invocation';
import type { Logger } from './logger';
import { accountInvocation } from './member/account-invocation';
import type { MemberDeps } from './member/ports';
import { sendRegionFacts } from './member/region-facts';
import { DEFAULTS, ENV } from './shared/names';

export interface HandlerDeps {
  readonly config: ProberConfig;
  readonly store: RunStore;
  readonly loadCatalogs: () => Promise<CatalogResult>;
  readonly prober: Prober;
  readonly applyGuardrail: (guardrail: ProbeGuardrail, canary: string) => Promise<Observation>;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Kept back from the Lambda timeout to persist the run. @default 60_000 */
  readonly reserveMs?: number;
  /** One call to the store (the lease release). @default config.dependencyTimeoutMs, else DEFAULTS.dependencyTimeoutMs */
  readonly dependencyTimeoutMs?: number;
  /**
   * An organization's member (lib/org/member-stack.ts): its account facts, state and bus. With it,
   * the `account` kind runs and a stored run's changes go home as events. @default none (single account)
   */
  readonly member?: MemberDeps;
  /** Retry and pacing knobs of the prober (tests shorten the backoff). @default DEFAULT_LIMITS */
  readonly probeLimits?: Partial<
    Pick<ProbeLimits, 'backoffBaseMs' | 'backoffMaxMs' | 'modelPacingMs' | 'maxAttempts'>
  >;
}

export type { ProberEvent, RunOutcome } from './invocation';

export interface ProberContext {
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** A run a queued request starts needs at least this long before the invocation's deadline. */
const QUEUED_RUN_MIN_MS = 5 * 60_000;

interface RunRequest {
  readonly kind: QueuedRun['kind'];
  readonly models: readonly string[];
  readonly runId: string;
  readonly startedAt: string;
  readonly scheduled: boolean;
}

export function createHandler(deps: HandlerDeps) {
  const now = deps.now ?? (() => new Date());
  const reserveMs = deps.reserveMs ?? 60_000;
  const { config, log, store } = deps;
  const callMs = deps.dependencyTimeoutMs ?? config.dependencyTimeoutMs ?? DEFAULTS.dependencyTimeoutMs;
  const region = config.region;
  const scope: Scope = { account: config.account, region };
  // The sentinel watches the models a sweep probes: the configured filters hold for it too.
  const wanted = modelFilter(config.include, config.exclude);
  // What every kind of run probes with. The probes measure time on this handler's clock, the one
  // their deadline comes from: on another, a simulated clock behind the machine's finds every
  // probe already out of time.
  const probing: RegionRunDeps = {
    loadCatalogs: deps.loadCatalogs,
    prober: deps.prober,
    applyGuardrail: deps.applyGuardrail,
    now: () => now().getTime(),
  };

  return async (event: ProberEvent | undefined, context: ProberContext): Promise<RunOutcome> => {
    const started = now();
    const kind = kindOf(event);
    // A retried schedule delivery carries the same scheduled time. The store keys a run by its
    // id and start, so the run's logical start is that slot: a replay then writes the very same
    // items instead of new ones.
    const scheduled = event?.scheduledTime ? new Date(event.scheduledTime) : null;
    const slot = scheduled && !Number.isNaN(scheduled.getTime()) ? scheduled : null;
    const startedAt = (slot ?? started).toISOString();
    const slotId = slot
      ? `${kind === 'sweep' ? 'sched' : kind}-${event?.scheduledTime}`
      : context.awsRequestId;
    const runId = event?.runId ?? slotId;
    const remaining = context.getRemainingTimeInMillis();
    const deadline = started.getTime() + remaining - reserveMs;
    log.info('invocation started', { runId, region, kind, deadline: new Date(deadline).toISOString() });

    if (kind === 'sentinel') return sentinelTick();
    if (kind === 'account') return accountFacts();
    return leased(
      {
        kind,
        models: kind === 'targeted' ? [...(event?.models ?? [])].sort() : [],
        runId,
        startedAt,
        scheduled: slot !== null,
      },
      [],
    );

    /** A member's account facts (lambda/member/): read, compared with what home has, sent when moved. */
    async function accountFacts(): Promise<RunOutcome> {
      if (!deps.member)
        throw new Error('the account kind runs only in an organization member (BEDROCK_MATRIX_MEMBER=1)');
      try {
        const result = await accountInvocation({
          config,
          scope,
          member: deps.member,
          store,
          probing,
          wanted,
          // The slot's time, so a retried delivery sends the very same events (same ids).
          at: new Date(startedAt),
          deadline,
          log,
          ...(deps.probeLimits ? { probeLimits: deps.probeLimits } : {}),
        });
        return {
          ...outcomeOf(runId, region, null, result.skipped),
          kind,
          changes: result.changes,
          probesSent: result.probesSent,
        };
      } catch (err) {
        throw failed(runId, region, 'failed', `account facts: ${errorText(err)}`, log);
      }
    }

    /** The sentinel: a heartbeat, the free catalogs, and a run only when they moved (or one waits). */
    async function sentinelTick(): Promise<RunOutcome> {
      const idle = (skipped: string): RunOutcome => ({ ...outcomeOf(runId, region, null, skipped), kind });
      let inputs: ReturnType<typeof tickInputs>;
      try {
        await store.saveSentinelTick(scope, started.toISOString());
        const state = await store.loadSentinel(scope);
        // The catalog trust rule of a run, against what the last stored run listed: a listing far
        // smaller than that is a bad answer, not half of Bedrock leaving in five minutes.
        const judge = (r: CatalogResult) => (state.listed ? distrustShrunkenListings(r, state.listed) : r);
        const discovery = await discover(region, deps.loadCatalogs, judge);
        if (discovery.problems.length > 0) {
          // A catalog that did not answer, or is not believed, says nothing about what moved.
          log.warn('sentinel: a catalog is not usable', { runId, region, problems: discovery.problems });
          return idle(`a catalog is not usable: ${discovery.problems[0]}`);
        }
        inputs = tickInputs(
          state,
          modelEntries(discovery).filter((m) => wanted(m.key)),
        );
      } catch (err) {
        throw failed(runId, region, 'failed before probing', `store: ${errorText(err)}`, log);
      }
      const next = nextRun(inputs.queued, inputs.catalog);
      if (!next) {
        log.info('sentinel: catalogs unchanged', { runId, region });
        return idle('catalogs unchanged');
      }
      log.info('sentinel: starting a run', {
        runId,
        region,
        kind: next.kind,
        reason: next.reason,
        models: next.models,
      });
      const targetedId = `${next.kind === 'sweep' ? 'sweep' : 'targeted'}-${runId}`;
      return leased(
        { kind: next.kind, models: next.models, runId: targetedId, startedAt, scheduled: false },
        next.queuedIds,
      );
    }

    /**
     * One run under the scope's lease, then what others queued meanwhile while time allows. A run
     * that finds the lease taken is queued and the invocation ends.
     */
    async function leased(request: RunRequest, covered: readonly string[]): Promise<RunOutcome> {
      // The lease keeps two invocations of one region apart (a sweep and a sentinel's targeted run,
      // or a slow run and the next tick). The owner is the run id: a retry of this very slot may
      // take over the lease its crashed attempt left behind.
      let held: boolean;
      try {
        held = await store.acquireLease(
          scope,
          request.runId,
          started.getTime(),
          started.getTime() + remaining,
        );
        if (!held) {
          await store.queueRun(scope, {
            id: request.runId,
            kind: request.kind,
            models: request.models,
            at: started.toISOString(),
          });
        }
      } catch (err) {
        // Home unreachable before anything was probed: the invocation fails (the schedule's retry
        // and dead-letter queue see it) and the home's watch reports the region stale.
        throw failed(request.runId, region, 'failed before probing', `store: ${errorText(err)}`, log);
      }
      if (!held) {
        log.warn('run queued: another run of this region holds the lease', { runId: request.runId, region });
        return {
          ...outcomeOf(request.runId, region, null, 'queued: another run of this region holds the lease'),
          kind: request.kind,
        };
      }
      try {
        const outcome = await runOne(request, covered);
        await runQueued();
        return outcome;
      } finally {
        await bounded('DynamoDB lease release', callMs, () => store.releaseLease(scope, request.runId)).catch(
          (err) =>
            log.warn('lease release failed (it expires on its own)', {
              runId: request.runId,
              region,
              error: errorText(err),
            }),
        );
      }
    }

    /** Runs queued while this invocation held the lease, merged into one, while time allows. */
    async function runQueued(): Promise<void> {
      for (let round = 0; round < 2 && deadline - now().getTime() > QUEUED_RUN_MIN_MS; round++) {
        const next = nextRun((await store.loadSentinel(scope)).queued);
        if (!next) return;
        const at = now().toISOString();
        const id = `${next.kind}-queued-${at.replace(/[-:.]/g, '')}`;
        log.info('running queued runs', { runId: id, region, kind: next.kind, queued: next.queuedIds });
        await runOne(
          { kind: next.kind, models: next.models, runId: id, startedAt: at, scheduled: false },
          next.queuedIds,
        );
      }
    }

    /** One pipeline run; then the catalog mark it saw, and the queued runs it covered, once stored. */
    async function runOne(request: RunRequest, covered: readonly string[]): Promise<RunOutcome> {
      const { runId: id, kind: runKind } = request;
      let result: PipelineResult;
      try {
        result = await runPipeline(
          {
            account: config.account,
            region,
            runId: id,
            startedAt: request.startedAt,
            source: 'aws',
            kind: runKind,
            confirmCount: config.confirmCount,
            noticeDays: config.noticeDays,
            scheduled: request.scheduled,
            plan: {
              ...(config.apis ? { apis: config.apis } : {}),
              include: runKind === 'targeted' ? request.models : config.include,
              exclude: runKind === 'targeted' ? [] : config.exclude,
              guardrail: config.guardrail,
            },
            limits: {
              ...DEFAULT_LIMITS,
              ...deps.probeLimits,
              concurrency: config.concurrency,
              ...(config.perModelConcurrency !== undefined
                ? { perModelConcurrency: config.perModelConcurrency }
                : {}),
              maxTokens: config.maxTokens,
              maxCalls: config.maxCalls,
              ...(config.maxRunTokens !== undefined ? { maxRunTokens: config.maxRunTokens } : {}),
              ...(config.probeTimeoutMs !== undefined ? { probeTimeoutMs: config.probeTimeoutMs } : {}),
              ...(config.mantleFirstCallTimeoutMs !== undefined
                ? { mantleFirstCallTimeoutMs: config.mantleFirstCallTimeoutMs }
                : {}),
              deadline,
            },
            canary: config.canary,
            filterNames: { include: ENV.includeModels, exclude: ENV.excludeModels },
          },
          { store, ...probing, clock: now },
        );
      } catch (err) {
        // Nothing was probed (store unreadable at the start, filters matching nothing).
        throw failed(id, region, 'failed before probing', `run: ${errorText(err)}`, log);
      }

      if (result.run) {
        const problems = runProblems({
          region,
          cells: result.run.cells,
          catalogProblems: result.run.problems,
          guardrailProblems: result.run.guardrailProblems ?? [],
          storeFailure: result.storeFailure,
        });
        for (const p of problems) log.warn('run problem', { runId: id, region, problem: problemLine(p) });
      } else {
        log.info('run skipped', { runId: id, region, reason: result.skipped });
      }
      const outcome: RunOutcome = {
        ...outcomeOf(id, region, result, result.skipped),
        kind: runKind,
        ...(runKind === 'targeted' ? { models: request.models } : {}),
      };
      log.info('run finished', {
        ...outcome,
        ...(result.run
          ? { summary: summarize(result.run.cells, result.run.models, result.run.probesSent).byStatus }
          : {}),
      });
      // What could not reach home is not lost (the confirmed state did not move past it), but the
      // invocation fails so the schedule's retry and the home's watch see it.
      if (result.storeFailure)
        throw failed(id, region, 'finished with failures', `store: ${result.storeFailure}`, log);
      if (result.run && result.run.problems.length === 0) {
        // The catalogs this run stored results for: a sweep saw them all, a targeted run only its models.
        const models = result.run.models;
        const mark =
          runKind === 'sweep'
            ? catalogMark(models.filter((m) => wanted(m.key)))
            : markAfter((await store.loadSentinel(scope)).mark ?? {}, request.models, models);
        await store.saveCatalogMark(scope, mark, listedCounts(models), request.startedAt);
      }
      // A queued run is done once a run stored it whole; one cut short stays for the next tick.
      if (covered.length > 0 && result.run && !result.run.partial) await store.dequeueRuns(scope, covered);
      if (deps.member && result.run) {
        // In an organization the member sends its region facts home; what the bus does not take
        // stays in the outbox for the next account tick.
        await sendRegionFacts(deps.member, store, scope, now(), log).catch((err) =>
          log.warn('region facts not sent (the outbox keeps them)', {
            runId: id,
            region,
            error: errorText(err),
          }),
        );
      }
      return outcome;
    }
  };
}
