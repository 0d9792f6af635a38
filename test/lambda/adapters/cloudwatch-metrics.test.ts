import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { publishMetrics } from '../../../lambda/adapters/cloudwatch-metrics';
import { HOME_METRICS } from '../../../lambda/shared/names';

const cw = mockClient(CloudWatchClient);
const TS = new Date('2026-11-25T11:05:00.000Z');

/** What the home sends on an alert and a watch tick, plus one dimensioned datum: passed as given. */
const data: MetricDatum[] = [
  { MetricName: HOME_METRICS.confirmedChanges, Timestamp: TS, Value: 3, Unit: 'Count' },
  { MetricName: HOME_METRICS.guardrailChanges, Timestamp: TS, Value: 1, Unit: 'Count' },
  { MetricName: HOME_METRICS.staleRegions, Timestamp: TS, Value: 0, Unit: 'Count' },
  { MetricName: HOME_METRICS.failingRegions, Timestamp: TS, Value: 2, Unit: 'Count' },
  {
    MetricName: 'SupportedModels',
    Dimensions: [
      { Name: 'Region', Value: 'us-east-1' },
      { Name: 'Endpoint', Value: 'mantle' },
      { Name: 'Api', Value: 'chat' },
    ],
    Timestamp: TS,
    Value: 1,
    Unit: 'Count',
  },
];

describe('publishMetrics', () => {
  beforeEach(() => {
    cw.reset();
    cw.on(PutMetricDataCommand).resolves({});
  });

  it('sends a few datums in a single PutMetricData call under the BedrockMatrix namespace, as given', async () => {
    // Act
    const calls = await publishMetrics(new CloudWatchClient({ region: 'us-east-1' }), data);

    // Assess
    expect(calls).toBe(1);
    const sent = cw.commandCalls(PutMetricDataCommand);
    expect(sent).toHaveLength(1);
    const input = sent[0]!.args[0].input;
    expect(input.Namespace).toBe('BedrockMatrix');
    expect(input.MetricData).toEqual(data);
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
