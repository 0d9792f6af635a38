import { describe, expect, it } from 'vitest';
import { type CellResult, emptyEvidence } from '../../../lambda/core/model';
import { problemLine, runProblems } from '../../../lambda/core/run-problems';

const cell = (model: string, over: Partial<CellResult> = {}): CellResult => ({
  region: 'us-east-1',
  model,
  endpoint: 'mantle',
  api: 'chat',
  variant: 'basic',
  status: 'error',
  evidence: emptyEvidence({
    httpStatus: 401,
    latencyMs: 12,
    reason: 'authentication failed: Invalid bearer token',
    message: 'Invalid bearer token',
  }),
  ...over,
});

describe('runProblems', () => {
  it('names a host that failed every call the same way once, not per cell', () => {
    // Prepare
    const cells = ['a', 'b', 'c', 'd'].map((m) => cell(`openai.${m}`));

    // Act
    const problems = runProblems({ region: 'us-east-1', cells, catalogProblems: [] });

    // Assess
    expect(problems.map(problemLine)).toEqual([
      'us-east-1 mantle: authentication failed: Invalid bearer token (all 4 calls)',
    ]);
  });

  it('says nothing of a host where some calls worked, or failed in different ways', () => {
    // Prepare
    const mixed = [
      cell('openai.a'),
      cell('openai.b'),
      cell('openai.c', { status: 'supported' }),
      cell('openai.d', { evidence: emptyEvidence({ latencyMs: 5, reason: 'timeout: no complete answer' }) }),
    ];

    // Act
    const problems = runProblems({ region: 'us-east-1', cells: mixed, catalogProblems: [] });

    // Assess
    expect(problems).toEqual([]);
  });

  it('lists catalog, guardrail-fact and store failures with their scope', () => {
    // Act
    const problems = runProblems({
      region: 'eu-west-1',
      cells: [],
      catalogProblems: ['mantle /v1/models: authentication failed: Invalid bearer token'],
      guardrailProblems: ['GetGuardrail gr1:1 failed: AccessDeniedException'],
      storeFailure: 'DynamoDB Query on table t (STATE#eu-west-1) did not answer within 10 s',
    });

    // Assess
    expect(problems.map(problemLine)).toEqual([
      'eu-west-1 mantle: catalog unavailable: mantle /v1/models: authentication failed: Invalid bearer token',
      'eu-west-1 control: GetGuardrail gr1:1 failed: AccessDeniedException',
      'eu-west-1 store: DynamoDB Query on table t (STATE#eu-west-1) did not answer within 10 s',
    ]);
  });
});
