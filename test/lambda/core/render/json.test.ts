import { describe, expect, it } from 'vitest';
import type { Report } from '../../../../lambda/core/model';
import { parseReport, ReportFormatError, renderJson } from '../../../../lambda/core/render/json';
import { BEARER_PREFIX } from '../../../support/planted-secrets';
import { basicCell, buildSampleReport } from '../../../support/sample-report';

/** The sample as plain JSON data, so a test can break one field of it. */
const sampleData = (): Record<string, unknown> & { cells: Record<string, unknown>[] } =>
  JSON.parse(renderJson(buildSampleReport()));

const parseError = (data: unknown): ReportFormatError => {
  try {
    parseReport(typeof data === 'string' ? data : JSON.stringify(data), 'report.json');
  } catch (err) {
    if (err instanceof ReportFormatError) return err;
    throw err;
  }
  throw new Error('parseReport accepted a bad report');
};

describe('renderJson', () => {
  it('writes schema version 1 with the DESIGN.md key order, 2-space indent and a trailing newline', () => {
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

describe('parseReport', () => {
  it('reads back exactly what renderJson wrote (lossless round trip)', () => {
    // Prepare
    const report = buildSampleReport();
    const text = renderJson(report);

    // Act
    const parsed = parseReport(text, 'report.json');

    // Assess
    expect(parsed).toEqual(report);
    expect(renderJson(parsed)).toBe(text);
  });

  it('keeps optional parts optional: no source, no controls, a model-added change', () => {
    // Prepare
    const { source: _s, guardrailControls: _g, ...rest } = buildSampleReport();
    const report: Report = rest;

    // Act
    const parsed = parseReport(renderJson(report), 'report.json');

    // Assess
    expect(parsed).toEqual(report);
    expect('source' in parsed).toBe(false);
    expect(parsed.changes.find((c) => c.kind === 'model-added')).toMatchObject({ api: null, from: null });
  });

  it('recomputes a missing summary from the cells', () => {
    // Prepare
    const data = sampleData();
    delete data.summary;

    // Act
    const parsed = parseReport(JSON.stringify(data), 'report.json');

    // Assess
    expect(parsed.summary.cells).toBe(data.cells.length);
    expect(parsed.summary.byEndpointApi['mantle/chat']?.basic.supported).toBe(38 + 3);
  });

  it('rejects an unknown status with one line naming the file, the field and the value', () => {
    // Prepare
    const data = sampleData();
    (data.cells[3] as Record<string, unknown>).status = 'maybe';

    // Act
    const err = parseError(data);

    // Assess
    expect(err.message).toBe('report.json: cells[3].status: unknown status "maybe"');
    expect(err.name).toBe('ReportFormatError');
  });

  it.each([
    [
      'a different schema version',
      (d: Record<string, unknown>) => Object.assign(d, { schemaVersion: 2 }),
      'report.json: schemaVersion: expected 1, got 2',
    ],
    [
      'missing cells',
      (d: Record<string, unknown>) => delete d.cells,
      'report.json: cells: expected an array, got nothing',
    ],
    [
      'models not an array',
      (d: Record<string, unknown>) => Object.assign(d, { models: {} }),
      'report.json: models: expected an array, got an object',
    ],
    [
      'an unknown endpoint',
      (d: { cells: Record<string, unknown>[] }) => Object.assign(d.cells[0] ?? {}, { endpoint: 'edge' }),
      'report.json: cells[0].endpoint: unknown endpoint "edge"',
    ],
    [
      'an unknown api',
      (d: { cells: Record<string, unknown>[] }) => Object.assign(d.cells[1] ?? {}, { api: 'completions' }),
      'report.json: cells[1].api: unknown api "completions"',
    ],
    [
      'an unknown variant',
      (d: { cells: Record<string, unknown>[] }) => Object.assign(d.cells[2] ?? {}, { variant: 'vision' }),
      'report.json: cells[2].variant: unknown variant "vision"',
    ],
    [
      'a non-numeric latency',
      (d: { cells: Record<string, unknown>[] }) =>
        Object.assign((d.cells[0] as { evidence: Record<string, unknown> }).evidence, { latencyMs: 'fast' }),
      'report.json: cells[0].evidence.latencyMs: expected a number or null, got "fast"',
    ],
    [
      'an unknown change status',
      (d: Record<string, unknown>) =>
        Object.assign((d.changes as Record<string, unknown>[])[0] ?? {}, { to: 'gone' }),
      'report.json: changes[0].to: unknown status "gone"',
    ],
    [
      'an unknown summary status',
      (d: Record<string, unknown>) =>
        Object.assign((d.summary as { byStatus: Record<string, unknown> }).byStatus, { maybe: 1 }),
      'report.json: summary.byStatus: unknown status "maybe"',
    ],
    [
      'partial not a boolean',
      (d: Record<string, unknown>) => Object.assign(d, { partial: 'no' }),
      'report.json: partial: expected true or false, got "no"',
    ],
  ] as const)('rejects %s with an exact one-line message', (_name, breakIt, message) => {
    // Prepare
    const data = sampleData();
    (breakIt as (d: typeof data) => unknown)(data);

    // Act
    const err = parseError(data);

    // Assess
    expect(err.message).toBe(message);
  });

  it('rejects text that is not JSON, or not an object, on one line', () => {
    // Prepare
    const notJson = '{"schemaVersion": 1,\n  oops';

    // Act
    const a = parseError(notJson);
    const b = parseError('[1, 2]');

    // Assess
    expect(a.message).toMatch(/^report\.json: \(file\): not valid JSON: /);
    expect(a.message).not.toContain('\n');
    expect(b.message).toBe('report.json: (top level): expected an object, got an array');
  });

  it('shortens a huge bad value so the message stays one readable line', () => {
    // Prepare
    const data = sampleData();
    (data.cells[0] as Record<string, unknown>).status = `bad\n${'x'.repeat(500)}`;

    // Act
    const err = parseError(data);

    // Assess
    expect(err.message).not.toContain('\n');
    expect(err.message.length).toBeLessThan(140);
    expect(err.message.startsWith('report.json: cells[0].status: unknown status "bad\\nxxx')).toBe(true);
  });
});
