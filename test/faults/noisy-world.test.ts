import { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../lambda/adapters/store';
import { cellId } from '../../lambda/core/model';
import type { Fault, Scenario } from '../../simulator/types';
import { lambdaContext, useFaultWorld } from './support';

// Nothing false: one bad catalog answer, a proxy answering HTML to everything, or hours of heavy
// throttling and random 5xx on an unchanged surface must never become a confirmed change.

const world = useFaultWorld();
const { sns } = world;

const withFaults = (faults: readonly Fault[], seed = 7): Scenario => ({ ...world.tiny, seed, faults });

/**
 * Every model of the scenario, so catalogs and cells are judged at full size. These runs judge the
 * engine (catalog trust, classify, retry, confirm), not the store: they use the in-memory store,
 * which the store's contract suite holds to what DynamoDB Local does (the write-order and outage
 * suites run on DynamoDB Local).
 */
const handlerOn = (store: MemoryStore) => world.handlerOn('noise-in-memory', { include: [], store });

const slot = (hour: number): string => `2026-11-26T${String(hour).padStart(2, '0')}:00:00Z`;

let stored: Promise<MemoryStore> | undefined;

/** One stored baseline of the quiet scenario at slot 0, made by the first test that needs it. */
const baselineStore = (): Promise<MemoryStore> =>
  (stored ??= (async () => {
    const store = new MemoryStore();
    const { handler } = await handlerOn(store);
    await handler({ scheduledTime: slot(0) }, lambdaContext());
    return store;
  })());

/** The handler on a store holding a copy of the baseline, item for item. */
async function harness() {
  const base = await baselineStore();
  return handlerOn(new MemoryStore({ items: base.items() }));
}

describe('one bad catalog answer', () => {
  it.each([
    ['an empty mantle list', [{ type: 'empty-catalog', count: 1, match: { host: 'mantle' } }]],
    ['an empty ListFoundationModels', [{ type: 'empty-catalog', count: 1, match: { host: 'control' } }]],
    ['an HTML page from mantle', [{ type: 'garbage', body: 'html', count: 1, match: { host: 'mantle' } }]],
    [
      '{} from the control plane',
      [{ type: 'garbage', body: 'empty-object', count: 2, match: { host: 'control' } }],
    ],
  ] as const)('after %s, confirms no change', async (_name, faults) => {
    // Prepare
    const { handler, store, scope } = await harness();
    world.sim.setScenario(withFaults(faults as readonly Fault[]));

    // Act
    const bad = await handler({ scheduledTime: slot(2) }, lambdaContext());
    world.sim.setScenario(world.tiny);
    const after = await handler({ scheduledTime: slot(3) }, lambdaContext());

    // Assess
    expect(bad.changes).toBe(0);
    expect(after.changes).toBe(0);
    expect(await store.changesSince(scope, slot(0))).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('an endpoint answering HTTP 200 with an HTML page to everything', () => {
  it('yields error cells and a run with problems, never a change', async () => {
    // Prepare
    const { handler, store, logs, scope } = await harness();
    world.sim.setScenario(withFaults([{ type: 'garbage', body: 'html' }]));

    const before = await store.loadConfirmed(scope);

    // Act
    const bad = await handler({ scheduledTime: slot(5) }, lambdaContext());
    const run = await store.loadRun(scope, `sched-${slot(5)}`);
    const after = await store.loadConfirmed(scope);

    // Assess: no catalog answered, so nothing was probed and nothing believed moved
    expect(bad.changes).toBe(0);
    expect(run?.cells.filter((c) => c.status !== 'error' && c.status !== 'skipped')).toEqual([]);
    expect(
      logs.filter((l) => l.includes('run problem') && l.includes('not a model list')).length,
    ).toBeGreaterThan(0);
    expect([...after.cells.values()].map((c) => c.status)).toEqual(
      [...before.cells.values()].map((c) => c.status),
    );
    expect([...after.models.keys()]).toEqual([...before.models.keys()]);
    expect(await store.changesSince(scope, slot(0))).toEqual([]);
  });

  it('on the runtime host alone (catalogs fine), makes its probed cells error, not supported', async () => {
    // Prepare
    const { handler, store, scope } = await harness();
    world.sim.setScenario(withFaults([{ type: 'garbage', body: 'html', match: { host: 'runtime' } }]));

    // Act
    const bad = await handler({ scheduledTime: slot(7) }, lambdaContext());
    const run = await store.loadRun(scope, `sched-${slot(7)}`);

    // Assess
    expect(bad.changes).toBe(0);
    const runtime = run?.cells.filter((c) => c.endpoint === 'runtime' && c.evidence.httpStatus === 200) ?? [];
    expect(runtime.length).toBeGreaterThan(0);
    expect(runtime.filter((c) => c.status !== 'error')).toEqual([]);
  });
});

describe('20 runs of an unchanged surface under 50% throttling and 5% random 5xx (seeded)', () => {
  it('confirms no change, and a quiet run afterwards sees every cell as before', async () => {
    // Prepare: the stored baseline (one full run); then 20 noisy runs and a quiet one
    const { handler, store, scope } = await harness();
    const first = await store.loadRun(scope, `sched-${slot(0)}`);
    const baseline = new Map((first?.cells ?? []).map((c) => [cellId(c), c]));
    const noise: Fault[] = [
      { type: 'throttle', percent: 50 },
      { type: 'server-error', percent: 5 },
    ];

    // Act
    const changes: number[] = [];
    for (let run = 1; run <= 20; run++) {
      world.sim.setScenario(withFaults(noise, run));
      const outcome = await handler(
        { scheduledTime: `2026-11-27T${String(run).padStart(2, '0')}:00:00Z` },
        lambdaContext(),
      );
      changes.push(outcome.changes);
    }
    world.sim.setScenario(world.tiny);
    const quiet = await handler({ scheduledTime: '2026-11-27T23:00:00Z' }, lambdaContext());
    const last = await store.loadRun(scope, 'sched-2026-11-27T23:00:00Z');

    // Assess
    expect(changes).toEqual(Array(20).fill(0));
    expect(quiet.changes).toBe(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    const wrong = (last?.cells ?? []).filter((c) => {
      const before = baseline.get(cellId(c));
      return before !== undefined && before.status !== c.status;
    });
    expect(wrong).toEqual([]);
    expect(last?.cells.length).toBe(baseline.size);
  }, 600_000);
});
