import { describe, expect, it } from 'vitest';
import type { RunMeasurement } from '../../cost/measurement';
import { countingTable, itemBytes } from '../../cost/measurement';
import { fallbackPrice, priceStack } from '../../cost/model';
import { readStackShape } from '../../cost/template';
import { MemoryTable } from '../../lambda/adapters/store/memory-table';

const run = (over: Partial<RunMeasurement> = {}): RunMeasurement => ({
  measuredAt: '2026-12-06T00:00:00.000Z',
  scenario: 'today',
  settings: { BEDROCK_MATRIX_CONCURRENCY: '8' },
  calls: 80,
  probesSent: 80,
  tokens: { 'amazon.nova-micro': { input: 1_000_000 / 730, output: 0 } },
  guardrailTextUnits: 10,
  metricSeries: Array.from({ length: 36 }, (_, i) => `M${i} Region={region}`),
  putMetricDataRequests: 1,
  writeUnits: 1000,
  readUnits: 100,
  expiringBytes: 0,
  lastingBytes: 0,
  logBytes: 0,
  snsPublishes: 0,
  events: 0,
  ...over,
});

/** A template with what the stack bills: a schedule starting a function, alarms, a dashboard, a key. */
const template = (schedule = 'rate(1 hour)') => ({
  Resources: {
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        MemorySize: 1024,
        Architectures: ['arm64'],
        Environment: {
          Variables: { BEDROCK_MATRIX_CONCURRENCY: '8', BEDROCK_MATRIX_TABLE_NAME: { Ref: 'T' } },
        },
        LoggingConfig: { LogGroup: { Ref: 'Logs' } },
      },
    },
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 90 } },
    Tick: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: { ScheduleExpression: schedule, Target: { Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
    },
    Plain: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'A', Period: 3600 } },
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
    Guard: { Type: 'AWS::Bedrock::Guardrail', Properties: { ContentPolicyConfig: {}, WordPolicyConfig: {} } },
  },
});

const usd = (cost: ReturnType<typeof priceStack>, key: string) => cost.items.find((i) => i.key === key)?.usd;

describe('the cost model', () => {
  it('counts what the template bills: alarm metrics by resolution, dashboards, keys, the scheduled function', () => {
    // Act
    const shape = readStackShape(template());

    // Assess
    expect(shape.alarms).toEqual({ standardMetrics: 3, highResolutionMetrics: 1, composite: 0 });
    expect([shape.dashboards, shape.kmsKeys]).toEqual([1, 1]);
    expect(shape.paidGuardrailPolicies).toEqual(['content']);
    expect(shape.scheduled).toEqual([
      {
        logicalId: 'Fn',
        schedule: 'rate(1 hour)',
        memoryMb: 1024,
        architecture: 'arm64',
        environment: { BEDROCK_MATRIX_CONCURRENCY: '8', BEDROCK_MATRIX_TABLE_NAME: null },
        logRetentionDays: 90,
      },
    ]);
  });

  it('prices each item at its list price for a month of hourly runs', () => {
    // Act
    const cost = priceStack({ shape: readStackShape(template()), run: run() });

    // Assess: 36 series all month $10.80; 3 + 1 high-res alarm metrics $0.60; 730 runs of
    // ceil(80/8) x 2 s at 1 GB; 730k write units; 1M Nova Micro input tokens; 7,300 text units.
    expect(usd(cost, 'metrics')).toBeCloseTo(10.8, 6);
    expect(usd(cost, 'alarms')).toBeCloseTo(0.6, 6);
    expect(usd(cost, 'dashboards')).toBe(3);
    expect(usd(cost, 'kms')).toBe(1);
    expect(usd(cost, 'lambda')).toBeCloseTo(730 * 20 * 0.0000133334 + 730 * 0.2e-6, 6);
    expect(usd(cost, 'dynamodb')).toBeCloseTo(0.73 * 0.625 + 0.073 * 0.125, 6);
    expect(usd(cost, 'tokens')).toBeCloseTo(0.035, 6);
    expect(usd(cost, 'guardrail')).toBeCloseTo(7.3 * 0.15, 6);
    expect(cost.total - cost.totalExcludingInference).toBeCloseTo(0.035 + 1.095, 6);
    expect(cost.staleSettings).toEqual([]);
  });

  it('bills a series only for the hours it gets data: a run every 2 hours halves the metrics', () => {
    // Act
    const cost = priceStack({ shape: readStackShape(template('rate(2 hours)')), run: run() });

    // Assess
    expect(usd(cost, 'metrics')).toBeCloseTo(5.4, 6);
  });

  it('prices a model without a price of its own at its provider dearest, and names it', () => {
    // Prepare
    const models = {
      'acme.small': { input: 1, output: 2, source: 's' },
      'acme.large': { input: 3, output: 9, source: 's' },
      'other.x': { input: 5, output: 25, source: 's' },
    };

    // Act
    const cost = priceStack({
      shape: readStackShape(template()),
      run: run({ tokens: { 'acme.new': { input: 0, output: 1_000_000 / 730 } } }),
      models,
    });

    // Assess
    expect(fallbackPrice('acme.new', models).output).toBe(9);
    expect(fallbackPrice('nobody.new', models).output).toBe(25);
    expect(usd(cost, 'tokens')).toBeCloseTo(9, 6);
    expect(cost.fallbackPriced).toEqual(['acme.new']);
  });

  it('says when the measured run used other settings than the template', () => {
    // Act
    const cost = priceStack({
      shape: readStackShape(template()),
      run: run({ settings: { BEDROCK_MATRIX_CONCURRENCY: '4' } }),
    });

    // Assess
    expect(cost.staleSettings).toEqual(['BEDROCK_MATRIX_CONCURRENCY: template 8, measured 4']);
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
