import { describe, expect, it } from 'vitest';
import { readProberConfig } from '../../lambda/config';
import { ENV } from '../../lambda/shared/names';

const valid = {
  AWS_REGION: 'eu-west-1',
  [ENV.tableName]: 'results',
  [ENV.topicArn]: 'arn:aws:sns:eu-west-1:123456789012:alerts',
  [ENV.guardrailId]: 'abc123',
  [ENV.guardrailVersion]: '1',
};

describe('readProberConfig', () => {
  it('reads the stack-set environment with defaults for the optional values', () => {
    // Act
    const config = readProberConfig({ ...valid, [ENV.apis]: 'chat,responses', [ENV.maxCalls]: '0' });

    // Assess
    expect(config).toMatchObject({
      region: 'eu-west-1',
      apis: ['chat', 'responses'],
      maxTokens: 16,
      confirmCount: 2,
    });
    expect(config.maxCalls).toBe(Number.POSITIVE_INFINITY);
  });

  it('lists every missing or bad value in one error', () => {
    // Act
    const read = () =>
      readProberConfig({ AWS_REGION: 'eu-west-1', [ENV.maxTokens]: 'lots', [ENV.apis]: 'chat,grpc' });

    // Assess
    expect(read).toThrow(
      'bedrock-matrix prober configuration: BEDROCK_MATRIX_APIS has unknown api "grpc"; ' +
        'BEDROCK_MATRIX_TABLE_NAME is missing; BEDROCK_MATRIX_TOPIC_ARN is missing; ' +
        'BEDROCK_MATRIX_GUARDRAIL_ID is missing; BEDROCK_MATRIX_GUARDRAIL_VERSION is missing; ' +
        'BEDROCK_MATRIX_MAX_TOKENS="lots" is not a whole number from 1 to 4096',
    );
  });
});
