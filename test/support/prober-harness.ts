/**
 * What every test of the prober handler shares: CloudWatch and SNS mocked (they have no local
 * stand-in), the topic, the configuration the stack would give, and a Lambda context.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach } from 'vitest';
import type { ProberConfig } from '../../lambda/config';
import type { TestSimulator } from './simulator';

/**
 * CloudWatch and SNS mocked, reset before each test, accepting every call until a test says
 * otherwise. Call once at the top of a test file.
 */
export function mockedOutputs() {
  const cloudWatch = mockClient(CloudWatchClient);
  const sns = mockClient(SNSClient);
  beforeEach(() => {
    cloudWatch.reset();
    cloudWatch.on(PutMetricDataCommand).resolves({});
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });
  return { cloudWatch, sns };
}

/** The account of the probed scope (DynamoDB Local does not check it). */
export const ACCOUNT = '123456789012';

export const TOPIC = 'arn:aws:sns:us-east-1:123456789012:bedrock-matrix-alerts';

/** The configuration the stack gives the prober, on `table`, probing the models of `include`. */
export function proberConfig(sim: TestSimulator, table: string, include: readonly string[]): ProberConfig {
  return {
    region: sim.region,
    account: ACCOUNT,
    tableName: table,
    tableRegion: sim.region,
    guardrail: { id: 'gr-probe', version: '1' },
    canary: 'BMX-CANARY-7F3A9C',
    include,
    exclude: [],
    apis: undefined,
    maxTokens: 16,
    concurrency: 8,
    historyTtlDays: 90,
    confirmCount: 2,
    noticeDays: 30,
    maxCalls: Number.POSITIVE_INFINITY,
  };
}
