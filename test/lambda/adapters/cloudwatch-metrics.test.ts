import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { publishMetrics } from '../../../lambda/adapters/cloudwatch-metrics';
import { buildMetricData } from '../../../lambda/core/metric-data';
import type { Report } from '../../../lambda/core/model';
import { cellResult } from '../../support/cells';

const cw = mockClient(CloudWatchClient);
const TS = new Date('2026-11-25T11:05:00.000Z');

const report: Report = {
  schemaVersion: 1,
  runId: 'r1',
  startedAt: '2026-11-25T11:00:00.000Z',
  finishedAt: TS.toISOString(),
  partial: false,
  regions: ['us-east-1'],
  models: [],
  cells: [cellResult({ model: 'openai.a' })],
  changes: [],
  summary: { cells: 1, models: 1, probesSent: 3, byStatus: {}, byEndpointApi: {} },
};

describe('publishMetrics', () => {
  beforeEach(() => {
    cw.reset();
    cw.on(PutMetricDataCommand).resolves({});
  });

  it('sends one run in a single PutMetricData call under the BedrockMatrix namespace', async () => {
    // Prepare
    const data = buildMetricData(report, { region: 'us-east-1', durationMs: 900 });

    // Act
    const calls = await publishMetrics(new CloudWatchClient({ region: 'us-east-1' }), data);

    // Assess
    expect(calls).toBe(1);
    const sent = cw.commandCalls(PutMetricDataCommand);
    expect(sent).toHaveLength(1);
    const input = sent[0]!.args[0].input;
    expect(input.Namespace).toBe('BedrockMatrix');
    expect(input.MetricData).toHaveLength(36);
    expect(input.MetricData?.[0]).toEqual({
      MetricName: 'RunHeartbeat',
      Dimensions: [{ Name: 'Region', Value: 'us-east-1' }],
      Timestamp: TS,
      Value: 1,
      Unit: 'Count',
    });
    expect(input.MetricData?.find((d) => d.MetricName === 'RunDurationMs')).toMatchObject({
      Value: 900,
      Unit: 'Milliseconds',
    });
    expect(
      input.MetricData?.find(
        (d) => d.MetricName === 'SupportedModels' && d.Dimensions?.some((x) => x.Value === 'mantle'),
      ),
    ).toEqual({
      MetricName: 'SupportedModels',
      Dimensions: [
        { Name: 'Region', Value: 'us-east-1' },
        { Name: 'Endpoint', Value: 'mantle' },
        { Name: 'Api', Value: 'chat' },
      ],
      Timestamp: TS,
      Value: 1,
      Unit: 'Count',
    });
  });

  it('splits more than 1000 datums into the fewest calls, in order, with a custom namespace', async () => {
    // Prepare
    const data: MetricDatum[] = Array.from({ length: 2001 }, (_, i) => ({
      MetricName: 'ProbesSent',
      Dimensions: [{ Name: 'Region', Value: 'us-east-1' }],
      Value: i,
      Unit: 'Count',
    }));

    // Act
    const calls = await publishMetrics(
      new CloudWatchClient({ region: 'us-east-1' }),
      data,
      'BedrockMatrixTest',
    );

    // Assess
    const sent = cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(calls).toBe(3);
    expect(sent.map((i) => i.MetricData?.length)).toEqual([1000, 1000, 1]);
    expect(sent.every((i) => i.Namespace === 'BedrockMatrixTest')).toBe(true);
    expect(sent[2]?.MetricData?.[0]?.Value).toBe(2000);
  });

  it('sends nothing for no data and refuses an AWS/ namespace', async () => {
    // Prepare
    const client = new CloudWatchClient({ region: 'us-east-1' });

    // Act
    const calls = await publishMetrics(client, []);

    // Assess
    expect(calls).toBe(0);
    expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    await expect(publishMetrics(client, [], 'AWS/Bedrock')).rejects.toThrow('"AWS/Bedrock"');
  });
});
