/**
 * The organization's home (docs/organization.md "How it works"): what the home function does with
 * the members' events from the org bus, and on its watch tick.
 *
 * - **A member event**: the member's record (its last sign of life) moves on; account facts are
 *   merged into what the home has for that account and region; region facts from the region's
 *   probe account replace that region's facts of the models listed (from any other account they
 *   are that account's own probes). Then the org cells of what moved are recomputed (combine.ts)
 *   and each moved cell's change goes to the org outbox before the cell is written.
 * - **A watch tick**: members silent past the threshold are counted (the StaleMembers series, and
 *   StaleRegions for regions whose probe account is silent); the org outbox is grouped into one
 *   alert per change naming every account it touched, once the change has been quiet for a
 *   member tick (so the accounts that report a few minutes apart share one alert); account names
 *   and OUs are read from Organizations once a day.
 *
 * Every step is state-based: an event received twice finds nothing new to store the second time.
 */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { errorText } from '../adapters/bounded';
import { type Alert, buildAlert } from '../core/alert-message';
import { combine } from '../core/org/combine';
import type { AccountFactsDetail, MemberDetail, RegionFactsDetail } from '../core/org/events';
import { buildOrgAlert, groupOrgChanges, isGuardrailChange } from '../core/org/org-alert';
import { type BusEnvelope, InvalidMemberEvent, parseMemberEvent } from '../core/org/parse-event';
import type { OrgStore } from '../core/org/ports';
import type {
  AccountFacts,
  AccountProbe,
  MemberRecord,
  OrgAccount,
  OrgCell,
  RegionFactCell,
} from '../core/org/types';
import { scrubDeep } from '../core/scrub';
import type { Logger } from '../logger';
import { HOME_METRICS } from '../shared/names';
import { ACCOUNT_TICK_MINUTES, ORG_METRICS } from '../shared/org-names';

export interface OrgHomeDeps {
  readonly store: OrgStore;
  /** The probe account of each region (`region -> account`). */
  readonly probeAccounts: Readonly<Record<string, string>>;
  /** The regions the organization targets. */
  readonly regions: readonly string[];
  readonly memberStaleAfterMs: number;
  /** Organizations' accounts (names and OUs); null when not wired (no names, ids only). */
  readonly listAccounts: (() => Promise<OrgAccount[]>) | null;
  readonly publishAlert: (alert: Alert) => Promise<unknown>;
  readonly publishMetrics: (data: readonly MetricDatum[]) => Promise<unknown>;
  readonly log: Logger;
}

export interface IngestOutcome {
  readonly refused?: string;
  readonly kind?: MemberDetail['kind'];
  /** Org cells whose access moved. */
  readonly changes: number;
}

export interface OrgWatchOutcome {
  readonly staleMembers: readonly string[];
  /** Alerts sent, each naming every account its change touched. */
  readonly alerts: number;
}

/** Changes stay in the outbox this long after the newest of their group: the other members' ticks. */
const HOLD_MS = ACCOUNT_TICK_MINUTES * 60_000;
/** Account names are read again after this long. */
const NAMES_MS = 24 * 3_600_000;

export function createOrgHome(deps: OrgHomeDeps) {
  const { store, log } = deps;
  let namesReadAt = 0;

  async function ingest(envelope: BusEnvelope): Promise<IngestOutcome> {
    let detail: MemberDetail;
    try {
      // Scrubbed once more at home: a member of another version may have let a secret through.
      detail = scrubDeep(parseMemberEvent(envelope));
    } catch (err) {
      // A malformed event will not mend on retry: refused, logged, nothing stored.
      if (!(err instanceof InvalidMemberEvent)) throw err;
      log.error('member event refused', { error: err.message });
      return { refused: err.message, changes: 0 };
    }
    const probeAccount = deps.probeAccounts[detail.region];
    const record: MemberRecord = {
      account: detail.account,
      region: detail.region,
      role: detail.kind === 'heartbeat' ? detail.role : probeAccount === detail.account ? 'probe' : 'member',
      lastEvent: detail.at,
      lastEventId: detail.id,
    };
    await store.saveMemberEvent(record);
    if (detail.kind === 'heartbeat') return { kind: detail.kind, changes: 0 };
    const evidence = `event:${detail.id}`;
    if (detail.kind === 'account-facts') {
      const merged = mergeAccountFacts(await store.loadAccountFacts(detail.account, detail.region), detail);
      if (!merged || !(await store.saveAccountFacts(merged))) return { kind: detail.kind, changes: 0 };
      return {
        kind: detail.kind,
        changes: await recompute(detail.region, detail.account, detail.at, evidence),
      };
    }
    if (probeAccount !== detail.account) {
      // Another account's full matrix is that account's own probes, not the region's facts.
      const merged = mergeOwnMatrix(await store.loadAccountFacts(detail.account, detail.region), detail);
      if (!(await store.saveAccountFacts(merged))) return { kind: detail.kind, changes: 0 };
      return {
        kind: detail.kind,
        changes: await recompute(detail.region, detail.account, detail.at, evidence),
      };
    }
    await alertNotices(detail);
    const written = await store.saveRegionFacts(
      detail.region,
      detail.account,
      detail.at,
      byModel(detail.cells, detail),
      detail.removed,
    );
    if (written.length === 0) return { kind: detail.kind, changes: 0 };
    return { kind: detail.kind, changes: await recompute(detail.region, null, detail.at, evidence) };
  }

  /**
   * A region's retirement notices, each alerted once as the single-account home alerts a region's
   * changes (alert-message.ts): SNS first, then the notice is remembered; a failure throws, so the
   * inbox hands the event over again.
   */
  async function alertNotices(detail: RegionFactsDetail): Promise<void> {
    const fresh = [];
    for (const n of detail.notices ?? []) {
      if (n.notice && !(await store.noticeAlerted(detail.region, n.notice.key))) fresh.push(n);
    }
    if (fresh.length === 0) return;
    await deps.publishAlert(
      buildAlert({ region: detail.region, runId: detail.runId, changes: fresh, at: detail.at }),
    );
    for (const n of fresh)
      if (n.notice) await store.markNoticeAlerted(detail.region, n.notice.key, detail.at);
  }

  /**
   * Recomputes the org cells of one account (what its own facts touch), or of every account of the
   * region (`null`: the region's facts moved), reading only what that needs.
   */
  async function recompute(
    region: string,
    account: string | null,
    at: string,
    evidence: string,
  ): Promise<number> {
    const [regionFacts, facts, stored] = await Promise.all([
      store.loadRegionFacts(region),
      account === null
        ? store.accountFactsOfRegion(region)
        : store.loadAccountFacts(account, region).then((f) => (f ? [f] : [])),
      store.orgCellsOfRegion(region, account ?? undefined),
    ]);
    const cells: OrgCell[] = [];
    const changes = [];
    for (const accountFacts of facts) {
      const previous = new Map(
        stored.filter((c) => c.account === accountFacts.account).map((c) => [c.model, c]),
      );
      const result = combine({
        region,
        account: accountFacts.account,
        regionFacts,
        accountFacts,
        previous,
        at,
        evidence,
      });
      cells.push(...result.cells);
      changes.push(...result.changes);
    }
    if (cells.length > 0) await store.saveOrgCells(cells, changes);
    if (changes.length > 0) log.info('org cells moved', { region, changes: changes.length });
    return changes.length;
  }

  async function watch(at: Date): Promise<OrgWatchOutcome> {
    await refreshNames(at);
    const members = await store.members();
    const stale = members.filter((m) => at.getTime() - Date.parse(m.lastEvent) > deps.memberStaleAfterMs);
    const staleProbeRegions = deps.regions.filter((region) => {
      const probe = members.find((m) => m.region === region && m.account === deps.probeAccounts[region]);
      return !probe || stale.includes(probe);
    });
    await deps.publishMetrics([
      datum(ORG_METRICS.staleMembers, stale.length, at),
      datum(HOME_METRICS.staleRegions, staleProbeRegions.length, at),
    ]);
    const pending = await store.pendingOrgChanges();
    const groups = groupOrgChanges(pending).filter(
      (g) => at.getTime() - Math.max(...g.changes.map((c) => Date.parse(c.at))) >= HOLD_MS,
    );
    const accounts = groups.length > 0 ? await store.orgAccounts() : [];
    let alerts = 0;
    let changes = 0;
    let guardrail = 0;
    for (const group of groups) {
      // SNS first, then the outbox: a failure leaves the group for the next tick.
      await deps.publishAlert(buildOrgAlert(group, accounts, at.toISOString()));
      await store.markOrgChangesAlerted(group.ids);
      alerts += 1;
      changes += group.changes.length;
      guardrail += group.changes.filter(isGuardrailChange).length;
    }
    if (alerts > 0) {
      // The home's own series, as for a single account: its drift and guardrail alarms watch them.
      await deps
        .publishMetrics([
          datum(HOME_METRICS.confirmedChanges, changes, at),
          ...(guardrail > 0 ? [datum(HOME_METRICS.guardrailChanges, guardrail, at)] : []),
        ])
        .catch((err) => log.warn('org change metrics not sent', { error: errorText(err) }));
    }
    return { staleMembers: stale.map((m) => `${m.account}/${m.region}`), alerts };
  }

  async function refreshNames(at: Date): Promise<void> {
    if (!deps.listAccounts || at.getTime() - namesReadAt < NAMES_MS) return;
    try {
      const accounts = await deps.listAccounts();
      await store.saveOrgAccounts(accounts, at.toISOString());
      namesReadAt = at.getTime();
    } catch (err) {
      // Names are a courtesy: ids still say everything.
      log.warn('account names not read from Organizations', { error: errorText(err) });
    }
  }

  return { ingest, watch };
}

/**
 * The home's facts of one account after an account-facts event: the listed models' availability
 * and probes replace the stored ones (a probe taken under another availability is dropped),
 * `gone` models leave. Null when the stored facts are newer.
 */
export function mergeAccountFacts(stored: AccountFacts | null, d: AccountFactsDetail): AccountFacts | null {
  if (stored && stored.at > d.at) return null;
  const availability = { ...stored?.availability };
  const probes: Record<string, readonly AccountProbe[]> = { ...stored?.probes };
  for (const a of d.availability) {
    const before = availability[a.model];
    if (before && JSON.stringify(before) !== JSON.stringify(a)) delete probes[a.model];
    availability[a.model] = a;
  }
  for (const [model, list] of Object.entries(groupBy(d.probes, (p) => p.model))) probes[model] = list;
  for (const model of d.gone) {
    delete availability[model];
    delete probes[model];
  }
  return {
    account: d.account,
    region: d.region,
    at: d.at,
    availability,
    enforced: d.enforced ?? stored?.enforced ?? null,
    probes,
  };
}

/** An account's full matrix (region facts of a non-probe account) as its own probes. */
function mergeOwnMatrix(stored: AccountFacts | null, d: RegionFactsDetail): AccountFacts {
  const probes: Record<string, readonly AccountProbe[]> = { ...stored?.probes };
  for (const [model, cells] of Object.entries(byModel(d.cells, d))) {
    probes[model] = cells.map(({ since: _since, ...probe }) => probe);
  }
  for (const model of d.removed) delete probes[model];
  return {
    account: d.account,
    region: d.region,
    at: stored && stored.at > d.at ? stored.at : d.at,
    availability: { ...stored?.availability },
    enforced: stored?.enforced ?? null,
    probes,
  };
}

function byModel(cells: readonly RegionFactCell[], d: RegionFactsDetail): Record<string, RegionFactCell[]> {
  const out = groupBy(cells, (c) => c.model);
  // A model listed as touched but with no confirmed cell left still replaces its old facts.
  for (const model of d.removed) delete out[model];
  return out;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const item of items) {
    const k = key(item);
    out[k] = [...(out[k] ?? []), item];
  }
  return out;
}

const datum = (name: string, value: number, at: Date): MetricDatum => ({
  MetricName: name,
  Timestamp: at,
  Value: value,
  Unit: 'Count',
});
