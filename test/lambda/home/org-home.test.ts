import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../lambda/adapters/store/memory-store';
import type { Alert } from '../../../lambda/core/alert-message';
import {
  accountFactsEvents,
  heartbeatEvent,
  type MemberEvent,
  regionFactsEvents,
} from '../../../lambda/core/org/events';
import type { BusEnvelope } from '../../../lambda/core/org/parse-event';
import type { ModelAvailability, RegionFactCell } from '../../../lambda/core/org/types';
import { createOrgHome } from '../../../lambda/home/org-home';
import { createLogger } from '../../../lambda/logger';
import { MEMBER_EVENT_SOURCE } from '../../../lambda/shared/org-names';

// The organization's home: what it stores from member events and what it alerts on its watch.

const REGION = 'eu-west-1';
const PROBE = '111111111111';
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const T0 = Date.parse('2026-12-07T09:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const available = (model: string, authorized = true): ModelAvailability => ({
  model,
  agreement: authorized ? 'AVAILABLE' : 'NOT_AVAILABLE',
  authorization: authorized ? 'AUTHORIZED' : 'NOT_AUTHORIZED',
  entitlement: authorized ? 'AVAILABLE' : 'NOT_AVAILABLE',
  regionAvailability: 'AVAILABLE',
});
const served = (model: string): RegionFactCell => ({
  model,
  endpoint: 'runtime',
  api: 'converse',
  variant: 'basic',
  status: 'supported',
  reason: '',
  since: iso(0),
});

const envelope = (e: MemberEvent, account = e.detail.account): BusEnvelope => ({
  id: `bus-${e.detail.id}`,
  source: MEMBER_EVENT_SOURCE,
  'detail-type': e.detailType,
  account,
  region: e.detail.region,
  detail: e.detail,
});

const facts = (account: string, minutes: number, availability: ModelAvailability[]) =>
  accountFactsEvents(
    {
      v: 1,
      kind: 'account-facts',
      account,
      region: REGION,
      at: iso(minutes),
      snapshot: false,
      gone: [],
      enforced: [],
    },
    availability,
    [],
  ).map((e) => envelope(e));
const region = (minutes: number, models: string[], account = PROBE) =>
  regionFactsEvents(
    {
      v: 1,
      kind: 'region-facts',
      account,
      region: REGION,
      at: iso(minutes),
      snapshot: true,
      runId: 'r1',
      removed: [],
    },
    models.map(served),
  ).map((e) => envelope(e));

function home(opts: { failAlerts?: boolean } = {}) {
  const store = new MemoryStore();
  const alerts: Alert[] = [];
  const metrics: MetricDatum[] = [];
  const org = createOrgHome({
    store: store.org(),
    probeAccounts: { [REGION]: PROBE },
    regions: [REGION],
    memberStaleAfterMs: 65 * 60_000,
    listAccounts: async () => [
      { id: '111111111111', name: 'Platform', ou: null },
      { id: '222222222222', name: 'Sandbox', ou: { id: 'ou-1', name: 'Workloads' } },
    ],
    publishAlert: async (a) => {
      if (opts.failAlerts) throw new Error('SNS down');
      alerts.push(a);
    },
    publishMetrics: async (d) => {
      metrics.push(...d);
    },
    log: createLogger(() => {}),
  });
  const ingestAll = async (envelopes: BusEnvelope[]) => {
    for (const e of envelopes) await org.ingest(e);
  };
  return { store, org, alerts, metrics, ingestAll };
}

/** Every account reports m1 authorized, the probe account says the region serves it. */
async function baseline(h: ReturnType<typeof home>) {
  await h.ingestAll(region(0, ['m1']));
  for (const a of ACCOUNTS) await h.ingestAll(facts(a, 1, [available('m1')]));
}

describe('the organization home', () => {
  it('combines the region fact with each account fact into one cell per model x region x account', async () => {
    // Prepare
    const h = home();

    // Act
    await baseline(h);
    await h.ingestAll(facts('222222222222', 6, [available('m1', false)]));

    // Assess
    const cells = await h.store.org().orgCells('m1');
    expect(cells.map((c) => [c.account, c.access])).toEqual([
      ['111111111111', 'usable'],
      ['222222222222', 'no-access'],
      ['333333333333', 'usable'],
    ]);
  });

  it('stores an event received twice once, and alerts its change once', async () => {
    // Prepare
    const h = home();
    await baseline(h);
    const revoked = facts('222222222222', 6, [available('m1', false)]);

    // Act
    await h.ingestAll([...revoked, ...revoked]);
    await h.org.watch(new Date(T0 + 20 * 60_000));
    await h.ingestAll(revoked);
    await h.org.watch(new Date(T0 + 40 * 60_000));

    // Assess
    expect(h.alerts.map((a) => a.subject)).toEqual([
      'bedrock-matrix: m1 usable -> no-access in 1 account, 1 region',
    ]);
  });

  it('keeps the newer facts when an older event arrives late', async () => {
    // Prepare
    const h = home();
    await baseline(h);
    const older = facts('222222222222', 5, [available('m1', false)]);
    await h.ingestAll(facts('222222222222', 10, [available('m1')]));

    // Act
    await h.ingestAll(older);

    // Assess
    const cell = (await h.store.org().orgCells('m1')).find((c) => c.account === '222222222222');
    expect(cell?.access).toBe('usable');
  });

  it('refuses a member speaking for another account, storing nothing', async () => {
    // Prepare
    const h = home();
    const [forged] = facts('222222222222', 1, [available('m1')]);

    // Act
    const outcome = await h.org.ingest({ ...(forged as BusEnvelope), account: '999999999999' });

    // Assess
    expect(outcome.refused).toMatch(/detail\.account \(not the sending account\) "222222222222"/);
    expect(await h.store.org().members()).toEqual([]);
  });

  it('reads another account full matrix as that account own probes, never as the region fact', async () => {
    // Prepare
    const h = home();
    await baseline(h);
    const ownMatrix = regionFactsEvents(
      {
        v: 1,
        kind: 'region-facts',
        account: '333333333333',
        region: REGION,
        at: iso(6),
        snapshot: true,
        runId: 'r9',
        removed: [],
      },
      [
        {
          ...served('m1'),
          status: 'no-access',
          reason: 'IAM denied: with an explicit deny in a service control policy',
        },
      ],
    ).map((e) => envelope(e));

    // Act
    await h.ingestAll(ownMatrix);

    // Assess
    const cells = await h.store.org().orgCells('m1');
    expect(cells.map((c) => [c.account, c.access])).toEqual([
      ['111111111111', 'usable'],
      ['222222222222', 'usable'],
      ['333333333333', 'denied'],
    ]);
    expect((await h.store.org().loadRegionFacts(REGION))?.models.m1?.[0]?.status).toBe('supported');
  });

  it('alerts a change that touched three accounts once, naming them, after the members had a tick to report', async () => {
    // Prepare
    const h = home();
    await baseline(h);
    await h.org.watch(new Date(T0 + 2 * 60_000));
    await h.ingestAll(region(10, ['m1', 'm2']));
    for (const [i, a] of ACCOUNTS.entries()) await h.ingestAll(facts(a, 11 + i, [available('m2')]));

    // Act
    await h.org.watch(new Date(T0 + 15 * 60_000));
    const early = h.alerts.length;
    await h.org.watch(new Date(T0 + 20 * 60_000));

    // Assess
    expect(early).toBe(0);
    expect(h.alerts.map((a) => a.subject)).toEqual([
      'bedrock-matrix: m2 new -> usable in 3 accounts, 1 region',
    ]);
    const body = (JSON.parse(h.alerts[0]?.message ?? '{}') as { email: string }).email;
    expect(body).toContain('Sandbox (222222222222, Workloads)');
    expect(body).toContain('Platform (111111111111)');
    expect(body).toContain('333333333333');
  });

  it('alerts a guardrail that stopped requests and no longer does, once for every account of the region', async () => {
    // Prepare: the region serves m1 on converse and its guardrail is enforced there
    const h = home();
    const guarded = (status: 'enforced' | 'ignored', minutes: number) =>
      regionFactsEvents(
        {
          v: 1,
          kind: 'region-facts',
          account: PROBE,
          region: REGION,
          at: iso(minutes),
          snapshot: false,
          runId: 'r2',
          removed: [],
        },
        [served('m1'), { ...served('m1'), variant: 'guardrail', status }],
      ).map((e) => envelope(e));
    await h.ingestAll(guarded('enforced', 0));
    for (const a of ACCOUNTS) await h.ingestAll(facts(a, 1, [available('m1')]));

    // Act
    await h.ingestAll(guarded('ignored', 10));
    await h.org.watch(new Date(T0 + 20 * 60_000));

    // Assess
    expect(h.alerts.map((a) => a.subject)).toEqual([
      'bedrock-matrix: m1 runtime/converse guardrail: enforced -> ignored in 3 accounts, 1 region',
    ]);
    expect(h.alerts[0]?.attributes.severity?.StringValue).toBe('high');
    expect(
      h.metrics
        .filter((m) => m.MetricName !== 'StaleMembers' && m.MetricName !== 'StaleRegions')
        .map((m) => [m.MetricName, m.Value]),
    ).toEqual([
      ['ConfirmedChanges', 3],
      ['GuardrailChanges', 3],
    ]);
  });

  it('alerts a region retirement notice from the probe account once, though the event comes twice', async () => {
    // Prepare
    const h = home();
    const notice = {
      region: REGION,
      model: 'm1',
      endpoint: 'runtime' as const,
      api: null,
      variant: null,
      from: null,
      to: null,
      kind: 'retirement-notice' as const,
      notice: { key: 'm1|legacy|2027-01-05', kind: 'legacy' as const, date: '2027-01-05' },
    };
    const withNotice = regionFactsEvents(
      {
        v: 1,
        kind: 'region-facts',
        account: PROBE,
        region: REGION,
        at: iso(0),
        snapshot: false,
        runId: 'r3',
        removed: [],
        notices: [notice],
      },
      [served('m1')],
    ).map((e) => envelope(e));

    // Act
    await h.ingestAll([...withNotice, ...withNotice]);

    // Assess
    expect(h.alerts).toHaveLength(1);
    expect(h.alerts[0]?.subject).toMatch(/eu-west-1/);
    expect((JSON.parse(h.alerts[0]?.message ?? '{}') as { email: string }).email).toContain('m1');
  });

  it('keeps the alert in the outbox when SNS fails, and sends it on a later tick', async () => {
    // Prepare
    const failing = home({ failAlerts: true });
    await baseline(failing);
    await failing.ingestAll(facts('222222222222', 6, [available('m1', false)]));

    // Act
    await expect(failing.org.watch(new Date(T0 + 20 * 60_000))).rejects.toThrow(/SNS down/);

    // Assess
    expect(await failing.store.org().pendingOrgChanges()).toHaveLength(1);
  });

  it('counts members silent past the threshold, and a region whose probe account is silent', async () => {
    // Prepare
    const h = home();
    await baseline(h);
    const beat = heartbeatEvent({
      v: 1,
      kind: 'heartbeat',
      account: '222222222222',
      region: REGION,
      at: iso(60),
      role: 'member',
    });
    await h.org.ingest(envelope(beat));

    // Act
    const outcome = await h.org.watch(new Date(T0 + 70 * 60_000));

    // Assess
    expect(outcome.staleMembers).toEqual(['111111111111/eu-west-1', '333333333333/eu-west-1']);
    expect(h.metrics.map((m) => [m.MetricName, m.Value])).toEqual([
      ['StaleMembers', 2],
      ['StaleRegions', 1],
    ]);
  });
});
