import { describe, expect, it } from 'vitest';
import { MemoryStore, type MemoryStoreOptions, type StoreStep } from '../../../lambda/adapters/store';
import { cellId, type Scope } from '../../../lambda/core/model';
import type { ConfirmedState } from '../../../lambda/core/ports';
import { type PipelineOptions, runPipeline } from '../../../lambda/engine/pipeline';
import { FAKE_LIMITS, FAKE_PLAN, type FakeWorld, fakeWorld } from '../../support/fake-world';

// The pipeline's confirm and persist logic on the in-memory store and a fake Bedrock: fast, so
// every write step can fail in turn. The same story end to end through the handler, DynamoDB Local
// and the simulator is test/faults/persist-order.test.ts.

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const SCOPE: Scope = { account: ACCOUNT, region: REGION };
const SLOTS = ['2026-11-25T10:00:00.000Z', '2026-11-25T11:00:00.000Z', '2026-11-25T12:00:00.000Z'];
const A_CHAT = cellId({
  region: REGION,
  model: 'openai.a',
  endpoint: 'mantle',
  api: 'chat',
  variant: 'basic',
});

const options = (slot: number, confirmCount = 2): PipelineOptions => ({
  account: ACCOUNT,
  region: REGION,
  runId: `r${slot}`,
  startedAt: SLOTS[slot]!,
  source: 'simulator',
  confirmCount,
  plan: FAKE_PLAN,
  limits: FAKE_LIMITS,
  canary: 'BMX-CANARY-TEST',
});

const run = (world: FakeWorld, store: MemoryStore, slot: number, confirmCount?: number) =>
  runPipeline(options(slot, confirmCount), { loadCatalogs: world.loadCatalogs, prober: world.prober, store });

/** Fails the first operation `matches` picks, once; the store answers normally afterwards. */
function failOnce(matches: (op: string, pk: string) => boolean): MemoryStoreOptions['failOn'] {
  let fired = false;
  return (op, pk) => {
    if (fired || !matches(op, pk)) return null;
    fired = true;
    return new Error(`injected: ${op} (${pk}) failed`);
  };
}

describe('runPipeline on the in-memory store', () => {
  it('stores a baseline: the confirmed state, the finished run record, no change', async () => {
    // Prepare
    const world = fakeWorld(['openai.a', 'openai.b']);
    const store = new MemoryStore();

    // Act
    const result = await run(world, store, 0);

    // Assess
    const state = await store.loadConfirmed(SCOPE);
    expect(result).toMatchObject({ baseline: true, changes: [], storeFailure: null });
    expect(state.cells.get(A_CHAT)?.status).toBe('supported');
    // 2 mantle Chat cells probed + 2 runtime Chat cells decided not-found (guardrail cells are transient).
    expect(state.cells.size).toBe(4);
    expect([...state.models.keys()].sort()).toEqual(['openai.a', 'openai.b']);
    expect(await store.getRun(SCOPE, 'r0')).toMatchObject({ outcome: 'completed', partial: false });
    expect(await store.pendingAlerts(SCOPE)).toEqual([]);
  });

  it('confirms a drift with confirmCount re-probes and records it once, in the outbox too', async () => {
    // Prepare
    const world = fakeWorld(['openai.a', 'openai.b']);
    const store = new MemoryStore();
    await run(world, store, 0, 3);
    world.deny('openai.a');
    const before = world.calls();

    // Act
    const result = await run(world, store, 1, 3);

    // Assess
    expect(result.changes.map((c) => [c.model, c.from, c.to])).toEqual([
      ['openai.a', 'supported', 'no-access'],
    ]);
    // Two first probes, then three re-probes of the one candidate.
    expect(world.calls() - before).toBe(2 + 3);
    expect((await store.loadConfirmed(SCOPE)).cells.get(A_CHAT)).toMatchObject({
      status: 'no-access',
      since: SLOTS[1],
    });
    expect((await store.pendingAlerts(SCOPE)).map((p) => p.change.model)).toEqual(['openai.a']);
  });

  it('records nothing when the drift does not hold on a re-probe', async () => {
    // Prepare
    const world = fakeWorld(['openai.a', 'openai.b']);
    const store = new MemoryStore();
    await run(world, store, 0);
    world.deny('openai.a', 1);

    // Act
    const result = await run(world, store, 1);

    // Assess
    expect(result.changes).toEqual([]);
    expect((await store.loadConfirmed(SCOPE)).cells.get(A_CHAT)?.status).toBe('supported');
    expect(await store.changesSince(SCOPE, SLOTS[0]!)).toEqual([]);
  });
});

interface FailingStep {
  readonly name: string;
  readonly matches: (op: string, pk: string) => boolean;
}

const step = (name: StoreStep): FailingStep => ({ name, matches: (op) => op === name });
const STEPS: readonly FailingStep[] = [
  step('startRun'),
  step('saveResults'),
  step('saveChanges'),
  {
    name: 'saveChanges, after the outbox item and before the change event',
    matches: (op, pk) => op === 'BatchWriteItem' && pk.startsWith('CHANGES#'),
  },
  step('saveConfirmed'),
  {
    name: 'saveConfirmed, after the first confirmed item',
    matches: (() => {
      let puts = 0;
      return (op: string) => op === 'PutItem' && ++puts === 2;
    })(),
  },
  step('finishRun'),
];

describe('a drift run whose store fails at one write step, then retried', () => {
  it.each(STEPS)('loses no change, stores none twice, never moves back: $name', async ({ name, matches }) => {
    // Prepare: a stored baseline, then the drift slot's first attempt fails at the step
    let failing = false;
    const once = failOnce((op, pk) => failing && matches(op, pk));
    const store = new MemoryStore({ failOn: once });
    const world = fakeWorld(['openai.a', 'openai.b']);
    const seen: ConfirmedState[] = [];
    const runAndLook = async (slot: number) => {
      const result = await run(world, store, slot);
      seen.push(await store.loadConfirmed(SCOPE));
      return result;
    };
    await runAndLook(0);
    world.deny('openai.a');
    failing = true;

    // Act
    const first = await runAndLook(1);
    failing = false;
    const retry = await runAndLook(1);
    const next = await runAndLook(2);

    // Assess
    expect(first.storeFailure, name).toMatch(/^injected: /);
    expect(retry.storeFailure).toBeNull();
    expect(next).toMatchObject({ changes: [], storeFailure: null });
    const stored = await store.changesSince(SCOPE, SLOTS[0]!);
    expect(stored.map((c) => [c.model, c.to])).toEqual([['openai.a', 'no-access']]);
    expect((await store.pendingAlerts(SCOPE)).map((p) => p.change.model)).toEqual(['openai.a']);
    expect(store.items().filter((i) => String(i.pk).startsWith('CHANGES#'))).toHaveLength(1);
    // The confirmed cell only ever moves forward: its last sighting never goes back in time.
    const sightings = seen.map((s) => s.cells.get(A_CHAT)?.lastSeen ?? '');
    expect([...sightings].sort()).toEqual(sightings);
    expect(seen.at(-1)?.cells.get(A_CHAT)).toMatchObject({ status: 'no-access', since: SLOTS[1] });
    expect(await store.getRun(SCOPE, 'r1')).toMatchObject({ outcome: 'completed' });
  });
});

describe('a drift run whose store dies between an outbox item and its change event, never retried', () => {
  it('has the change written to the history by the next slot, once', async () => {
    // Prepare: a stored baseline, then the drift slot dies inside saveChanges and is not retried
    let failing = false;
    const store = new MemoryStore({
      failOn: failOnce((op, pk) => failing && op === 'BatchWriteItem' && pk.startsWith('CHANGES#')),
    });
    const world = fakeWorld(['openai.a', 'openai.b']);
    await run(world, store, 0);
    world.deny('openai.a');
    failing = true;
    const first = await run(world, store, 1);
    failing = false;

    // Act
    const next = await run(world, store, 2);

    // Assess
    expect(first.storeFailure).toMatch(/^injected: /);
    expect(next.storeFailure).toBeNull();
    const stored = await store.changesSince(SCOPE, SLOTS[0]!);
    expect(stored.map((c) => [c.model, c.to])).toEqual([['openai.a', 'no-access']]);
    expect((await store.pendingAlerts(SCOPE)).map((p) => [p.change.model, p.runId])).toEqual([
      ['openai.a', 'r1'],
    ]);
  });
});

describe('a drift run whose store refuses one confirmed item', () => {
  it('still writes every other item and says what is pending', async () => {
    // Prepare: a stored baseline; the drift slot's second confirmed-state Put fails, once
    let failing = false;
    let puts = 0;
    const store = new MemoryStore({
      failOn: failOnce((op) => failing && op === 'PutItem' && ++puts === 2),
    });
    const world = fakeWorld(['openai.a', 'openai.b']);
    await run(world, store, 0);
    world.deny('openai.a');
    failing = true;

    // Act
    const first = await run(world, store, 1);

    // Assess
    const written =
      /^injected: PutItem \(STATE#123456789012#us-east-1\) failed \(1 of (\d+) items of this write not stored\); pending: the confirmed state did not fully move; 1 changes wait in the outbox and the next run finishes them$/.exec(
        first.storeFailure ?? '',
      );
    expect(written, String(first.storeFailure)).not.toBeNull();
    const moved = store
      .items()
      .filter((i) => String(i.pk).startsWith('STATE#') && i.lastRunStartedAt === SLOTS[1]);
    expect(moved).toHaveLength(Number(written?.[1]) - 1);
  });
});
