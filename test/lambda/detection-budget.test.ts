import { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import type { Prober } from '../../lambda/engine/probe-port';
import type { Scenario } from '../../simulator/types';
import { lambdaContext, useFaultWorld } from '../faults/support';

// Issue 23's detection budget, on a simulated clock: a model appears in a region's catalogs at
// some second of the sentinel's 5-minute period; the next tick reads the catalogs and runs a
// targeted run of it (each call spends its latency on the clock, calls in flight together overlap,
// mantle's first call to the model is its slow cold start); the finished run reaches the home
// through the table's stream; the home alerts. Measured: from the model's arrival to the alert.

const world = useFaultWorld();
const { sns } = world;

const MINUTE = 60_000;
const SENTINEL_PERIOD = 5 * MINUTE;
/** One call to a warm model (docs/bench.md: 1-3 s; the pacing figure). */
const CALL_MS = 1_200;
/** Mantle's first call to a model it has not served yet: 60-120 s (docs/bedrock-wire.md). */
const MANTLE_COLD_MS = 100_000;
/** The stream's delivery to the home function: its batching window (lib/home-function.ts) and a second. */
const STREAM_MS = 6_000;
/** Lambda's own timeout: the invocation's deadline on the simulated clock. */
const LAMBDA_MS = 15 * MINUTE;

const NEW_MODEL = 'openai.gpt-5.4';
const WATCHED = ['openai.gpt-oss-20b', 'anthropic.claude-sonnet-4-6', NEW_MODEL];
const T0 = Date.parse('2026-12-07T00:00:00Z');

const withoutNewModel = (base: Scenario): Scenario => ({
  ...base,
  models: base.models.filter((m) => m.key !== NEW_MODEL),
});

/** Each call spends its latency on `clock`; calls started together end together (they overlap). */
const onTheClock =
  (clock: { t: number }) =>
  (inner: Prober): Prober => {
    const warm = new Set<string>();
    return async (req, signal) => {
      const start = clock.t;
      const cold = req.endpoint === 'mantle' && !warm.has(req.modelKey);
      if (req.endpoint === 'mantle') warm.add(req.modelKey);
      const observation = await inner({ ...req, timeoutMs: 10_000 }, signal);
      clock.t = Math.max(clock.t, start + (cold ? MANTLE_COLD_MS : CALL_MS));
      return observation;
    };
  };

const iso = (ms: number): string => new Date(ms).toISOString();

let baseTable: Promise<string> | undefined;

/** The prober and home on `table`, on `clock`. */
const harnessOn = (table: string, clock: { t: number }) =>
  world.handlerOn(table, { include: WATCHED, now: () => new Date(clock.t), wrapProber: onTheClock(clock) });

/** A case's table: a copy of the one stored baseline sweep, made without the new model. */
async function caseWorld(prefix: string) {
  baseTable ??= (async () => {
    const table = await world.table('budget-base');
    world.sim.setScenario(withoutNewModel(world.tiny));
    const { prober } = await harnessOn(table, { t: T0 });
    await prober({ kind: 'sweep', scheduledTime: iso(T0) }, lambdaContext(LAMBDA_MS));
    return table;
  })();
  const table = await world.table(prefix);
  await world.copyTable(await baseTable, table);
  const clock = { t: T0 };
  return { clock, ...(await harnessOn(table, clock)) };
}

/**
 * The model arrives `offsetMs` into a sentinel period an hour after the baseline; the ticks run
 * until the home alerted it. Returns minutes from arrival to alert.
 */
async function detect(offsetMs: number, prefix: string): Promise<number> {
  const { clock, prober, notify, store, scope } = await caseWorld(prefix);
  const periodStart = T0 + 60 * MINUTE;
  const arrival = periodStart + offsetMs;
  world.sim.setScenario(world.tiny);
  sns.resetHistory();
  for (let tick = periodStart + SENTINEL_PERIOD; tick < arrival + 30 * MINUTE; tick += SENTINEL_PERIOD) {
    clock.t = Math.max(clock.t, tick);
    await prober({ kind: 'sentinel', scheduledTime: iso(tick) }, lambdaContext(LAMBDA_MS));
    clock.t += STREAM_MS;
    await notify();
    if (sns.commandCalls(PublishCommand).length > 0) break;
  }
  const confirmed = await store.loadConfirmed(scope);
  expect([...confirmed.cells.values()].some((c) => c.model === NEW_MODEL && c.variant === 'basic')).toBe(
    true,
  );
  const [alert] = sns.commandCalls(PublishCommand);
  expect(String(alert?.args[0].input.Message)).toContain(NEW_MODEL);
  return (clock.t - arrival) / MINUTE;
}

describe('a new model on the simulated clock', () => {
  it('has its stored matrix and its alert within 10 minutes, at worst and at the median of the period', async () => {
    // Prepare: arrivals spread over one sentinel period (just after a tick ... just before the next)
    const offsets = [1_000, 100_000, 200_000, 299_000];

    // Act
    const minutes: number[] = [];
    for (const [i, offset] of offsets.entries()) minutes.push(await detect(offset, `budget-${i}`));

    // Assess
    const sorted = [...minutes].sort((a, b) => a - b);
    const median = (sorted[1]! + sorted[2]!) / 2;
    expect(Math.max(...minutes)).toBeLessThanOrEqual(10);
    expect(median).toBeLessThanOrEqual(5);
  });
});
