/**
 * The scheduled prober of one region: one run of the matrix, written to the home's results table
 * (which may be in another region). A thin factory over injected parts so tests drive it with the
 * simulator, DynamoDB Local and a failing store. The run itself is the shared pipeline
 * (engine/pipeline.ts); here only the lease that keeps runs apart and the log. The prober sends no
 * alert, event or metric: the home does, once, from what the run stored (home/notifier.ts), so a
 * region costs no CloudWatch series and a region that cannot reach home loses nothing: its changes
 * stay unconfirmed and the next run stores them again.
 */
import { bounded, errorText } from './adapters/bounded';
import type { ProberConfig } from './config';
import type { Observation, Scope } from './core/model';
import type { RunStore } from './core/ports';
import type { CatalogResult } from './core/resolve';
import { problemLine, runProblems } from './core/run-problems';
import { summarize } from './core/summary';
import { DEFAULT_LIMITS, type ProbeLimits } from './engine/matrix-prober';
import { type PipelineResult, runPipeline } from './engine/pipeline';
import type { ProbeGuardrail, Prober } from './engine/probe-port';
import type { Logger } from './logger';
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
  /** Retry and pacing knobs of the prober (tests shorten the backoff). @default DEFAULT_LIMITS */
  readonly probeLimits?: Partial<
    Pick<ProbeLimits, 'backoffBaseMs' | 'backoffMaxMs' | 'modelPacingMs' | 'maxAttempts'>
  >;
}

/** EventBridge Scheduler input (see lib/prober-schedule.ts); any other event starts an ad-hoc run. */
export interface ProberEvent {
  readonly scheduledTime?: string;
  readonly runId?: string;
}

export interface ProberContext {
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export interface RunOutcome {
  readonly runId: string;
  readonly region: string;
  readonly partial: boolean;
  readonly baseline: boolean;
  readonly probesSent: number;
  readonly changes: number;
  /** Why nothing was probed: another run holds the lease, a late replay, a finished slot. */
  readonly skipped?: string;
}

export function createHandler(deps: HandlerDeps) {
  const now = deps.now ?? (() => new Date());
  const reserveMs = deps.reserveMs ?? 60_000;
  const { config, log, store } = deps;
  const callMs = deps.dependencyTimeoutMs ?? config.dependencyTimeoutMs ?? DEFAULTS.dependencyTimeoutMs;

  return async (event: ProberEvent | undefined, context: ProberContext): Promise<RunOutcome> => {
    const started = now();
    // A retried schedule delivery carries the same scheduled time. The store keys a run by its
    // id and start, so the run's logical start is that slot: a replay then writes the very same
    // items instead of new ones.
    const scheduled = event?.scheduledTime ? new Date(event.scheduledTime) : null;
    const slot = scheduled && !Number.isNaN(scheduled.getTime()) ? scheduled : null;
    const startedAt = (slot ?? started).toISOString();
    const runId = event?.runId ?? (slot ? `sched-${event?.scheduledTime}` : context.awsRequestId);
    const remaining = context.getRemainingTimeInMillis();
    const deadline = started.getTime() + remaining - reserveMs;
    const region = config.region;
    const scope: Scope = { account: config.account, region };
    log.info('run started', { runId, region, deadline: new Date(deadline).toISOString() });

    // The lease keeps two invocations of one region apart (a slow run and the next tick), so
    // no reserved concurrency is needed. The owner is the run id: a retry of this very slot may
    // take over the lease its crashed attempt left behind.
    let leased: boolean;
    try {
      leased = await store.acquireLease(scope, runId, started.getTime(), started.getTime() + remaining);
    } catch (err) {
      // Home unreachable before anything was probed: the invocation fails (the schedule's retry
      // and dead-letter queue see it) and the home's watch reports the region stale.
      throw failed(runId, region, 'failed before probing', `store: ${errorText(err)}`, log);
    }
    if (!leased) {
      log.warn('run skipped: another run of this region holds the lease', { runId, region });
      return outcomeOf(runId, region, null, 'another run of this region holds the lease');
    }

    try {
      let result: PipelineResult;
      try {
        result = await runPipeline(
          {
            account: config.account,
            region,
            runId,
            startedAt,
            source: 'aws',
            confirmCount: config.confirmCount,
            noticeDays: config.noticeDays,
            scheduled: slot !== null,
            plan: {
              ...(config.apis ? { apis: config.apis } : {}),
              include: config.include,
              exclude: config.exclude,
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
          {
            store,
            loadCatalogs: deps.loadCatalogs,
            prober: deps.prober,
            applyGuardrail: deps.applyGuardrail,
            now: () => now().getTime(),
            clock: now,
          },
        );
      } catch (err) {
        // Nothing was probed (store unreadable at the start, filters matching nothing).
        throw failed(runId, region, 'failed before probing', `run: ${errorText(err)}`, log);
      }

      if (result.run) {
        const problems = runProblems({
          region,
          cells: result.run.cells,
          catalogProblems: result.run.problems,
          guardrailProblems: result.run.guardrailProblems ?? [],
          storeFailure: result.storeFailure,
        });
        for (const p of problems) log.warn('run problem', { runId, region, problem: problemLine(p) });
      } else {
        log.info('run skipped', { runId, region, reason: result.skipped });
      }
      const outcome = outcomeOf(runId, region, result, result.skipped);
      log.info('run finished', {
        ...outcome,
        ...(result.run
          ? { summary: summarize(result.run.cells, result.run.models, result.run.probesSent).byStatus }
          : {}),
      });
      // What could not reach home is not lost (the confirmed state did not move past it), but the
      // invocation fails so the schedule's retry and the home's watch see it.
      if (result.storeFailure)
        throw failed(runId, region, 'finished with failures', `store: ${result.storeFailure}`, log);
      return outcome;
    } finally {
      await bounded('DynamoDB lease release', callMs, () => store.releaseLease(scope, runId)).catch((err) =>
        log.warn('lease release failed (it expires on its own)', { runId, region, error: errorText(err) }),
      );
    }
  };
}

function failed(runId: string, region: string, when: string, what: string, log: Logger): Error {
  log.error(`${what.split(':')[0]} failed`, { runId, region, error: what });
  return new Error(`run ${runId} in ${region} ${when}: ${what}`);
}

function outcomeOf(
  runId: string,
  region: string,
  result: PipelineResult | null,
  skipped: string | undefined,
): RunOutcome {
  return {
    runId,
    region,
    partial: result?.run?.partial ?? false,
    baseline: result?.baseline ?? false,
    probesSent: result?.run?.probesSent ?? 0,
    changes: result?.changes.length ?? 0,
    ...(skipped ? { skipped } : {}),
  };
}
