/**
 * The home's one function: it notifies, once, for every region, from what the regions' probers
 * stored. Two kinds of event reach it:
 *
 * - **A finished run** (the results table's stream, filtered to run items whose outcome is
 *   `completed` or `partial`): the run's scope's outbox is drained, as the prober itself did
 *   before the home existed: EventBridge events, then the SNS alert, then the outbox items are
 *   removed. A run whose results did not fully reach home ends `failed` and is not drained: its
 *   changes wait, as before, for the next run that stores them whole.
 * - **A watch tick** (the home's 5-minute schedule, any other event): every probed region's newest
 *   run and its sentinel's last tick (the heartbeat) are read; stale and failing regions are counted into the home's two health series (sent on
 *   every tick, so missing data means the watch itself stopped), a region that turned stale or
 *   failed within the last tick gets an alert naming it, and the outbox of every region whose
 *   newest run finished is drained again, so a stream delivery that never came loses nothing.
 *
 * Exactly once per change: the home function has a reserved concurrency of 1, so a stream batch
 * and a tick never drain one scope at once, and outbox items go only after SNS accepted the alert.
 * The one gap is the function dying between SNS accepting and the delete: the alert then repeats
 * once (never lost), and the events carry each change's id for a consumer to see the repeat.
 */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { bounded, errorText } from '../adapters/bounded';
import { type Alert, buildAlert, buildHealthAlert } from '../core/alert-message';
import { isStale, lastSign } from '../core/freshness';
import type { Change, Scope } from '../core/model';
import { scopeLabel } from '../core/model';
import { type BusEnvelope, isMemberEnvelope } from '../core/org/parse-event';
import type { RunRecord, Store } from '../core/ports';
import type { Logger } from '../logger';
import { HOME_METRICS, WATCH_PERIOD_MINUTES } from '../shared/names';
import { DRAINED_OUTCOMES, RUNS_PK_PREFIX } from '../shared/table-schema';
import type { createOrgHome, IngestOutcome, OrgWatchOutcome } from './org-home';

export interface HomeDeps {
  readonly store: Pick<Store, 'pendingAlerts' | 'markAlerted' | 'listRuns' | 'lastSentinelTick'>;
  /** The account whose regions the home watches. */
  readonly account: string;
  readonly regions: readonly string[];
  readonly staleAfterMs: number;
  readonly publishAlert: (alert: Alert) => Promise<unknown>;
  readonly publishEvents: (changes: readonly Change[], runId: string) => Promise<unknown>;
  readonly publishMetrics: (data: readonly MetricDatum[]) => Promise<unknown>;
  readonly log: Logger;
  /** One call to DynamoDB, SNS, EventBridge or CloudWatch. */
  readonly dependencyTimeoutMs: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** The tick's period: a region crossing a threshold within it is alerted. @default WATCH_PERIOD_MINUTES */
  readonly tickMs?: number;
  /**
   * An organization's home (org-home.ts): member events from the org bus are ingested, and the
   * watch tick watches the members instead of this account's regions. @default none (single account)
   */
  readonly org?: ReturnType<typeof createOrgHome>;
}

/** The part of a DynamoDB stream record the home reads (NEW_IMAGE view). */
export interface StreamRecord {
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly Keys?: Record<string, { readonly S?: string }>;
    readonly NewImage?: Record<string, { readonly S?: string }>;
  };
}

export interface HomeEvent {
  readonly Records?: readonly StreamRecord[];
}

/** One message of the organization's inbox (the org bus puts each member event there). */
export interface InboxRecord {
  readonly eventSource: 'aws:sqs';
  readonly messageId: string;
  /** The EventBridge envelope, as JSON text. */
  readonly body: string;
}

const isInboxBatch = (e: unknown): e is { Records: readonly InboxRecord[] } => {
  const records = (e as { Records?: readonly { eventSource?: string }[] } | undefined)?.Records;
  return Array.isArray(records) && records.length > 0 && records.every((r) => r.eventSource === 'aws:sqs');
};

/**
 * A batch from the inbox, event by event, in order. An event that failed (the table did not
 * answer) is reported back alone, so the queue hands it over again and the others go; one that is
 * not an event at all is refused and logged, since handing it over again cannot mend it.
 */
async function ingestInbox(
  org: ReturnType<typeof createOrgHome>,
  records: readonly InboxRecord[],
  log: Logger,
): Promise<HomeOutcome> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    let envelope: BusEnvelope;
    try {
      envelope = JSON.parse(record.body) as BusEnvelope;
    } catch {
      log.error('inbox message refused: not JSON', { messageId: record.messageId });
      continue;
    }
    try {
      await org.ingest(envelope);
    } catch (err) {
      log.error('member event not stored (handed over again)', {
        messageId: record.messageId,
        error: errorText(err),
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { alerted: {}, batchItemFailures };
}

export interface HomeOutcome {
  /** An inbox batch: the messages to hand over again (Lambda's ReportBatchItemFailures). */
  readonly batchItemFailures?: readonly { readonly itemIdentifier: string }[];
  /** Changes alerted, per scope label. */
  readonly alerted: Readonly<Record<string, number>>;
  /** A member event (organization home). */
  readonly ingested?: IngestOutcome;
  /** An organization home's watch tick. */
  readonly org?: OrgWatchOutcome;
  /** Watch ticks only. */
  readonly stale?: readonly string[];
  readonly failing?: readonly string[];
}

const DRAINED = new Set<string>(DRAINED_OUTCOMES);

/** The scope of a stream record of a finished run, or null for any other record. */
export function finishedRunScope(record: StreamRecord): Scope | null {
  const image = record.dynamodb?.NewImage;
  const pk = record.dynamodb?.Keys?.pk?.S ?? image?.pk?.S ?? '';
  if (!image || !pk.startsWith(RUNS_PK_PREFIX)) return null;
  const account = image.account?.S;
  const region = image.region?.S;
  const outcome = image.outcome?.S;
  if (!account || !region || !outcome || !DRAINED.has(outcome)) return null;
  return { account, region };
}

export function createHomeHandler(
  deps: HomeDeps,
): (
  event: HomeEvent | BusEnvelope | { Records: readonly InboxRecord[] } | undefined,
) => Promise<HomeOutcome> {
  const now = deps.now ?? (() => new Date());
  const tickMs = deps.tickMs ?? WATCH_PERIOD_MINUTES * 60_000;
  const call = <T>(what: string, fn: () => Promise<T>): Promise<T> =>
    bounded(what, deps.dependencyTimeoutMs, () => fn());

  /** Events, then the alert, then the outbox items: a failure leaves them for the next attempt. */
  const drain = async (scope: Scope): Promise<number> => {
    const pending = await deps.store.pendingAlerts(scope);
    if (pending.length === 0) return 0;
    const changes = pending.map((p) => p.change);
    const runId = pending.at(-1)?.runId ?? 'unknown';
    const alert = buildAlert({ region: scope.region, runId, changes, at: now().toISOString() });
    await call('EventBridge PutEvents', () => deps.publishEvents(changes, runId));
    await call('SNS Publish', () => deps.publishAlert(alert));
    await deps.store.markAlerted(
      scope,
      pending.map((p) => p.id),
    );
    deps.log.info('changes alerted', { scope: scopeLabel(scope), changes: changes.length, runId });
    const guardrail = changes.filter((c) => c.variant === 'guardrail').length;
    const at = now();
    await call('CloudWatch PutMetricData', () =>
      deps.publishMetrics([
        datum(HOME_METRICS.confirmedChanges, changes.length, at),
        ...(guardrail > 0 ? [datum(HOME_METRICS.guardrailChanges, guardrail, at)] : []),
      ]),
    ).catch((err) => deps.log.warn('change metrics not sent', { error: errorText(err) }));
    return changes.length;
  };

  const drainAll = async (scopes: readonly Scope[]): Promise<Record<string, number>> => {
    const alerted: Record<string, number> = {};
    const failures: string[] = [];
    for (const scope of scopes) {
      try {
        alerted[scopeLabel(scope)] = await drain(scope);
      } catch (err) {
        failures.push(`${scopeLabel(scope)}: ${errorText(err)}`);
        deps.log.error('alert failed', { scope: scopeLabel(scope), error: errorText(err) });
      }
    }
    // Thrown after every scope was tried: the stream retries the batch, the outbox keeps the rest.
    if (failures.length > 0) throw new Error(`alerts failed: ${failures.join('; ')}`);
    return alerted;
  };

  const watch = async (): Promise<HomeOutcome> => {
    const at = now();
    const scopes = deps.regions.map((region): Scope => ({ account: deps.account, region }));
    const newest = await Promise.all(
      scopes.map(async (scope) => {
        const [runs, tick] = await Promise.all([
          deps.store.listRuns(scope, { limit: 1 }),
          deps.store.lastSentinelTick(scope),
        ]);
        const run = runs[0] ?? null;
        return [scope, run, lastSign(run, tick)] as const;
      }),
    );
    const stale = newest.filter(([, , sign]) => isStale(sign, at, deps.staleAfterMs)).map(([s]) => s.region);
    const failing = newest.filter(([, run]) => failed(run)).map(([s]) => s.region);
    await call('CloudWatch PutMetricData', () =>
      deps.publishMetrics([
        datum(HOME_METRICS.staleRegions, stale.length, at),
        datum(HOME_METRICS.failingRegions, failing.length, at),
      ]),
    );
    const news = newest.flatMap(([scope, run, sign]) => {
      const line = healthLine(scope, run, sign, at, deps.staleAfterMs, tickMs);
      return line ? [line] : [];
    });
    if (news.length > 0) {
      deps.log.warn('regions need attention', { regions: news });
      await call('SNS Publish', () => deps.publishAlert(buildHealthAlert(news, at.toISOString())));
    }
    const finished = newest.filter(([, run]) => run?.finishedAt && !failed(run)).map(([s]) => s);
    const alerted = await drainAll(finished);
    return { alerted, stale, failing };
  };

  return async (event) => {
    if (deps.org && isMemberEnvelope(event)) return { alerted: {}, ingested: await deps.org.ingest(event) };
    if (deps.org && isInboxBatch(event)) return ingestInbox(deps.org, event.Records, deps.log);
    if (deps.org && !(event as HomeEvent | undefined)?.Records) {
      const result = await deps.org.watch(now());
      return { alerted: {}, org: result, stale: result.staleMembers };
    }
    if (!(event as HomeEvent | undefined)?.Records) return watch();
    const scopes = new Map<string, Scope>();
    for (const record of (event as HomeEvent).Records ?? []) {
      const scope = finishedRunScope(record);
      if (scope) scopes.set(scopeLabel(scope), scope);
    }
    return { alerted: await drainAll([...scopes.values()]) };
  };
}

const failed = (run: RunRecord | null): boolean =>
  run?.outcome === 'failed' || (run?.finishedAt != null && run.outcome === 'partial');

/**
 * A line for a region that crossed into trouble within the last tick: its newest run turned
 * stale, or finished failed or partial. Each crossing falls in exactly one tick, so each is told
 * once without any state kept between ticks; the alarms keep firing while it lasts.
 */
function healthLine(
  scope: Scope,
  run: RunRecord | null,
  sign: string | null,
  at: Date,
  staleAfterMs: number,
  tickMs: number,
): string | null {
  if (!run || !sign) return null;
  const silent = at.getTime() - Date.parse(sign);
  if (silent > staleAfterMs && silent <= staleAfterMs + tickMs)
    return `${scope.region}: no sign of life since ${sign} (stale after ${Math.round(staleAfterMs / 60_000)} min): the prober stopped or cannot reach home`;
  const finished = run.finishedAt ? at.getTime() - Date.parse(run.finishedAt) : Number.POSITIVE_INFINITY;
  if (failed(run) && finished >= 0 && finished <= tickMs)
    return `${scope.region}: run ${run.runId} ended ${run.outcome}${run.failure ? `: ${run.failure}` : ''}`;
  return null;
}

const datum = (name: string, value: number, at: Date): MetricDatum => ({
  MetricName: name,
  Timestamp: at,
  Value: value,
  Unit: 'Count',
});
