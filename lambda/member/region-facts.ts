/**
 * A probe account's region facts, sent home: after a run stored its confirmed changes in the
 * member table's outbox, the confirmed basic and guardrail cells of every model they touched go
 * home as `Region Facts` events, and the outbox items are taken out only once the bus accepted
 * every part (the home's stream does this in a single-account deployment). Once a day the whole
 * confirmed matrix goes too, so the home heals from anything it missed.
 */
import type { Scope } from '../core/model';
import { factOf, isFactVariant } from '../core/org/combine';
import { regionFactsEvents } from '../core/org/events';
import type { RegionFactCell } from '../core/org/types';
import type { ConfirmedState, RunStore } from '../core/ports';
import type { Logger } from '../logger';
import { SNAPSHOT_HOURS } from '../shared/org-names';
import type { MemberDeps } from './ports';

export interface RegionFactsOutcome {
  readonly models: number;
  readonly sent: number;
  readonly failed: number;
}

/** Sends what the outbox holds (and the daily snapshot when due); a no-op when there is neither. */
export async function sendRegionFacts(
  deps: MemberDeps,
  store: RunStore,
  scope: Scope,
  at: Date,
  log: Logger,
): Promise<RegionFactsOutcome> {
  const state = await deps.state.loadMemberState(scope);
  const pending = await store.pendingAlerts(scope);
  const snapshot =
    state.lastRegionSnapshot === null ||
    at.getTime() - Date.parse(state.lastRegionSnapshot) >= SNAPSHOT_HOURS * 3_600_000;
  if (pending.length === 0 && !snapshot) return { models: 0, sent: 0, failed: 0 };

  const confirmed = await store.loadConfirmed(scope);
  const touched = new Set(pending.map((p) => p.change.model));
  const models = snapshot ? new Set([...confirmed.models.keys(), ...touched]) : touched;
  const removed = [...models].filter((m) => !confirmed.models.has(m)).sort();
  const cells = factCells(confirmed, models);
  const runId = pending.at(-1)?.runId ?? 'snapshot';
  const events = regionFactsEvents(
    {
      v: 1,
      kind: 'region-facts',
      account: scope.account,
      region: scope.region,
      at: at.toISOString(),
      snapshot,
      runId,
      removed,
      notices: pending.filter((p) => p.change.kind === 'retirement-notice').map((p) => p.change),
    },
    cells,
  );
  const result = await deps.send(events);
  const accepted = new Set(result.accepted);
  const all = events.every((e) => accepted.has(e.detail.id));
  for (const f of result.failures)
    log.warn('region facts not accepted (sent again next tick)', { failure: f });
  if (all) {
    // Only when every part arrived: a part missing would leave the home without those models.
    if (pending.length > 0)
      await store.markAlerted(
        scope,
        pending.map((p) => p.id),
      );
    if (snapshot) {
      await deps.state.saveSendTimes(scope, {
        lastEvent: at.toISOString(),
        lastSnapshot: state.lastSnapshot,
        lastRegionSnapshot: at.toISOString(),
      });
    }
  }
  log.info('region facts', {
    region: scope.region,
    models: models.size,
    snapshot,
    sent: accepted.size,
    failed: events.length - accepted.size,
  });
  return { models: models.size, sent: accepted.size, failed: events.length - accepted.size };
}

/** The confirmed basic and guardrail cells of these models, as the home reads them. */
function factCells(confirmed: ConfirmedState, models: ReadonlySet<string>): RegionFactCell[] {
  return [...confirmed.cells.values()]
    .filter((c) => models.has(c.model) && isFactVariant(c))
    .map((c) => ({ ...factOf(c), since: c.since }))
    .sort((a, b) =>
      `${a.model}|${a.endpoint}|${a.api}|${a.variant}`.localeCompare(
        `${b.model}|${b.endpoint}|${b.api}|${b.variant}`,
      ),
    );
}
