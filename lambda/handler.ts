/**
 * The scheduled prober: one run in the Lambda's region. A thin factory over injected parts so
 * tests drive it with the simulator, DynamoDB Local and mocked CloudWatch/SNS clients.
 */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { ProberConfig } from './config';
import { type Alert, buildAlert } from './core/alert-message';
import { buildMetricData } from './core/metric-data';
import type { Change, Observation, Report } from './core/model';
import type { Store } from './core/ports';
import type { CatalogResult } from './core/resolve';
import { scrubSecrets } from './core/scrub';
import { DEFAULT_LIMITS } from './engine/matrix-prober';
import { monitorRegion } from './engine/monitor';
import type { ProbeGuardrail, Prober } from './engine/probe-port';
import { assembleReport } from './engine/report';
import { type RegionRun, runRegion } from './engine/run-region';
import type { Logger } from './logger';
import { METRICS } from './shared/names';

export interface HandlerDeps {
  readonly config: ProberConfig;
  readonly store: Store;
  readonly loadCatalogs: () => Promise<CatalogResult>;
  readonly prober: Prober;
  readonly applyGuardrail: (guardrail: ProbeGuardrail, canary: string) => Promise<Observation>;
  readonly publishMetrics: (data: readonly MetricDatum[]) => Promise<unknown>;
  readonly publishAlert: (alert: Alert) => Promise<unknown>;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Kept back from the Lambda timeout to persist, publish and alert. @default 60_000 */
  readonly reserveMs?: number;
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
}

export function createHandler(deps: HandlerDeps) {
  const now = deps.now ?? (() => new Date());
  const reserveMs = deps.reserveMs ?? 60_000;
  const { config, log } = deps;

  return async (event: ProberEvent | undefined, context: ProberContext): Promise<RunOutcome> => {
    const started = now();
    // A retried schedule delivery carries the same scheduled time. The store keys a run by its
    // id and start, so the run's logical start is that slot: a replay then writes the very same
    // items instead of new ones.
    const scheduled = event?.scheduledTime ? new Date(event.scheduledTime) : null;
    const slot = scheduled && !Number.isNaN(scheduled.getTime()) ? scheduled : null;
    const startedAt = (slot ?? started).toISOString();
    const runId = event?.runId ?? (slot ? `sched-${event?.scheduledTime}` : context.awsRequestId);
    const deadline = started.getTime() + context.getRemainingTimeInMillis() - reserveMs;
    const region = config.region;
    log.info('run started', { runId, region, deadline: new Date(deadline).toISOString() });

    let run: RegionRun | undefined;
    let changes: readonly Change[] = [];
    let baseline = false;
    const failures: string[] = [];
    try {
      const result = await monitorRegion(
        { region, runId, startedAt, source: 'aws', confirmCount: config.confirmCount },
        deps.store,
        async () => {
          run = await runRegion(
            {
              region,
              plan: {
                ...(config.apis ? { apis: config.apis } : {}),
                include: config.include,
                exclude: config.exclude,
                guardrail: config.guardrail,
              },
              limits: {
                ...DEFAULT_LIMITS,
                concurrency: config.concurrency,
                maxTokens: config.maxTokens,
                maxCalls: config.maxCalls,
                deadline,
              },
              canary: config.canary,
            },
            {
              loadCatalogs: deps.loadCatalogs,
              prober: deps.prober,
              applyGuardrail: deps.applyGuardrail,
              now: () => now().getTime(),
            },
          );
          for (const problem of run.problems) log.warn('catalog unavailable', { runId, region, problem });
          return run;
        },
        now,
      );
      changes = result.changes;
      baseline = result.baseline;
    } catch (err) {
      // Keep going: whatever the run saw still goes to CloudWatch before the invocation fails.
      failures.push(`store: ${errorText(err)}`);
      log.error('store failed', { runId, region, error: err });
    }

    if (!run) throw new Error(`run ${runId} in ${region} failed before probing: ${failures.join('; ')}`);
    const finished = now();
    const report: Report = assembleReport({
      runId,
      startedAt,
      finishedAt: finished.toISOString(),
      source: 'aws',
      runs: [run],
      changes,
    });

    try {
      const data = buildMetricData(report, {
        region,
        durationMs: finished.getTime() - started.getTime(),
        changes,
        probesSent: run.probesSent,
      });
      // A run whose results could not be stored is no heartbeat: the "prober stopped" alarm should see it.
      await deps.publishMetrics(
        failures.length > 0 ? data.filter((d) => d.MetricName !== METRICS.runHeartbeat) : data,
      );
    } catch (err) {
      failures.push(`metrics: ${errorText(err)}`);
      log.error('metrics failed', { runId, region, error: err });
    }

    if (changes.length > 0) {
      try {
        await deps.publishAlert(buildAlert({ region, runId, changes, report, at: finished.toISOString() }));
      } catch (err) {
        failures.push(`alert: ${errorText(err)}`);
        log.error('alert failed', { runId, region, error: err, changes: changes.length });
      }
    }

    const outcome: RunOutcome = {
      runId,
      region,
      partial: report.partial,
      baseline,
      probesSent: run.probesSent,
      changes: changes.length,
    };
    log.info('run finished', { ...outcome, summary: report.summary.byStatus });
    if (failures.length > 0)
      throw new Error(`run ${runId} in ${region} finished with failures: ${failures.join('; ')}`);
    return outcome;
  };
}

/** Scrubbed: Lambda logs the thrown message, and an SDK error may quote request data. */
function errorText(err: unknown): string {
  return scrubSecrets(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
}
