import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSUMPTIONS } from '../../cost/assumptions';
import type { StackCost } from '../../cost/bill';
import { priceHome } from '../../cost/model';
import { batchFill, priceOrgHome } from '../../cost/org-home';
import { MEMBER_CADENCE } from '../../cost/org-model';
import { readStackShape } from '../../cost/template';

/** The org home's inbox: the home function reads it in batches of 10 with a 10 s window (lib/org/org-home.ts). */
const inbox = {
  Inbox: { Type: 'AWS::SQS::Queue', Properties: {} },
  InboxSource: {
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: {
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 10,
      EventSourceArn: { 'Fn::GetAtt': ['Inbox', 'Arn'] },
      FunctionName: { Ref: 'Home' },
    },
  },
};

/** A home template: its table (point-in-time recovery), the home function (5-minute watch) and its inbox, the widget, and `extra`. */
const homeTemplate = (extra: Record<string, unknown> = {}, withInbox = true) => ({
  Resources: {
    ...(withInbox ? inbox : {}),
    Table: {
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: { Replicas: [{ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }] },
    },
    Home: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        MemorySize: 256,
        Architectures: ['arm64'],
        Environment: { Variables: { BEDROCK_MATRIX_STALE_AFTER_MINUTES: '20', BEDROCK_MATRIX_REGIONS: 'a' } },
        LoggingConfig: { LogGroup: { Ref: 'HomeLogs' } },
      },
    },
    HomeLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
    Watch: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        ScheduleExpression: 'rate(5 minutes)',
        Target: { Arn: { 'Fn::GetAtt': ['Home', 'Arn'] } },
      },
    },
    Widget: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        MemorySize: 256,
        Architectures: ['arm64'],
        Environment: { Variables: { BEDROCK_MATRIX_REGIONS: 'a' } },
      },
    },
    ...extra,
  },
});

const staleMembersAlarm = {
  Stale: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'StaleMembers', Period: 300 } },
};

const usd = (cost: StackCost, key: string) => cost.items.find((i) => i.key === key)?.usd;
const DAYS = 365 / 12;
const ORG = { regions: 20, accounts: 30, probeMembers: 40, memberTicksPerDay: 288 } as const;

describe('the cost of an organization home', () => {
  it("keeps today's home items (the org's regions, no region runs on the stream) and adds the org's", () => {
    // Prepare
    const shape = readStackShape(homeTemplate());

    // Act
    const cost = priceOrgHome({ shape, ...ORG });
    const today = priceHome({ shape, regions: 20, regionRunsMonth: 0 });

    // Assess
    for (const item of today.items) expect(usd(cost, item.key), item.key).toBe(item.usd);
    expect(cost.items.slice(today.items.length).map((i) => i.key)).toEqual([
      'orgBus',
      'orgLambda',
      'orgInbox',
      'orgLogs',
      'staleWatchReads',
      'orgDynamodb',
      'orgStorage',
      'orgMetrics',
      'orgPutMetricData',
      'orgAlarm',
      'orgWidget',
      'codeBuckets',
    ]);
  });

  it('invokes the home once per member event at 600 members (a batch holds one): heartbeats short, facts events longer', () => {
    // Prepare
    const shape = readStackShape(homeTemplate());

    // Act
    const cost = priceOrgHome({ shape, ...ORG });

    // Assess: 600 members x 48 heartbeats a day at 0.1 s; 600 x (1 snapshot a day + 4 changes)
    // account facts and 40 probe members x (1 snapshot entry a day + 20 changes) region facts at
    // 1 s; 256 MB arm64. The org bus receives them all free (the members pay).
    const heartbeats = 600 * 48 * DAYS;
    const facts = 600 * (DAYS + 4) + 40 * (DAYS + 20);
    const gbSecond = 0.25 * 0.0000133334;
    expect(usd(cost, 'orgLambda')).toBeCloseTo(
      heartbeats * (0.1 * gbSecond + 0.2e-6) + facts * (gbSecond + 0.2e-6),
      9,
    );
    expect(usd(cost, 'orgBus')).toBe(0);
    expect(cost.items.find((i) => i.key === 'orgBus')?.quantity).toBe(
      `${Math.round(heartbeats + facts).toLocaleString('en-US')} events`,
    );
    // 1 org series (StaleMembers; alerts count into the home's ConfirmedChanges); 1 request per
    // alert (20 regions x 20 changes); 20 regions' 5 MB zips.
    expect(usd(cost, 'orgMetrics')).toBeCloseTo(0.3, 12);
    expect(usd(cost, 'orgPutMetricData')).toBeCloseTo((400 / 1000) * 0.01, 12);
    expect(usd(cost, 'codeBuckets')).toBeCloseTo(0.1 * 0.023 + (4 * 600 * 0.0004) / 1000, 12);
    // Every tick reads all 600 member records of 200 bytes: 30 read units.
    expect(usd(cost, 'staleWatchReads')).toBeCloseTo(288 * DAYS * 30 * 0.125e-6, 12);
  });

  it("prices the inbox's SQS requests: EventBridge's sends, the pollers' receives (empty ones too), a delete a batch", () => {
    // Prepare
    const shape = readStackShape(homeTemplate());

    // Act
    const cost = priceOrgHome({ shape, ...ORG });

    // Assess: a 400-byte heartbeat and a 20 KB account-facts event are one 64 KB chunk each, a
    // 150 KB region snapshot three, a region change one. 5 pollers long-polling 20 s on an empty
    // queue: 15 receives a minute, plus one per chunk received; one delete per batch of one event.
    const heartbeats = 600 * 48 * DAYS;
    const accountFacts = 600 * (DAYS + 4);
    const events = heartbeats + accountFacts + 40 * (DAYS + 20);
    const sends = heartbeats + accountFacts + 40 * DAYS * 3 + 40 * 20;
    const receives = 15 * 60 * 24 * DAYS + sends;
    expect(usd(cost, 'orgInbox')).toBeCloseTo(((sends + receives + events) / 1e6) * 0.4, 9);
  });

  it('fills a batch with what reaches one poller in the batching window, between one event and the batch size', () => {
    // Prepare
    const window = { queue: 'Inbox', batchSize: 10, batchingWindowSeconds: 10 };
    const perSecond = (rate: number) => rate * DAYS * 86_400; // events a month

    // Act
    const fills = [0.34, 1, 2, 50].map((rate) => batchFill(perSecond(rate), window, DEFAULT_ASSUMPTIONS));

    // Assess: 10 s x the rate over 5 pollers, at least 1, at most 10.
    expect(fills[0]).toBe(1);
    expect(fills[1]).toBeCloseTo(2, 9);
    expect(fills[2]).toBeCloseTo(4, 9);
    expect(fills[3]).toBe(10);
  });

  it('prices no inbox and one invocation per event for a home whose function has no queue to read', () => {
    // Act
    const withInbox = priceOrgHome({ shape: readStackShape(homeTemplate()), ...ORG, accounts: 300 });
    const without = priceOrgHome({ shape: readStackShape(homeTemplate({}, false)), ...ORG, accounts: 300 });

    // Assess: 6,000 members send about 3.4 events a second, 6.8 a batch: fewer invocations with the inbox.
    expect(usd(without, 'orgInbox')).toBeUndefined();
    expect(usd(withInbox, 'orgLambda') ?? 0).toBeLessThan(usd(without, 'orgLambda') ?? 0);
    expect(withInbox.items.find((i) => i.key === 'orgLambda')?.label).toContain('6.8 a batch of up to 10');
  });

  it('scales the member events with accounts x regions, and heartbeats with their cadence', () => {
    // Prepare: no inbox, so the invocations follow the events one for one.
    const shape = readStackShape(homeTemplate({}, false));

    // Act
    const base = priceOrgHome({ shape, ...ORG });
    const twice = priceOrgHome({ shape, ...ORG, accounts: 60 });
    const faster = priceOrgHome({
      shape,
      ...ORG,
      cadence: { ...MEMBER_CADENCE, heartbeatMinutes: MEMBER_CADENCE.heartbeatMinutes / 2 },
    });

    // Assess: doubling heartbeats adds 600 x 48 a day at 0.1 s.
    expect(usd(twice, 'orgLambda')).toBeGreaterThan(1.9 * (usd(base, 'orgLambda') ?? 0));
    expect((usd(faster, 'orgLambda') ?? 0) - (usd(base, 'orgLambda') ?? 0)).toBeCloseTo(
      600 * 48 * DAYS * (0.1 * 0.25 * 0.0000133334 + 0.2e-6),
      9,
    );
  });

  it('prices the stale-members alarm from the design only while the home template lacks it', () => {
    // Act
    const without = priceOrgHome({ shape: readStackShape(homeTemplate()), ...ORG });
    const withAlarm = priceOrgHome({ shape: readStackShape(homeTemplate(staleMembersAlarm)), ...ORG });

    // Assess: once in the template, fixedItems counts it with the other alarms.
    expect(usd(without, 'orgAlarm')).toBe(0.1);
    expect(usd(withAlarm, 'orgAlarm')).toBeUndefined();
    expect(usd(withAlarm, 'alarms')).toBe(0.1);
    expect(withAlarm.total).toBeCloseTo(without.total, 12);
  });
});
