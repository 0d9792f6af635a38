/**
 * The scheduled prober: one run in the Lambda's region. A thin factory over injected parts so
 * tests drive it with the simulator, DynamoDB Local and mocked CloudWatch/SNS clients. The run
 * itself is the shared pipeline (engine/pipeline.ts); here: the lease that keeps runs apart, the
 * metrics, and the alert from the store's outbox.
 */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { bounded, errorText } from './adapters/bounded';
import type { ProberConfig } from './config';
import { type Alert, buildAlert } from './core/alert-message';
import { buildMetricData } from './core/metric-data';
import type { Change, Observation, Report } from './core/model';
import type { RunStore } from './core/ports';
import type { CatalogResult } from './core/resolve';
import { problemLine, runProblems } from './core/run-problems';
import { DEFAULT_LIMITS, type ProbeLimits } from './engine/matrix-prober';
import { type PipelineResult, runPipeline } from './engine/pipeline';
import type { ProbeGuardrail, Prober } from './engine/probe-port';
import { assembleReport } from './engine/report';
import type { Logger } from './logger';
import { DEFAULTS, DIMENSIONS, ENV, METRICS } from './shared/names';

export interface HandlerDeps {
  readonly config: ProberConfig;
  readonly store: RunStore;
  readonly loadCatalogs: () => Promise<CatalogResult>;
  readonly prober: Prober;
  readonly applyGuardrail: (guardrail: ProbeGuardrail, canary: string) => Promise<Observation>;
  readonly publishMetrics: (data: readonly MetricDatum[]) => Promise<unknown>;
  readonly publishAlert: (alert: Alert) => Promise<unknown>;
  /** Each pending change on the EventBridge bus, before the outbox lets go of it. @default none */
  readonly publishEvents?: (changes: readonly Change[], runId: string) => Promise<unknown>;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Kept back from the Lambda timeout to persist, publish and alert. @default 60_000 */
  readonly reserveMs?: number;
  /** One call to CloudWatch or SNS. @default config.dependencyTimeoutMs, else DEFAULTS.dependencyTimeoutMs */
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
  /** Changes the alert of this invocation carried (this run's and any left by an earlier attempt). */
  readonly alerted: number;
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
    const failures: string[] = [];
    const fail = (what: string, err: unknown): void => {
      failures.push(`${what}: ${errorText(err)}`);
      log.error(`${what} failed`, { runId, region, error: errorText(err) });
    };
    log.info('run started', { runId, region, deadline: new Date(deadline).toISOString() });

    const publish = async (data: readonly MetricDatum[]): Promise<void> => {
      try {
        await bounded('CloudWatch PutMetricData', callMs, () => deps.publishMetrics(data));
      } catch (err) {
        fail('metrics', err);
      }
    };

    // The lease keeps two invocations of one region apart (a slow run and the next tick), so
    // no reserved concurrency is needed. The owner is the run id: a retry of this very slot may
    // take over the lease its crashed attempt left behind.
    let leased = false;
    try {
      leased = await store.acquireLease(region, runId, started.getTime(), started.getTime() + remaining);
    } catch (err) {
      fail('store', err);
      await publish([regionDatum(region, METRICS.runHeartbeat, 0, started)]);
      throw new Error(`run ${runId} in ${region} failed before probing: ${failures.join('; ')}`);
    }
    if (!leased) {
      log.warn('run skipped: another run of this region holds the lease', { runId, region });
      await publish([regionDatum(region, METRICS.runOverlap, 1, started)]);
      return outcomeOf(runId, region, null, 0, 'another run of this region holds the lease');
    }

    try {
      let result: PipelineResult;
      try {
        result = await runPipeline(
          {
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
        // Nothing was probed (store unreadable at the start, filters matching nothing): no
        // heartbeat, so the "prober stopped" alarm sees it, and the invocation fails.
        fail('run', err);
        await publish([regionDatum(region, METRICS.runHeartbeat, 0, started)]);
        throw new Error(`run ${runId} in ${region} failed before probing: ${failures.join('; ')}`);
      }

      if (result.storeFailure) fail('store', new Error(result.storeFailure));
      const changes: readonly Change[] = result.changes;
      let report: Report | null = null;
      if (result.run) {
        const run = result.run;
        const finished = now();
        const problems = runProblems({
          region,
          cells: run.cells,
          catalogProblems: run.problems,
          guardrailProblems: run.guardrailProblems ?? [],
          storeFailure: result.storeFailure,
        });
        for (const p of problems) log.warn('run problem', { runId, region, problem: problemLine(p) });
        report = assembleReport({
          runId,
          startedAt,
          finishedAt: finished.toISOString(),
          source: 'aws',
          runs: [run],
          changes,
          problems,
          noticeDays: config.noticeDays,
        });
        const data = buildMetricData(report, {
          region,
          durationMs: finished.getTime() - started.getTime(),
          changes,
          probesSent: run.probesSent,
        });
        data.push(
          ...run.absentEndpoints.map((e) =>
            regionDatum(region, METRICS.endpointAbsent, 1, finished, [
              { Name: DIMENSIONS.endpoint, Value: e },
            ]),
          ),
        );
        // A run whose results could not be stored is no heartbeat: the "prober stopped" alarm should see it.
        await publish(result.storeFailure ? data.filter((d) => d.MetricName !== METRICS.runHeartbeat) : data);
      } else {
        log.info('run skipped', { runId, region, reason: result.skipped });
      }

      // The alert carries every stored change no alert has carried yet: this run's, and those an
      // interrupted earlier attempt stored. Taken out of the outbox only once SNS accepted it.
      let alerted = 0;
      if (!result.storeFailure) alerted = await sendPending(report);
      const outcome = outcomeOf(runId, region, result, alerted, result.skipped);
      log.info('run finished', { ...outcome, ...(report ? { summary: report.summary.byStatus } : {}) });
      if (failures.length > 0)
        throw new Error(`run ${runId} in ${region} finished with failures: ${failures.join('; ')}`);
      return outcome;
    } finally {
      await bounded('DynamoDB lease release', callMs, () => store.releaseLease(region, runId)).catch((err) =>
        log.warn('lease release failed (it expires on its own)', { runId, region, error: errorText(err) }),
      );
    }

    async function sendPending(report: Report | null): Promise<number> {
      try {
        const pending = await store.pendingAlerts(region);
        if (pending.length === 0) return 0;
        const alert = buildAlert({
          region,
          runId,
          changes: pending.map((p) => p.change),
          ...(report ? { report } : {}),
          at: now().toISOString(),
        });
        const changes = pending.map((p) => p.change);
        if (deps.publishEvents) {
          const put = deps.publishEvents;
          await bounded('EventBridge PutEvents', callMs, () => put(changes, runId));
        }
        await bounded('SNS Publish', callMs, () => deps.publishAlert(alert));
        await store.markAlerted(
          region,
          pending.map((p) => p.id),
        );
        return pending.length;
      } catch (err) {
        fail('alert', err);
        return 0;
      }
    }
  };
}

function outcomeOf(
  runId: string,
  region: string,
  result: PipelineResult | null,
  alerted: number,
  skipped: string | undefined,
): RunOutcome {
  return {
    runId,
    region,
    partial: result?.run?.partial ?? false,
    baseline: result?.baseline ?? false,
    probesSent: result?.run?.probesSent ?? 0,
    changes: result?.changes.length ?? 0,
    alerted,
    ...(skipped ? { skipped } : {}),
  };
}

function regionDatum(
  region: string,
  name: string,
  value: number,
  at: Date,
  extra: { Name: string; Value: string }[] = [],
): MetricDatum {
  return {
    MetricName: name,
    Dimensions: [{ Name: DIMENSIONS.region, Value: region }, ...extra],
    Timestamp: at,
    Value: value,
    Unit: 'Count',
  };
}
