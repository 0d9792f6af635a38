import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../lambda/adapters/store/memory-store';
import type { Alert } from '../../../lambda/core/alert-message';
import type { Change } from '../../../lambda/core/model';
import type { RunRecord } from '../../../lambda/core/ports';
import { createHomeHandler, finishedRunScope } from '../../../lambda/home/notifier';
import { createLogger } from '../../../lambda/logger';
import { runStreamRecord } from '../../faults/support';
import { cellChange } from '../../support/changes';

// The home's notifier and watch over the in-memory store (the same store logic as DynamoDB's),
// with SNS, EventBridge and CloudWatch as recording functions: what it sends, and how often.

const ACCOUNT = '123456789012';
const EAST = { account: ACCOUNT, region: 'us-east-1' };
const WEST = { account: ACCOUNT, region: 'us-west-2' };
const NOW = new Date('2026-12-07T12:00:00.000Z');
const HOUR = 3_600_000;

const runAt = (
  scope: typeof EAST,
  runId: string,
  startedAt: string,
  over: Partial<RunRecord> = {},
): RunRecord => ({
  ...scope,
  runId,
  startedAt,
  finishedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(),
  partial: false,
  source: 'aws',
  summary: null,
  changeCount: 0,
  probesSent: 10,
  outcome: 'completed',
  ...over,
});

const change = (region: string, model: string, variant: Change['variant'] = 'basic'): Change =>
  cellChange({
    region,
    model,
    endpoint: 'runtime',
    api: 'converse',
    variant,
    from: 'supported',
    to: 'unsupported',
  });

function home(opts: { failSns?: number; store?: MemoryStore } = {}) {
  const store = opts.store ?? new MemoryStore();
  const alerts: Alert[] = [];
  const events: Change[][] = [];
  const metrics: MetricDatum[] = [];
  let snsFailures = opts.failSns ?? 0;
  const handler = createHomeHandler({
    store,
    account: ACCOUNT,
    regions: [EAST.region, WEST.region],
    staleAfterMs: 3 * HOUR,
    publishAlert: async (alert) => {
      if (snsFailures-- > 0) throw new Error('SNS: Throttling: Rate exceeded');
      alerts.push(alert);
    },
    publishEvents: async (changes) => {
      events.push([...changes]);
    },
    publishMetrics: async (data) => {
      metrics.push(...data);
    },
    log: createLogger(() => undefined),
    dependencyTimeoutMs: 1_000,
    now: () => NOW,
  });
  return { store, handler, alerts, events, metrics };
}

async function storeRun(store: MemoryStore, run: RunRecord, changes: readonly Change[] = []): Promise<void> {
  await store.startRun(run);
  if (changes.length > 0) await store.saveChanges(run, run.runId, run.startedAt, changes);
  await store.finishRun(run);
}

describe('the home notifier, on the stream of finished runs', () => {
  it('reads only run items that finished completed or partial', () => {
    // Prepare
    const done = runAt(EAST, 'r1', '2026-12-07T11:00:00.000Z');

    // Act / Assess
    expect(finishedRunScope(runStreamRecord(done))).toEqual(EAST);
    expect(finishedRunScope(runStreamRecord({ ...done, outcome: 'partial' }))).toEqual(EAST);
    expect(finishedRunScope(runStreamRecord({ ...done, outcome: 'failed' }))).toBeNull();
    const { outcome: _, ...started } = done;
    expect(finishedRunScope(runStreamRecord(started))).toBeNull();
    const outbox = runStreamRecord(done);
    expect(
      finishedRunScope({
        dynamodb: { ...outbox.dynamodb, Keys: { pk: { S: `OUTBOX#${ACCOUNT}#us-east-1` } } },
      }),
    ).toBeNull();
  });

  it('alerts each region once, names it, and sends one dimensionless count per kind', async () => {
    // Prepare: two regions finished runs with changes
    const { store, handler, alerts, events, metrics } = home();
    const east = runAt(EAST, 'e1', '2026-12-07T11:00:00.000Z');
    const west = runAt(WEST, 'w1', '2026-12-07T11:00:00.000Z');
    await storeRun(store, east, [change('us-east-1', 'a'), change('us-east-1', 'b', 'guardrail')]);
    await storeRun(store, west, [change('us-west-2', 'c')]);

    // Act: the batch holds both runs; then the stream delivers the same batch again
    const batch = { Records: [runStreamRecord(east), runStreamRecord(west), runStreamRecord(east)] };
    const first = await handler(batch);
    const again = await handler(batch);

    // Assess
    expect(first.alerted).toEqual({ [`${ACCOUNT}/us-east-1`]: 2, [`${ACCOUNT}/us-west-2`]: 1 });
    expect(again.alerted).toEqual({ [`${ACCOUNT}/us-east-1`]: 0, [`${ACCOUNT}/us-west-2`]: 0 });
    expect(alerts.map((a) => a.subject)).toEqual([
      'bedrock-matrix: 2 changes in us-east-1 (MEDIUM)',
      'bedrock-matrix: 1 change in us-west-2 (MEDIUM)',
    ]);
    expect(events.map((e) => e.length)).toEqual([2, 1]);
    expect(metrics.map((m) => [m.MetricName, m.Value])).toEqual([
      ['ConfirmedChanges', 2],
      ['GuardrailChanges', 1],
      ['ConfirmedChanges', 1],
    ]);
    expect(metrics.every((m) => m.Dimensions === undefined)).toBe(true);
  });

  it('keeps the outbox when SNS refuses, fails the batch, and alerts once on the retry', async () => {
    // Prepare
    const { store, handler, alerts } = home({ failSns: 1 });
    const east = runAt(EAST, 'e1', '2026-12-07T11:00:00.000Z');
    await storeRun(store, east, [change('us-east-1', 'a')]);
    const batch = { Records: [runStreamRecord(east)] };

    // Act
    const refused = await handler(batch).then(
      () => 'ok',
      (err: Error) => err.message,
    );
    const pendingAfterRefusal = (await store.pendingAlerts(EAST)).length;
    await handler(batch);

    // Assess
    expect(refused).toMatch(/alerts failed: 123456789012\/us-east-1: .*Throttling/);
    expect(pendingAfterRefusal).toBe(1);
    expect(alerts).toHaveLength(1);
    expect(await store.pendingAlerts(EAST)).toEqual([]);
  });
});

describe('the home watch tick', () => {
  it('counts stale and failing regions, names each crossing once, and drains what the stream missed', async () => {
    // Prepare: east ran 3 h 2 min ago (just turned stale); west's newest run failed a minute ago,
    // and an older completed east run left a change in the outbox
    const { store, handler, alerts, metrics } = home();
    const east = runAt(EAST, 'e1', new Date(NOW.getTime() - 3 * HOUR - 120_000).toISOString());
    await storeRun(store, east, [change('us-east-1', 'a')]);
    const west = runAt(WEST, 'w1', new Date(NOW.getTime() - 120_000).toISOString(), {
      outcome: 'failed',
      partial: true,
      failure: 'DynamoDB BatchWriteItem on table bedrock-matrix-results failed: connection refused',
    });
    await storeRun(store, west);

    // Act
    const tick = await handler(undefined);

    // Assess
    expect(tick.stale).toEqual(['us-east-1']);
    expect(tick.failing).toEqual(['us-west-2']);
    expect(
      metrics.filter((m) => /Regions$/.test(m.MetricName ?? '')).map((m) => [m.MetricName, m.Value]),
    ).toEqual([
      ['StaleRegions', 1],
      ['FailingRegions', 1],
    ]);
    const health = alerts.find((a) => a.subject.includes('attention'));
    expect(health?.subject).toBe('bedrock-matrix: 2 regions need attention');
    const text = (JSON.parse(health?.message ?? '{}') as { email: string }).email;
    expect(text).toContain('us-east-1: no sign of life since');
    expect(text).toContain('us-west-2: run w1 ended failed: DynamoDB BatchWriteItem');
    expect(tick.alerted).toEqual({ [`${ACCOUNT}/us-east-1`]: 1 });
  });

  it('sends the health series on every tick, and no alert when the crossing was told by an earlier tick', async () => {
    // Prepare: east's newest run is 5 h old (stale since 2 h: an earlier tick told it)
    const { store, handler, alerts, metrics } = home();
    await storeRun(store, runAt(EAST, 'e1', new Date(NOW.getTime() - 5 * HOUR).toISOString()));
    await storeRun(store, runAt(WEST, 'w1', new Date(NOW.getTime() - HOUR).toISOString()));

    // Act
    const tick = await handler(undefined);

    // Assess
    expect(tick.stale).toEqual(['us-east-1']);
    expect(alerts).toEqual([]);
    expect(metrics.map((m) => [m.MetricName, m.Value])).toEqual([
      ['StaleRegions', 1],
      ['FailingRegions', 0],
    ]);
  });
});
