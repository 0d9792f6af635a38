import { describe, expect, it } from 'vitest';
import { buildMetricData } from '../../../lambda/core/metric-data';
import { type CellResult, type Change, emptyEvidence, type Report } from '../../../lambda/core/model';
import { cellResult } from '../../support/cells';

const FINISHED = '2026-11-25T11:05:00.000Z';

const cell = (over: Partial<CellResult>): CellResult => cellResult({ model: 'openai.a', ...over });

const report = (cells: CellResult[], over: Partial<Report> = {}): Report => ({
  schemaVersion: 1,
  runId: 'r1',
  startedAt: '2026-11-25T11:00:00.000Z',
  finishedAt: FINISHED,
  partial: false,
  regions: ['us-east-1'],
  models: [],
  cells,
  changes: [],
  summary: { cells: cells.length, models: 0, probesSent: 42, byStatus: {}, byEndpointApi: {} },
  ...over,
});

const value = (data: ReturnType<typeof buildMetricData>, name: string, endpoint?: string, api?: string) => {
  const found = data.filter(
    (d) =>
      d.MetricName === name &&
      (endpoint === undefined ||
        (d.Dimensions?.some((x) => x.Name === 'Endpoint' && x.Value === endpoint) &&
          d.Dimensions?.some((x) => x.Name === 'Api' && x.Value === api))),
  );
  expect(found).toHaveLength(1);
  return found[0]?.Value;
};

describe('buildMetricData', () => {
  it('emits the run metrics with the Region dimension, units and the run end as timestamp', () => {
    // Prepare
    const cells = [
      cell({ status: 'error' }),
      cell({ model: 'openai.b', status: 'throttled' }),
      cell({ model: 'openai.c', status: 'throttled' }),
      cell({ model: 'openai.d', status: 'skipped' }),
      cell({ region: 'eu-west-1', status: 'error' }),
    ];
    const changes: Change[] = [
      { ...cell({ variant: 'guardrail' }), from: 'enforced', to: 'ignored' },
      { ...cell({}), from: 'supported', to: 'unsupported' },
      { ...cell({ region: 'eu-west-1' }), from: 'supported', to: 'unsupported' },
    ];

    // Act
    const data = buildMetricData(report(cells, { partial: true }), {
      region: 'us-east-1',
      durationMs: 1234,
      changes,
    });

    // Assess
    expect(data.slice(0, 11)).toEqual(
      [
        ['RunHeartbeat', 1, 'Count'],
        ['RunPartial', 1, 'Count'],
        ['RunDurationMs', 1234, 'Milliseconds'],
        ['ProbesSent', 42, 'Count'],
        ['ProbeErrors', 1, 'Count'],
        ['ProbeThrottles', 2, 'Count'],
        ['CellsProbed', 3, 'Count'],
        ['GuardrailControlFailed', 0, 'Count'],
        ['ProbeIamDenied', 0, 'Count'],
        ['ConfirmedChanges', 2, 'Count'],
        ['GuardrailChanges', 1, 'Count'],
      ].map(([MetricName, Value, Unit]) => ({
        MetricName,
        Dimensions: [{ Name: 'Region', Value: 'us-east-1' }],
        Timestamp: new Date(FINISHED),
        Value,
        Unit,
      })),
    );
  });

  it('counts the cells our own role was denied by IAM, apart from other no-access cells', () => {
    // Prepare
    const cells = [
      cell({ status: 'no-access', evidence: emptyEvidence({ reason: 'IAM denied: bedrock:InvokeModel' }) }),
      cell({
        model: 'openai.b',
        status: 'no-access',
        evidence: emptyEvidence({ reason: 'no access to the model' }),
      }),
    ];

    // Act
    const data = buildMetricData(report(cells), { region: 'us-east-1', durationMs: 1 });

    // Assess
    expect(data.find((d) => d.MetricName === 'ProbeIamDenied')?.Value).toBe(1);
  });

  it('emits per endpoint x api counts for every combination, zeros included', () => {
    // Prepare
    const cells = [
      cell({}),
      cell({ model: 'openai.b' }),
      cell({ model: 'openai.c', status: 'unsupported' }),
      cell({ variant: 'stream' }),
      cell({ variant: 'guardrail', status: 'ignored' }),
      cell({ endpoint: 'runtime', api: 'converse', variant: 'guardrail', status: 'enforced' }),
    ];

    // Act
    const data = buildMetricData(report(cells), { region: 'us-east-1', durationMs: 10 });

    // Assess
    // 5 runtime apis + 3 mantle apis, 3 metrics each, after the 12 run metrics.
    expect(data).toHaveLength(12 + 8 * 3);
    expect(value(data, 'SupportedModels', 'mantle', 'chat')).toBe(2);
    expect(value(data, 'GuardrailIgnored', 'mantle', 'chat')).toBe(1);
    expect(value(data, 'GuardrailEnforced', 'mantle', 'chat')).toBe(0);
    expect(value(data, 'GuardrailEnforced', 'runtime', 'converse')).toBe(1);
    expect(value(data, 'SupportedModels', 'runtime', 'messages')).toBe(0);
    expect(value(data, 'RunPartial')).toBe(0);
    expect(value(data, 'ConfirmedChanges')).toBe(0);
    expect(data.find((d) => d.MetricName === 'SupportedModels')?.Dimensions).toEqual([
      { Name: 'Region', Value: 'us-east-1' },
      { Name: 'Endpoint', Value: 'runtime' },
      { Name: 'Api', Value: 'converse' },
    ]);
  });

  it.each([
    ['ignored', 1],
    ['error', 1],
    ['enforced', 0],
  ] as const)('reports GuardrailControlFailed %s -> %i for the region of the control', (status, expected) => {
    // Prepare
    const control = (region: string, s: string) => ({
      region,
      guardrailId: 'gr1',
      guardrailVersion: '1',
      status: s as 'enforced',
      evidence: emptyEvidence(),
    });
    const r = report([], {
      guardrailControls: [control('us-east-1', status), control('eu-west-1', 'ignored')],
    });

    // Act
    const here = buildMetricData(r, { region: 'us-east-1', durationMs: 10 });
    const none = buildMetricData(report([]), { region: 'us-east-1', durationMs: 10 });

    // Assess
    expect(value(here, 'GuardrailControlFailed')).toBe(expected);
    expect(value(none, 'GuardrailControlFailed')).toBe(0);
  });

  it('rejects a negative duration with the value in the message', () => {
    // Act / Assess
    expect(() => buildMetricData(report([]), { region: 'us-east-1', durationMs: -5 })).toThrow(
      'durationMs must be a non-negative number, got -5',
    );
  });
});
