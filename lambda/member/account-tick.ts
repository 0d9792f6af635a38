/**
 * A member's account-facts tick (every ACCOUNT_TICK_MINUTES): read the free control-plane answers
 * that differ per account (GetFoundationModelAvailability per listed model,
 * ListEnforcedGuardrailsConfiguration), compare them with what the home already has (what the bus
 * last accepted), probe only the models whose facts moved (their basic and guardrail cells), and
 * send what moved, a daily snapshot, or else a heartbeat. Nothing is lost: the member moves its
 * "sent" state only past what the bus accepted, so a change that could not be sent is found and
 * sent again by the next tick; the home stores a repeat once (state-based events).
 */
import pLimit from 'p-limit';
import { bounded, errorText } from '../adapters/bounded';
import type { EnforcedGuardrail, Scope } from '../core/model';
import { isTransient } from '../core/model';
import {
  availabilityVerdict,
  failedAvailability,
  readAvailability,
  sameAvailability,
} from '../core/org/availability';
import { accountFactsEvents, heartbeatEvent, type MemberEvent } from '../core/org/events';
import type { AccountFacts, AccountProbe, ModelAvailability } from '../core/org/types';
import { scrubDeep } from '../core/scrub';
import type { Logger } from '../logger';
import { HEARTBEAT_MINUTES, SNAPSHOT_HOURS } from '../shared/org-names';
import type { MemberDeps } from './ports';

/** Models probed in one tick at most: the others stay unsent and are probed by the next ticks. */
export const MAX_PROBED_MODELS = 4;
/** GetFoundationModelAvailability calls in flight (a region lists ~100 models). */
const AVAILABILITY_CONCURRENCY = 8;

export interface AccountTickInput {
  readonly scope: Scope;
  readonly at: Date;
  /**
   * The models the region's catalogs list, each with its ListFoundationModels `modelId` (the ID
   * GetFoundationModelAvailability takes), null for a model only a profile or mantle lists.
   */
  readonly models: readonly { readonly key: string; readonly foundationModelId: string | null }[];
  /** Probes the basic and guardrail cells of these models in this account. */
  readonly probe: (models: readonly string[]) => Promise<AccountProbe[]>;
  readonly dependencyTimeoutMs: number;
  readonly log: Logger;
}

export interface AccountTickOutcome {
  readonly changedModels: readonly string[];
  readonly probedModels: readonly string[];
  readonly sent: number;
  readonly failed: number;
}

export async function accountTick(deps: MemberDeps, input: AccountTickInput): Promise<AccountTickOutcome> {
  const { scope, at, log } = input;
  const now = at.toISOString();
  const state = await deps.state.loadMemberState(scope);
  const sent = state.sent;
  const facts = keepKnown(await readFacts(deps, input), sent);
  const moved = facts.availability.filter((a) => !sameAvailability(sent?.availability[a.model], a));
  const gone = Object.keys(sent?.availability ?? {}).filter(
    (m) => !facts.availability.some((a) => a.model === m),
  );
  const enforcedMoved =
    facts.enforced !== null && JSON.stringify(facts.enforced) !== JSON.stringify(sent?.enforced ?? null);
  // A model is probed when its facts moved, or when this account never probed it: the first ticks
  // after deployment probe a few models each, so no model's cell rests on the region fact alone.
  const offered = facts.availability.filter((a) => availabilityVerdict(a).access !== 'not-offered');
  const due = [
    ...(sent === null ? [] : moved.filter((a) => offered.includes(a))),
    ...offered.filter((a) => sent?.probes[a.model] === undefined),
  ].map((a) => a.model);
  const toProbe = [...new Set(due)].slice(0, MAX_PROBED_MODELS);
  // Scrubbed where they enter: they go to the member table and the bus from here.
  const probes = toProbe.length > 0 ? scrubDeep(await input.probe(toProbe)) : [];
  const changed = facts.availability.filter((a) => moved.includes(a) || toProbe.includes(a.model));

  const events: { event: MemberEvent; models: readonly string[]; snapshot: boolean }[] = [];
  const base = {
    v: 1 as const,
    account: scope.account,
    region: scope.region,
    at: now,
    enforced: facts.enforced,
  };
  if (isDue(state.lastSnapshot, SNAPSHOT_HOURS * 60, at)) {
    // The daily snapshot: every model, with what is known of its probes (a moved model's old
    // probes no longer hold). It carries this tick's changes too.
    const stale = new Set([...toProbe, ...moved.map((a) => a.model)]);
    const known = Object.values({ ...sent?.probes })
      .flat()
      .filter((p) => !stale.has(p.model));
    const body = { ...base, kind: 'account-facts' as const, snapshot: true, gone };
    for (const event of accountFactsEvents(body, facts.availability, [...known, ...probes])) {
      events.push({ event, models: modelsOf(event), snapshot: true });
    }
  } else if (changed.length > 0 || gone.length > 0 || enforcedMoved) {
    const body = { ...base, kind: 'account-facts' as const, snapshot: false, gone };
    for (const event of accountFactsEvents(body, changed, probes)) {
      events.push({ event, models: modelsOf(event), snapshot: false });
    }
  }
  if (events.length === 0 && isDue(state.lastEvent, HEARTBEAT_MINUTES, at)) {
    const { enforced: _enforced, ...beat } = base;
    const event = heartbeatEvent({ ...beat, kind: 'heartbeat', role: deps.role });
    events.push({ event, models: [], snapshot: false });
  }
  if (events.length === 0) return { changedModels: [], probedModels: toProbe, sent: 0, failed: 0 };

  const result = await deps.send(events.map((e) => e.event));
  const accepted = new Set(result.accepted);
  for (const f of result.failures)
    log.warn('member event not accepted (sent again next tick)', { failure: f });
  const done = events.filter((e) => accepted.has(e.event.detail.id));
  if (done.length > 0) {
    const tick = { accepted: done.flatMap((e) => e.models), moved, probed: toProbe, probes, gone };
    const next = advance(sent, facts, tick, scope, now);
    if (JSON.stringify(next) !== JSON.stringify(sent)) await deps.state.saveSentFacts(scope, next);
    const snapshots = events.filter((e) => e.snapshot);
    const snapshotSent = snapshots.length > 0 && snapshots.every((e) => accepted.has(e.event.detail.id));
    await deps.state.saveSendTimes(scope, {
      lastEvent: now,
      lastSnapshot: snapshotSent ? now : state.lastSnapshot,
      lastRegionSnapshot: state.lastRegionSnapshot,
    });
  }
  const failed = events.length - done.length;
  log.info('account facts', {
    region: scope.region,
    moved: moved.map((a) => a.model),
    probed: toProbe,
    gone,
    sent: done.length,
    failed,
  });
  return { changedModels: changed.map((a) => a.model), probedModels: toProbe, sent: done.length, failed };
}

async function readFacts(
  deps: MemberDeps,
  input: AccountTickInput,
): Promise<{ availability: ModelAvailability[]; enforced: EnforcedGuardrail[] | null }> {
  const limit = pLimit(AVAILABILITY_CONCURRENCY);
  const ms = input.dependencyTimeoutMs;
  const availability = await Promise.all(
    input.models.map((m) =>
      limit(async (): Promise<ModelAvailability> => {
        const id = m.foundationModelId;
        if (!id) {
          // No ListFoundationModels entry: nothing to ask; only a probe can tell this account's access.
          return failedAvailability(m.key, 'not in ListFoundationModels: no availability to read');
        }
        try {
          return readAvailability(
            m.key,
            await bounded('GetFoundationModelAvailability', ms, (signal) => deps.availability(id, signal)),
          );
        } catch (err) {
          return failedAvailability(m.key, `GetFoundationModelAvailability: ${errorText(err)}`);
        }
      }),
    ),
  );
  let enforced: EnforcedGuardrail[] | null;
  try {
    const listed = await bounded('ListEnforcedGuardrailsConfiguration', ms, () => deps.enforcedGuardrails());
    enforced = listed.map((g) => ({ ...g, region: input.scope.region }));
  } catch (err) {
    input.log.warn('ListEnforcedGuardrailsConfiguration failed', { error: errorText(err) });
    enforced = null;
  }
  return { availability: scrubDeep(availability.sort((a, b) => a.model.localeCompare(b.model))), enforced };
}

/**
 * The facts the home now has: the accepted models' new availability over the old; their probes
 * when this tick probed them decisively; a moved model not probed yet loses its old probes (taken
 * under another availability) so a later tick probes it; `gone` models dropped.
 */
function advance(
  sent: AccountFacts | null,
  facts: { availability: readonly ModelAvailability[]; enforced: EnforcedGuardrail[] | null },
  tick: {
    readonly accepted: readonly string[];
    readonly moved: readonly ModelAvailability[];
    readonly probed: readonly string[];
    readonly probes: readonly AccountProbe[];
    readonly gone: readonly string[];
  },
  scope: Scope,
  at: string,
): AccountFacts {
  const availability: Record<string, ModelAvailability> = { ...sent?.availability };
  const probeMap: Record<string, readonly AccountProbe[]> = { ...sent?.probes };
  for (const model of tick.accepted) {
    const a = facts.availability.find((x) => x.model === model);
    if (a) availability[model] = a;
    const own = tick.probes.filter((p) => p.model === model);
    if (tick.probed.includes(model) && !own.some((p) => isTransient(p.status))) probeMap[model] = own;
    else if (tick.moved.some((m) => m.model === model)) delete probeMap[model];
  }
  for (const model of tick.gone) {
    delete availability[model];
    delete probeMap[model];
  }
  return {
    account: scope.account,
    region: scope.region,
    at,
    availability,
    enforced: facts.enforced ?? sent?.enforced ?? null,
    probes: probeMap,
  };
}

/**
 * A failed availability call says nothing about the model: the home keeps what it last had, so a
 * throttled call neither flaps into an event nor spends probes. A model never read yet keeps the
 * failure as its evidence (the home shows it `unknown`).
 */
function keepKnown<T extends { availability: ModelAvailability[] }>(facts: T, sent: AccountFacts | null): T {
  const availability = facts.availability.map((a) => {
    const known = sent?.availability[a.model];
    return a.error !== undefined && a.authorization === null && a.agreement === null && known ? known : a;
  });
  return { ...facts, availability };
}

const modelsOf = (event: MemberEvent): string[] =>
  event.detail.kind === 'account-facts' ? event.detail.availability.map((a) => a.model) : [];

const isDue = (last: string | null, minutes: number, at: Date): boolean =>
  last === null || at.getTime() - Date.parse(last) >= minutes * 60_000 - 30_000;
