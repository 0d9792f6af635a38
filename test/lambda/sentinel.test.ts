import { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../simulator/types';
import { lambdaContext, useFaultWorld } from '../faults/support';

// The sentinel of one region end to end: the prober's sentinel ticks, targeted runs and queue on the
// simulator and the home table on DynamoDB Local, the home's notifier after each run (SNS mocked).

const world = useFaultWorld();
const { sns } = world;

const NEW_MODEL = 'openai.gpt-5.4';
const WATCHED = ['openai.gpt-oss-20b', NEW_MODEL];
const T = { base: '2026-12-07T00:00:00Z', tick1: '2026-12-07T00:05:00Z', tick2: '2026-12-07T00:10:00Z' };

/** `tiny` before the model arrived. */
const withoutNewModel = (base: Scenario): Scenario => ({
  ...base,
  models: base.models.filter((m) => m.key !== NEW_MODEL),
});

/** Inference calls since `from` in the simulator's log, by model ID (catalog listings excluded). */
const inferenceSince = (from: number): string[] =>
  world.sim.world.calls.slice(from).flatMap((c) => (c.modelId && c.host !== 'control' ? [c.modelId] : []));

let baseTable: Promise<string> | undefined;

/** The prober and home on `table`, watching WATCHED. */
const harnessOn = (table: string) => world.handlerOn(table, { include: WATCHED });

/** The prober and home on a new table holding a copy of the one baseline sweep, made without the new model. */
async function baseline(prefix: string) {
  world.sim.setScenario(withoutNewModel(world.tiny));
  baseTable ??= (async () => {
    const table = await world.table('sentinel-base');
    await (await harnessOn(table)).handler({ kind: 'sweep', scheduledTime: T.base }, lambdaContext());
    return table;
  })();
  const table = await world.table(prefix);
  await world.copyTable(await baseTable, table);
  return harnessOn(table);
}

describe('the sentinel', () => {
  it('probes nothing when the catalogs did not move, and leaves its heartbeat at home', async () => {
    // Prepare
    const { handler, store, scope } = await baseline('sentinel-idle');
    const before = world.sim.world.calls.length;

    // Act
    const tick = await handler({ kind: 'sentinel', scheduledTime: T.tick1 }, lambdaContext());

    // Assess
    expect(tick).toMatchObject({ kind: 'sentinel', probesSent: 0, skipped: 'catalogs unchanged' });
    expect(inferenceSince(before)).toEqual([]);
    expect((await store.loadSentinel(scope)).lastTick).not.toBeNull();
  });

  it('gives a new model its whole matrix in a targeted run of it alone, alerted by home once', async () => {
    // Prepare: the model arrives after the baseline sweep
    const { handler, store, scope } = await baseline('sentinel-new');
    world.sim.setScenario(world.tiny);
    sns.resetHistory();
    const before = world.sim.world.calls.length;

    // Act
    const tick = await handler({ kind: 'sentinel', scheduledTime: T.tick1 }, lambdaContext());
    const probed = inferenceSince(before);
    const next = await handler({ kind: 'sentinel', scheduledTime: T.tick2 }, lambdaContext());

    // Assess
    expect(tick).toMatchObject({ kind: 'targeted', models: [NEW_MODEL], partial: false });
    expect(probed.length).toBeGreaterThan(0);
    expect(new Set(probed.map((id) => id.replace(/^(us|global)\./, '')))).toEqual(new Set([NEW_MODEL]));
    const [run] = await store.listRuns(scope, { limit: 1 });
    expect(run).toMatchObject({ kind: 'targeted', outcome: 'completed' });
    const confirmed = await store.loadConfirmed(scope);
    expect([...confirmed.cells.values()].some((c) => c.model === NEW_MODEL && c.status === 'supported')).toBe(
      true,
    );
    const alerts = sns.commandCalls(PublishCommand).map((c) => String(c.args[0].input.Message));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain(NEW_MODEL);
    expect(next).toMatchObject({ kind: 'sentinel', skipped: 'catalogs unchanged' });
  });

  it('re-checks a model that left the catalogs at once, and home alerts its removal', async () => {
    // Prepare: gpt-oss-20b leaves every catalog after the baseline sweep
    const { handler, store, scope } = await baseline('sentinel-gone');
    world.sim.setScenario({
      ...withoutNewModel(world.tiny),
      models: withoutNewModel(world.tiny).models.filter((m) => m.key !== WATCHED[0]),
    });
    sns.resetHistory();

    // Act
    const tick = await handler({ kind: 'sentinel', scheduledTime: T.tick1 }, lambdaContext());

    // Assess
    expect(tick).toMatchObject({ kind: 'targeted', models: [WATCHED[0]] });
    const removed = await store.changesSince(scope, T.base);
    expect(removed.filter((c) => c.kind === 'model-removed').map((c) => c.model)).toContain(WATCHED[0]);
    const alerts = sns.commandCalls(PublishCommand).map((c) => String(c.args[0].input.Message));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain(WATCHED[0]);
  });

  it('does not believe a listing far smaller than the last stored one, and probes nothing on its word', async () => {
    // Prepare: the catalogs suddenly list one model of the seven (a bad answer, not an exodus)
    const { handler, store, scope } = await baseline('sentinel-shrunk');
    world.sim.setScenario({ ...world.tiny, models: world.tiny.models.filter((m) => m.key === WATCHED[0]) });
    const before = world.sim.world.calls.length;

    // Act
    const tick = await handler({ kind: 'sentinel', scheduledTime: T.tick1 }, lambdaContext());

    // Assess
    expect(tick).toMatchObject({ kind: 'sentinel', probesSent: 0 });
    expect(tick.skipped).toMatch(/^a catalog is not usable: ListFoundationModels: listed 1 models where/);
    expect(inferenceSince(before)).toEqual([]);
    expect((await store.loadSentinel(scope)).queued).toEqual([]);
  });

  it('queues a run that finds the region busy, and the next tick runs it', async () => {
    // Prepare: another invocation holds the region's lease
    const { handler, store, scope } = await baseline('sentinel-busy');
    const now = Date.now();
    await store.acquireLease(scope, 'someone-else', now, now + 600_000);

    // Act
    const busy = await handler({ kind: 'sweep', scheduledTime: T.tick1 }, lambdaContext());
    const queued = (await store.loadSentinel(scope)).queued;
    await store.releaseLease(scope, 'someone-else');
    const tick = await handler({ kind: 'sentinel', scheduledTime: T.tick2 }, lambdaContext());

    // Assess
    expect(busy).toMatchObject({ kind: 'sweep', probesSent: 0, skipped: expect.stringMatching(/^queued/) });
    expect(queued).toMatchObject([{ kind: 'sweep', models: [] }]);
    expect(tick).toMatchObject({ kind: 'sweep', partial: false });
    expect(tick.probesSent).toBeGreaterThan(0);
    expect((await store.loadSentinel(scope)).queued).toEqual([]);
  });

  it('runs a targeted request queued during a sweep before the sweep lets the region go', async () => {
    // Prepare: the model arrived and a tick queued its run while the sweep held the region
    const { handler, store, scope } = await baseline('sentinel-merge');
    world.sim.setScenario(world.tiny);
    await store.queueRun(scope, { id: 'tick-1', kind: 'targeted', models: [NEW_MODEL], at: T.tick1 });

    // Act
    const sweep = await handler({ kind: 'sweep', scheduledTime: T.tick2 }, lambdaContext(900_000));

    // Assess
    expect(sweep).toMatchObject({ kind: 'sweep', partial: false });
    const runs = await store.listRuns(scope, { limit: 5 });
    expect(runs.map((r) => r.kind)).toEqual(['targeted', 'sweep', 'sweep']);
    expect((await store.loadSentinel(scope)).queued).toEqual([]);
  });

  it('refuses an event of an unknown kind with one line', async () => {
    // Prepare
    const { prober } = await baseline('sentinel-kind');

    // Act
    const run = prober({ kind: 'full' }, lambdaContext());

    // Assess
    await expect(run).rejects.toThrow(
      'unknown run kind "full" (expected sweep, targeted, sentinel, account)',
    );
  });
});
