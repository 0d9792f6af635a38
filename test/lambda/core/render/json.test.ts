import { describe, expect, it } from 'vitest';
import type { Report } from '../../../../lambda/core/model';
import { renderJson } from '../../../../lambda/core/render/json';
import { BEARER_PREFIX } from '../../../support/planted-secrets';
import { basicCell, buildSampleReport } from '../../../support/sample-report';

describe('renderJson', () => {
  it('writes schema version 1 with the README key order, 2-space indent and a trailing newline', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const text = renderJson(report);

    // Assess
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "runId": "run-2026-05-02T09-00-00Z-7f3a",\n')).toBe(
      true,
    );
    expect(text.endsWith('}\n')).toBe(true);
    const data = JSON.parse(text);
    expect(Object.keys(data)).toEqual([
      'schemaVersion',
      'runId',
      'startedAt',
      'finishedAt',
      'partial',
      'regions',
      'models',
      'cells',
      'changes',
      'summary',
      'source',
      'guardrailControls',
    ]);
    expect(Object.keys(data.cells[0])).toEqual([
      'region',
      'model',
      'endpoint',
      'api',
      'variant',
      'status',
      'evidence',
    ]);
    expect(Object.keys(data.cells[0].evidence).slice(0, 13)).toEqual([
      'httpStatus',
      'errorType',
      'errorCode',
      'message',
      'route',
      'modelId',
      'latencyMs',
      'ttfbMs',
      'inputTokens',
      'outputTokens',
      'responseIdPrefix',
      'requestId',
      'reason',
    ]);
    expect(Object.keys(data.changes[0]).slice(0, 7)).toEqual([
      'region',
      'model',
      'endpoint',
      'api',
      'variant',
      'from',
      'to',
    ]);
  });

  it('writes the same bytes whatever order the object keys were built in', () => {
    // Prepare
    const report = buildSampleReport();
    const shuffled = JSON.parse(JSON.stringify(report), (_key, value) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    ) as Report;

    // Act
    const a = renderJson(report);
    const b = renderJson(shuffled);

    // Assess
    expect(Object.keys(shuffled)[0]).not.toBe('schemaVersion');
    expect(b).toBe(a);
  });

  it('fills evidence fields that do not apply with null, never leaves them out', () => {
    // Prepare
    const report = {
      ...buildSampleReport(),
      cells: [
        basicCell('us-east-1', 'openai.gpt-oss-120b', 'mantle', 'chat', 'skipped', { reason: 'budget' }),
      ],
    };

    // Act
    const evidence = JSON.parse(renderJson(report)).cells[0].evidence;

    // Assess
    expect(evidence).toEqual({
      httpStatus: null,
      errorType: null,
      errorCode: null,
      message: null,
      route: null,
      modelId: null,
      latencyMs: null,
      ttfbMs: null,
      inputTokens: null,
      outputTokens: null,
      responseIdPrefix: null,
      requestId: null,
      reason: 'budget',
    });
  });

  it('never lets a bearer token or a SigV4 signature that slipped into evidence reach the file', () => {
    // Prepare
    const token = `${BEARER_PREFIX}YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbg==`;
    const signature = 'Signature=4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8';
    const report = {
      ...buildSampleReport(),
      cells: [
        basicCell('us-east-1', 'openai.gpt-oss-120b', 'mantle', 'chat', 'error', {
          message: `upstream said: Authorization: Bearer ${token} ${signature}`,
        }),
      ],
    };

    // Act
    const text = renderJson(report);

    // Assess
    expect(text).not.toContain('bedrock-api-key-');
    expect(text).not.toContain('4f1a2b3c4d5e6f70');
    expect(text).toContain('[redacted]');
  });
});
