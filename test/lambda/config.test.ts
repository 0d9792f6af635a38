import { describe, expect, it } from 'vitest';
import { readProberConfig } from '../../lambda/config';
import { ENV } from '../../lambda/shared/names';
import { SETTINGS } from '../../lambda/shared/settings';

const valid = {
  AWS_REGION: 'eu-west-1',
  [ENV.tableName]: 'results',
  [ENV.tableRegion]: 'us-east-1',
  [ENV.account]: '123456789012',
  [ENV.guardrailId]: 'abc123',
  [ENV.guardrailVersion]: '1',
};

describe('readProberConfig', () => {
  it('reads the stack-set environment with the spec defaults for the optional values', () => {
    // Act
    const config = readProberConfig({ ...valid, [ENV.apis]: 'chat,responses', [ENV.maxCalls]: '0' });

    // Assess
    expect(config).toMatchObject({
      region: 'eu-west-1',
      // A region's prober writes to the home's table, in the home region.
      tableRegion: 'us-east-1',
      account: '123456789012',
      guardrail: { id: 'abc123', version: '1' },
      apis: ['chat', 'responses'],
      maxTokens: SETTINGS.maxTokens.default,
      confirmCount: 2,
      probeTimeoutMs: 20_000,
      dependencyTimeoutMs: 10_000,
      mantleFirstCallTimeoutMs: 120_000,
      maxAnswerMb: 4,
      perModelConcurrency: 2,
    });
    expect(config.maxCalls).toBe(Number.POSITIVE_INFINITY);
    expect(config.maxRunTokens).toBe(Number.POSITIVE_INFINITY);
  });

  it('reads the settings a scheduled run takes beyond the old ones', () => {
    // Act
    const config = readProberConfig({
      ...valid,
      [ENV.maxRunTokens]: '50000',
      [ENV.dependencyTimeoutMs]: '5000',
      [ENV.mantleFirstCallTimeoutMs]: '90000',
      [ENV.maxAnswerMb]: '8',
      [ENV.perModelConcurrency]: '4',
      [ENV.probeTimeoutMs]: '30000',
      [ENV.includeModels]: 'openai.*, anthropic.*',
    });

    // Assess
    expect(config).toMatchObject({
      maxRunTokens: 50_000,
      dependencyTimeoutMs: 5000,
      mantleFirstCallTimeoutMs: 90_000,
      maxAnswerMb: 8,
      perModelConcurrency: 4,
      probeTimeoutMs: 30_000,
      include: ['openai.*', 'anthropic.*'],
    });
  });

  it('lists every missing or bad value in one error, each under its variable name', () => {
    // Act
    const read = () =>
      readProberConfig({
        AWS_REGION: 'eu-west-1',
        [ENV.account]: '12345',
        [ENV.maxTokens]: 'lots',
        [ENV.apis]: 'chat,grpc',
        [ENV.dependencyTimeoutMs]: '50',
        [ENV.guardrailVersion]: 'latest',
      });

    // Assess
    expect(read).toThrow(
      'bedrock-matrix prober configuration: BEDROCK_MATRIX_TABLE_NAME is missing; ' +
        'BEDROCK_MATRIX_ACCOUNT: "12345" is not a 12-digit AWS account id; BEDROCK_MATRIX_GUARDRAIL_ID is missing; ' +
        'BEDROCK_MATRIX_GUARDRAIL_VERSION: "latest" is not a version number or DRAFT; ' +
        'BEDROCK_MATRIX_APIS: unknown api "grpc" (expected converse, invoke, chat, responses, messages); ' +
        'BEDROCK_MATRIX_MAX_TOKENS: "lots" is not a whole number; ' +
        'BEDROCK_MATRIX_DEPENDENCY_TIMEOUT_MS: 50 is out of range (100 to 120000)',
    );
  });
});
