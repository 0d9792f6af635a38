import { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { drifted } from '../support/drift';
import { alertedChanges, type DynamoFault, lambdaContext, useFaultWorld } from './support';

// Nothing lost: a drift run is interrupted at each step of its write order (home's DynamoDB "dies"
// at that call: the region cannot reach home) or the home's alert is refused, then the schedule
// retries the same slot. Every confirmed change must end up stored exactly once and carried by one
// alert from home; the next slot must find nothing left.

const world = useFaultWorld();
const { sns } = world;

const EXPECTED = ['openai.gpt-oss-20b/basic', 'openai.gpt-oss-20b/guardrail'];
const SLOT = { base: '2026-11-25T10:00:00Z', drift: '2026-11-25T11:00:00Z', next: '2026-11-25T12:00:00Z' };

interface Step {
  readonly name: string;
  readonly dynamo?: DynamoFault;
  readonly snsFails?: boolean;
  /** SNS accepted before the failure: the retry sends that alert once more (at least once). */
  readonly resent?: boolean;
  /** The prober's run finished before the failure (home's notifier failed): the retry only lets home alert, without probing. */
  readonly alertStage?: boolean;
}

const STEPS: readonly Step[] = [
  { name: 'the run record at the start', dynamo: { command: 'BatchWriteItemCommand', pk: 'RUNS#' } },
  { name: 'the history of the cells', dynamo: { command: 'BatchWriteItemCommand', pk: 'CELL#' } },
  {
    name: 'the change events and their outbox items',
    dynamo: { command: 'BatchWriteItemCommand', pk: 'OUTBOX#', deletes: false },
  },
  { name: 'the first confirmed cell', dynamo: { command: 'PutItemCommand', pk: 'STATE#' } },
  // The drift run writes its two changed cells (unchanged cells seen within the day are not
  // rewritten), then the models: the 2nd write is the second cell, after the first went through.
  { name: 'the confirmed state, midway', dynamo: { command: 'PutItemCommand', pk: 'STATE#', nth: 2 } },
  { name: 'the final run record', dynamo: { command: 'BatchWriteItemCommand', pk: 'RUNS#', nth: 2 } },
  {
    name: 'reading the outbox for the alert',
    dynamo: { command: 'QueryCommand', pk: 'OUTBOX#', nth: 2 },
    alertStage: true,
  },
  { name: 'the SNS publish of the alert', snsFails: true, alertStage: true },
  {
    name: 'emptying the outbox after SNS accepted',
    dynamo: { command: 'BatchWriteItemCommand', pk: 'OUTBOX#', deletes: true },
    resent: true,
    alertStage: true,
  },
];

let baseline: Promise<string> | undefined;

/** The table of a stored baseline run, made once by the first test that needs it. */
const baselineTable = (): Promise<string> =>
  (baseline ??= (async () => {
    const { handler, table } = await world.faultyHandler('faults-baseline');
    await handler({ scheduledTime: SLOT.base }, lambdaContext());
    return table;
  })());

/**
 * A handler on a fresh table whose DynamoDB can be made to fail, holding the stored baseline (a copy
 * of the one baseline run, item for item), then the drift.
 */
async function driftAfterBaseline() {
  const base = await baselineTable();
  const { faulty, handler, store, table, scope } = await world.faultyHandler('faults');
  await world.copyTable(base, table);
  world.sim.setScenario(drifted(world.tiny));
  return { faulty, handler, store, scope };
}

describe('a drift run interrupted at each write step, then retried', () => {
  it.each(STEPS)('loses no change when it fails at $name', async (step) => {
    // Prepare: a baseline, then the surface drifts and the next slot's first attempt fails at `step`
    const { faulty, handler, store, scope } = await driftAfterBaseline();
    if (step.dynamo) faulty.arm(step.dynamo);
    if (step.snsFails) {
      sns
        .on(PublishCommand)
        .rejectsOnce(new Error('SNS: Throttling: Rate exceeded'))
        .resolves({ MessageId: 'm-2' });
    }

    // Act
    const first = await handler({ scheduledTime: SLOT.drift }, lambdaContext()).then(
      () => 'succeeded',
      (err: Error) => err.message,
    );
    const retry = await handler({ scheduledTime: SLOT.drift }, lambdaContext());
    const next = await handler({ scheduledTime: SLOT.next }, lambdaContext());

    // Assess
    expect(faulty.fired + (step.snsFails ? 1 : 0)).toBe(1);
    // A failure of home's notifier is not the prober's: the run itself succeeded.
    expect(first).toMatch(step.alertStage ? /succeeded/ : /failed|failures/);
    const stored = await store.changesSince(scope, '2026-11-25T00:00:00Z');
    expect(stored.map((c) => `${c.model}/${c.variant}`).sort()).toEqual(EXPECTED);
    const accepted = alertedChanges(sns).filter((_, i) => !(step.snsFails && i === 0));
    expect(accepted).toEqual(step.resent ? [EXPECTED, EXPECTED] : [EXPECTED]);
    expect(await store.pendingAlerts(scope)).toEqual([]);
    if (step.alertStage) expect(retry).toMatchObject({ skipped: expect.stringMatching(/already finished/) });
    else expect(retry.skipped).toBeUndefined();
    expect(next).toMatchObject({ changes: 0 });
  });
});

describe('a drift run interrupted before its state moved, never retried', () => {
  it('is finished by the next slot: the changes stored once, one alert', async () => {
    // Prepare: the drift slot dies writing the confirmed state; its retry never comes
    const { faulty, handler, store, scope } = await driftAfterBaseline();
    faulty.arm({ command: 'PutItemCommand', pk: 'STATE#' });
    await handler({ scheduledTime: SLOT.drift }, lambdaContext()).catch(() => undefined);

    // Act
    const next = await handler({ scheduledTime: SLOT.next }, lambdaContext());

    // Assess: the next slot saw the same drift, found it already stored, and alerted it once
    expect(faulty.fired).toBe(1);
    expect(next).toMatchObject({ changes: 0 });
    const stored = await store.changesSince(scope, '2026-11-25T00:00:00Z');
    expect(stored.map((c) => `${c.model}/${c.variant}`).sort()).toEqual(EXPECTED);
    expect(alertedChanges(sns)).toEqual([EXPECTED]);
  });
});
