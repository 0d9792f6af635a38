import { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../lambda/core/render/table';
import { renderMatrixWidget } from '../../lambda/core/render/widget';
import { readStoredRegion, storedReport } from '../../lambda/core/stored-report';
import type { Scenario } from '../../simulator/types';
import { lambdaContext, useFaultWorld } from './support';

// A model the catalog marks LEGACY, with an end-of-life date inside the notice window: every
// report names it, and the team hears of each date exactly once, however many runs follow and
// wherever a run is cut short.

const world = useFaultWorld();
const { sns } = world;

const MODEL = 'openai.gpt-oss-20b';
const SLOTS = ['2026-11-25T10:00:00Z', '2026-11-25T11:00:00Z', '2026-11-25T12:00:00Z'];

/** world.tiny, with gpt-oss-20b LEGACY now and at end of life in 20 days. */
const retiring = (): Scenario => ({
  ...world.tiny,
  models: world.tiny.models.map((m) =>
    m.key === MODEL && m.runtime
      ? { ...m, runtime: { ...m.runtime, lifecycle: 'LEGACY', endOfLifeTime: 'P20D' } }
      : m,
  ),
});

/** The retirement notices every accepted SNS Publish carried, as their keys. */
function alertedNotices(): string[] {
  return sns.commandCalls(PublishCommand).flatMap((call) => {
    const body = JSON.parse(call.args[0].input.Message ?? '{}') as { sqs?: string };
    const machine = JSON.parse(body.sqs ?? '{}') as {
      changes?: { kind?: string; severity?: string; notice?: { key: string } }[];
    };
    return (machine.changes ?? [])
      .filter((c) => c.kind === 'retirement-notice')
      .map((c) => `${c.severity} ${c.notice?.key}`);
  });
}

async function retiringWorld() {
  world.sim.setScenario(retiring());
  return world.faultyHandler('retire');
}

const EOL_DAY = (): string => new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);

describe('a retirement notice', () => {
  it('is alerted once, LOW, across three runs, and the stored matrix and the dashboard widget show it', async () => {
    // Prepare
    const { handler, store, scope } = await retiringWorld();

    // Act
    for (const slot of SLOTS) await handler({ scheduledTime: slot }, lambdaContext());
    const stored = await readStoredRegion(store, scope);
    const report = storedReport([stored]);

    // Assess
    expect(alertedNotices()).toEqual([`low ${MODEL}|end-of-life|${EOL_DAY()}`]);
    const line = `${MODEL} reaches end of life and stops answering on ${EOL_DAY()}`;
    expect(renderTable(report, { color: false })).toContain(line);
    expect(renderMatrixWidget(stored)).toContain(`Retirement notice: ${line}`);
  });

  it('is alerted once when the run that found it is cut short before the store remembered it', async () => {
    // Prepare: DynamoDB fails at the first confirmed-state write, after the change and its
    // outbox item were stored.
    const { faulty, handler } = await retiringWorld();
    faulty.arm({ command: 'PutItemCommand', pk: 'STATE#' });

    // Act
    const first = await handler({ scheduledTime: SLOTS[0] }, lambdaContext()).then(
      () => 'succeeded',
      (err: Error) => err.message,
    );
    for (const slot of SLOTS) await handler({ scheduledTime: slot }, lambdaContext());

    // Assess
    expect(faulty.fired).toBe(1);
    expect(first).toMatch(/failed|failures/);
    expect(alertedNotices()).toEqual([`low ${MODEL}|end-of-life|${EOL_DAY()}`]);
  });
});
