import { describe, expect, it } from 'vitest';
import { readHomeConfig, readWatchedConfig } from '../../../lambda/home/config';
import { ENV } from '../../../lambda/shared/names';
import { ORG_ENV } from '../../../lambda/shared/org-names';

const valid = {
  AWS_REGION: 'us-east-1',
  [ENV.tableName]: 'bedrock-matrix-results',
  [ENV.account]: '123456789012',
  [ENV.regions]: 'us-east-1,eu-west-3',
  [ENV.staleAfterMinutes]: '2940',
  [ENV.topicArn]: 'arn:aws:sns:us-east-1:123456789012:bedrock-matrix-alerts',
};

describe('readHomeConfig', () => {
  it('reads what the home stack sets, the dependency timeout and namespace defaulted', () => {
    // Act
    const config = readHomeConfig(valid);

    // Assess
    expect(config).toEqual({
      region: 'us-east-1',
      tableName: 'bedrock-matrix-results',
      account: '123456789012',
      regions: ['us-east-1', 'eu-west-3'],
      staleAfterMs: 2940 * 60_000,
      topicArn: valid[ENV.topicArn],
      metricsNamespace: 'BedrockMatrix',
      dependencyTimeoutMs: 10_000,
      // No probe accounts: a single account's home, not an organization's.
      org: null,
    });
  });

  it('reads an organization home: the probe account of each region and the target OUs', () => {
    // Prepare
    const env = {
      ...valid,
      [ORG_ENV.probeAccounts]: 'us-east-1=111111111111,eu-west-1=444444444444',
      [ORG_ENV.organizationalUnits]: 'ou-ab12-workload1,ou-ab12-sandbox1',
    };

    // Act
    const config = readHomeConfig(env);

    // Assess
    expect(config.org).toEqual({
      probeAccounts: { 'us-east-1': '111111111111', 'eu-west-1': '444444444444' },
      organizationalUnits: ['ou-ab12-workload1', 'ou-ab12-sandbox1'],
    });
  });

  it('names a probe-account pair that is not region=account', () => {
    // Act and Assess
    expect(() => readHomeConfig({ ...valid, [ORG_ENV.probeAccounts]: 'us-east-1=1111' })).toThrow(
      /BEDROCK_MATRIX_PROBE_ACCOUNTS: "us-east-1=1111" is not region=12-digit-account/,
    );
  });

  it('names every missing or bad variable in one line', () => {
    // Act
    const read = () =>
      readHomeConfig({
        AWS_REGION: 'us-east-1',
        [ENV.account]: 'me',
        [ENV.regions]: 'us-east-1,mars-north-1',
        [ENV.staleAfterMinutes]: '-5',
      });

    // Assess
    expect(read).toThrow(
      /^bedrock-matrix home configuration: BEDROCK_MATRIX_TOPIC_ARN is missing; BEDROCK_MATRIX_TABLE_NAME is missing; BEDROCK_MATRIX_ACCOUNT: "me" is not a 12-digit AWS account id; BEDROCK_MATRIX_REGIONS: .*mars-north-1.*; BEDROCK_MATRIX_STALE_AFTER_MINUTES: "-5" is not a whole number of minutes above 0$/,
    );
  });

  it('needs no topic for the widget (readWatchedConfig)', () => {
    // Act
    const { [ENV.topicArn]: _, ...widget } = valid;

    // Assess
    expect(readWatchedConfig(widget).regions).toEqual(['us-east-1', 'eu-west-3']);
  });
});
