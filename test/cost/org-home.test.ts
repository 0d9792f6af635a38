import { describe, expect, it } from 'vitest';
import type { StackCost } from '../../cost/bill';
import { priceHome } from '../../cost/model';
import { priceOrgHome } from '../../cost/org-home';
import { MEMBER_CADENCE } from '../../cost/org-model';
import { readStackShape } from '../../cost/template';

/** A home template: its table (point-in-time recovery), the home function (5-minute watch), the widget, and `alarms`. */
const homeTemplate = (alarms: Record<string, unknown> = {}) => ({
  Resources: {
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
    ...alarms,
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

  it('invokes the home once per member event: heartbeats short, facts events longer', () => {
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
    // 2 org series; 1 OrgChanges request per alert (20 regions x 20 changes); 20 regions' 5 MB zips.
    expect(usd(cost, 'orgMetrics')).toBeCloseTo(0.6, 12);
    expect(usd(cost, 'orgPutMetricData')).toBeCloseTo((400 / 1000) * 0.01, 12);
    expect(usd(cost, 'codeBuckets')).toBeCloseTo(0.1 * 0.023 + (4 * 600 * 0.0004) / 1000, 12);
    // Every tick reads all 600 member records of 200 bytes: 30 read units.
    expect(usd(cost, 'staleWatchReads')).toBeCloseTo(288 * DAYS * 30 * 0.125e-6, 12);
  });

  it('scales the member events with accounts x regions, and heartbeats with their cadence', () => {
    // Prepare
    const shape = readStackShape(homeTemplate());

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
