import { describe, expect, it } from 'vitest';
import type { RunMeasurement } from '../../cost/measurement';
import { countingTable, itemBytes } from '../../cost/measurement';
import {
  DEFAULT_ASSUMPTIONS,
  fallbackPrice,
  priceHome,
  priceRegion,
  proberRunsMonth,
  type StackCost,
} from '../../cost/model';
import { readStackShape } from '../../cost/template';
import { MemoryTable } from '../../lambda/adapters/store/memory-table';

const run = (over: Partial<RunMeasurement> = {}): RunMeasurement => ({
  measuredAt: '2026-12-06T00:00:00.000Z',
  scenario: 'today',
  settings: { BEDROCK_MATRIX_CONCURRENCY: '8' },
  periodMinutes: 1440,
  calls: 80,
  probesSent: 80,
  tokens: { 'amazon.nova-micro': { input: 1_000_000 / 730, output: 0 } },
  guardrailTextUnits: 10,
  writeUnits: 1000,
  readUnits: 100,
  expiringBytes: 0,
  lastingBytes: 0,
  logBytes: 0,
  ...over,
});

/** A schedule of the prober `Fn`, its input naming `kind` (none: an input without one). */
const proberSchedule = (expression: string, kind?: string) => ({
  Type: 'AWS::Scheduler::Schedule',
  Properties: {
    ScheduleExpression: expression,
    Target: {
      Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] },
      ...(kind === undefined ? {} : { Input: JSON.stringify({ kind, scheduledTime: '<t>' }) }),
    },
  },
});

/**
 * A region template: a schedule starting the prober (it has a guardrail id), its log group, a
 * guardrail, and with `sentinel` a second schedule sending `kind: sentinel`.
 */
const regionTemplate = (
  schedule = 'rate(1 day)',
  guardrail: Record<string, unknown> = { WordPolicyConfig: {} },
  sentinel?: string,
) => ({
  Resources: {
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        MemorySize: 1024,
        Architectures: ['arm64'],
        Environment: {
          Variables: {
            BEDROCK_MATRIX_CONCURRENCY: '8',
            BEDROCK_MATRIX_TABLE_NAME: 'bedrock-matrix-results',
            BEDROCK_MATRIX_TABLE_REGION: 'us-east-1',
            BEDROCK_MATRIX_GUARDRAIL_ID: { 'Fn::GetAtt': ['Guard', 'GuardrailId'] },
          },
        },
        LoggingConfig: { LogGroup: { Ref: 'Logs' } },
      },
    },
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 90 } },
    Tick: proberSchedule(schedule, sentinel === undefined ? undefined : 'sweep'),
    ...(sentinel === undefined ? {} : { Sentinel: proberSchedule(sentinel, 'sentinel') }),
    Guard: { Type: 'AWS::Bedrock::Guardrail', Properties: guardrail },
  },
});

/** A home template: alarms, a dashboard, a key, a table, the home function (watch + stream) and the widget. */
const homeTemplate = () => ({
  Resources: {
    Table: {
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: { Replicas: [{ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }] },
    },
    Home: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        MemorySize: 512,
        Architectures: ['arm64'],
        Environment: {
          Variables: { BEDROCK_MATRIX_STALE_AFTER_MINUTES: '2890', BEDROCK_MATRIX_REGIONS: 'a,b' },
        },
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
    Stream: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'Home' } } },
    Widget: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        MemorySize: 1024,
        Architectures: ['arm64'],
        Environment: { Variables: { BEDROCK_MATRIX_REGIONS: 'a,b' } },
      },
    },
    Plain: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'A', Period: 300 } },
    // A metric-math alarm is billed per metric it reads: two here, the expression itself is free.
    Math: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Metrics: [
          { Id: 'e', Expression: 'a/b' },
          { Id: 'a', MetricStat: { Period: 300 } },
          { Id: 'b', MetricStat: { Period: 300 } },
        ],
      },
    },
    Fast: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'F', Period: 10 } },
    Board: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} },
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
  },
});

const usd = (cost: StackCost, key: string) => cost.items.find((i) => i.key === key)?.usd;
const home = readStackShape(homeTemplate());
const region = (schedule?: string, guardrail?: Record<string, unknown>) =>
  readStackShape(regionTemplate(schedule, guardrail));
const DAYS = 365 / 12;

describe('the cost model', () => {
  it('counts what a template bills: alarm metrics by resolution, dashboards, keys, functions and what invokes them', () => {
    // Act
    const shape = readStackShape(homeTemplate());

    // Assess
    expect(shape.alarms).toEqual({ standardMetrics: 3, highResolutionMetrics: 1, composite: 0 });
    expect([shape.dashboards, shape.kmsKeys, shape.tables.length]).toEqual([1, 1, 1]);
    expect(
      shape.functions.map((f) => [f.logicalId, f.schedules, f.eventSources, f.logRetentionDays]),
    ).toEqual([
      ['Home', [{ expression: 'rate(5 minutes)', kind: undefined }], 1, 30],
      ['Widget', [], 0, undefined],
    ]);
    expect(region().paidGuardrailPolicies).toEqual([]);
    expect(
      readStackShape(regionTemplate('rate(1 day)', {}, 'rate(5 minutes)')).functions[0]?.schedules,
    ).toEqual([
      { expression: 'rate(1 day)', kind: 'sweep' },
      { expression: 'rate(5 minutes)', kind: 'sentinel' },
    ]);
    expect(region('rate(1 day)', { ContentPolicyConfig: {} }).paidGuardrailPolicies).toEqual(['content']);
  });

  it('prices a region from its daily runs: prober time, logs, scheduler, writes and storage at home, transfer, tokens', () => {
    // Act
    const cost = priceRegion({ shape: region(), run: run(), home, atHome: false });

    // Assess: 30.4 runs of ceil(80/8) x 2 s at 1 GB; 30.4k write units and 3.04k read units;
    // 1M/730 Nova Micro input tokens a run; 10 text units a run but no paid policy.
    const runs = DAYS;
    expect(cost.items.map((i) => i.key)).toEqual([
      'lambda',
      'logs',
      'scheduler',
      'dynamodb',
      'storage',
      'transfer',
      'tokens',
      'guardrail',
    ]);
    expect(usd(cost, 'lambda')).toBeCloseTo(runs * 20 * 0.0000133334 + runs * 0.2e-6, 9);
    expect(usd(cost, 'dynamodb')).toBeCloseTo(runs * (1000 * 0.625 + 100 * 0.125) * 1e-6, 9);
    expect(usd(cost, 'transfer')).toBeCloseTo(((runs * (1000 * 1024 + 100 * 4096)) / 1e9) * 0.02, 9);
    expect(usd(cost, 'tokens')).toBeCloseTo((runs * 0.035) / 730, 9);
    expect(usd(cost, 'guardrail')).toBe(0);
    expect(cost.total - cost.totalExcludingInference).toBeCloseTo((runs * 0.035) / 730, 9);
    expect(cost.staleSettings).toEqual([]);
  });

  it("prices the sentinel's ticks apart from the sweep: Lambda time, logs, scheduler, heartbeat reads and writes", () => {
    // Prepare: a daily sweep and a 5-minute sentinel on a 1 GB prober kept 90 days, outside home.
    const shape = readStackShape(regionTemplate('rate(1 day)', { WordPolicyConfig: {} }, 'rate(5 minutes)'));

    // Act
    const cost = priceRegion({ shape, run: run(), home, atHome: false });
    const sweepOnly = priceRegion({ shape: region(), run: run(), home, atHome: false });

    // Assess: 288 ticks a day of 1 s at 1 GB, 650 log bytes, 1 write unit and 2 read units each.
    const ticks = 288 * DAYS;
    expect(cost.items.map((i) => i.key)).toEqual([
      'lambda',
      'logs',
      'scheduler',
      'dynamodb',
      'storage',
      'sentinelLambda',
      'sentinelLogs',
      'sentinelScheduler',
      'sentinelDynamodb',
      'transfer',
      'tokens',
      'guardrail',
    ]);
    expect(usd(cost, 'sentinelLambda')).toBeCloseTo(ticks * 1 * 0.0000133334 + ticks * 0.2e-6, 9);
    expect(usd(cost, 'sentinelLogs')).toBeCloseTo(
      ((ticks * 650) / 1e9) * 0.5 + ((288 * 650 * 90) / 1e9) * 0.03,
      9,
    );
    expect(usd(cost, 'sentinelScheduler')).toBeCloseTo(ticks * 1e-6, 9);
    expect(usd(cost, 'sentinelDynamodb')).toBeCloseTo(ticks * (1 * 0.625 + 2 * 0.125) * 1e-6, 9);
    expect((usd(cost, 'transfer') ?? 0) - (usd(sweepOnly, 'transfer') ?? 0)).toBeCloseTo(
      ((ticks * (1024 + 2 * 4096)) / 1e9) * 0.02,
      9,
    );
    // The sweep is priced as before: the sentinel's ticks are no runs.
    for (const key of ['lambda', 'logs', 'scheduler', 'dynamodb', 'storage', 'tokens'])
      expect(usd(cost, key), key).toBe(usd(sweepOnly, key));
    expect(cost.staleSettings).toEqual([]);
    expect(proberRunsMonth(shape)).toBeCloseTo(DAYS, 9);
  });

  it('takes the Lambda time of a sentinel tick from its assumption', () => {
    // Prepare
    const shape = readStackShape(regionTemplate('rate(1 day)', {}, 'rate(10 minutes)'));

    // Act
    const slow = priceRegion({
      shape,
      run: run(),
      home,
      atHome: true,
      assumptions: { ...DEFAULT_ASSUMPTIONS, sentinelTickSeconds: 3 },
    });

    // Assess: 144 ticks a day of 3 s at 1 GB.
    expect(usd(slow, 'sentinelLambda')).toBeCloseTo(144 * DAYS * (3 * 0.0000133334 + 0.2e-6), 9);
  });

  it('charges no transfer to the region that is home, and no CloudWatch to any region', () => {
    // Act
    const cost = priceRegion({ shape: region(), run: run(), home, atHome: true });

    // Assess
    expect(usd(cost, 'transfer')).toBeUndefined();
    for (const key of ['alarms', 'dashboards', 'kms', 'metrics', 'putMetricData'])
      expect(usd(cost, key), key).toBeUndefined();
  });

  it("stores a region's history for its TTL and its state at home, with point-in-time recovery when home has it", () => {
    // Act
    const cost = priceRegion({
      shape: region(),
      run: run({ expiringBytes: 1e6, lastingBytes: 2e6 }),
      home,
      atHome: true,
    });

    // Assess: 1 MB a day for 90 days plus 2 MB of state, at $0.25 + $0.20 a GB-month.
    expect(usd(cost, 'storage')).toBeCloseTo(((90 * 1e6 + 2e6) / 1e9) * 0.45, 9);
  });

  it('bills guardrail text units only for paid policies', () => {
    // Act
    const cost = priceRegion({
      shape: region('rate(1 day)', { ContentPolicyConfig: {} }),
      run: run(),
      home,
      atHome: true,
    });

    // Assess: 10 text units a run, $0.15 per 1,000.
    expect(usd(cost, 'guardrail')).toBeCloseTo(((DAYS * 10) / 1000) * 0.15, 9);
  });

  it('prices a schedule by its runs: hourly is 24 times daily', () => {
    // Act
    const daily = priceRegion({ shape: region(), run: run(), home, atHome: true });
    const hourly = priceRegion({
      shape: region('rate(1 hour)'),
      run: run({ periodMinutes: 60 }),
      home,
      atHome: true,
    });

    // Assess
    expect(usd(hourly, 'lambda')).toBeCloseTo(24 * (usd(daily, 'lambda') ?? 0), 9);
    expect(usd(hourly, 'tokens')).toBeCloseTo(24 * (usd(daily, 'tokens') ?? 0), 9);
  });

  it('prices the home: fixed resources, the home series, watch ticks, stream batches, reads, widget and notifications', () => {
    // Act
    const cost = priceHome({ shape: home, regions: 3, regionRunsMonth: 90 });

    // Assess: 5-minute ticks are 288 a day; 3 daily regions finish 90 runs a month (90 stream
    // invocations); 20 changes a region a month are 60 alerts, and 60 of those runs send counts.
    const ticks = 288 * DAYS;
    expect(usd(cost, 'alarms')).toBeCloseTo(0.3 + 0.3, 9);
    expect(usd(cost, 'dashboards')).toBe(3);
    expect(usd(cost, 'kms')).toBe(1);
    expect(usd(cost, 'metrics')).toBeCloseTo(4 * 0.3, 9);
    expect(usd(cost, 'putMetricData')).toBeCloseTo(((ticks + 60) / 1000) * 0.01, 9);
    expect(usd(cost, 'homeLambda')).toBeCloseTo((ticks + 90) * 0.5 * 0.0000133334 + (ticks + 90) * 0.2e-6, 9);
    expect(usd(cost, 'scheduler')).toBeCloseTo((ticks / 1e6) * 1, 9);
    expect(usd(cost, 'watchReads')).toBeCloseTo(((ticks * 3 * 2) / 1e6) * 0.125, 9);
    expect(usd(cost, 'widget')).toBeCloseTo(300 * 5 * 0.0000133334 + 300 * 5 * 0.2e-6, 9);
    expect(usd(cost, 'notifications')).toBeCloseTo(60e-6 * 0.5 + 60e-6 * 1, 12);
    expect(usd(cost, 'table')).toBe(0);
    expect(cost.total).toBe(cost.totalExcludingInference);
  });

  it('prices a model without a price of its own at its provider dearest, and names it', () => {
    // Prepare
    const models = {
      'acme.small': { input: 1, output: 2, source: 's' },
      'acme.large': { input: 3, output: 9, source: 's' },
      'other.x': { input: 5, output: 25, source: 's' },
    };

    // Act
    const cost = priceRegion({
      shape: region('rate(1 hour)'),
      run: run({ periodMinutes: 60, tokens: { 'acme.new': { input: 0, output: 1_000_000 / (24 * DAYS) } } }),
      home,
      atHome: true,
      models,
    });

    // Assess
    expect(fallbackPrice('acme.new', models).output).toBe(9);
    expect(fallbackPrice('nobody.new', models).output).toBe(25);
    expect(usd(cost, 'tokens')).toBeCloseTo(9, 6);
    expect(cost.fallbackPriced).toEqual(['acme.new']);
  });

  it('says when the measured run used other settings than the template, and ignores where the table is', () => {
    // Act
    const cost = priceRegion({
      shape: region(),
      run: run({ settings: { BEDROCK_MATRIX_CONCURRENCY: '4' } }),
      home,
      atHome: true,
    });

    // Assess: the table's name and region are no settings of the measured run.
    expect(cost.staleSettings).toEqual(['BEDROCK_MATRIX_CONCURRENCY: template 8, measured 4']);
  });

  it('says when the measured run was taken at another schedule period (it decides what a run rewrites)', () => {
    // Act
    const cost = priceRegion({ shape: region('rate(1 hour)'), run: run(), home, atHome: true });

    // Assess
    expect(cost.staleSettings).toEqual(['schedule: template rate(1 hour) (60 min), measured 1440 min apart']);
  });

  it('counts DynamoDB request units by item size, as on-demand billing does', async () => {
    // Prepare
    const { table, usage } = countingTable(new MemoryTable(), 'expiresAt');
    const small = { pk: 'P', sk: 'a', v: 'x' };
    const big = { pk: 'P', sk: 'b', v: 'y'.repeat(1500), expiresAt: 1 };

    // Act
    await table.batchWrite([{ put: small }, { put: big }]);
    await table.query({ pk: 'P' });

    // Assess
    expect(itemBytes(small)).toBe('pk'.length + 1 + 'sk'.length + 1 + 'v'.length + 1);
    expect(usage.writeUnits).toBe(1 + 2);
    expect(usage.readUnits).toBe(1);
    expect(usage.expiringBytes).toBe(itemBytes(big));
    expect(usage.lastingBytes).toBe(itemBytes(small));
  });
});
