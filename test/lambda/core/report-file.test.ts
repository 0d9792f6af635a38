import { describe, expect, it } from 'vitest';
import type { Report } from '../../../lambda/core/model';
import { renderJson } from '../../../lambda/core/render/json';
import { parseReport, ReportFormatError } from '../../../lambda/core/report-file';
import { buildSampleReport } from '../../support/sample-report';

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

  it('carries the run kind of a stored run both ways, and refuses a kind it does not know', () => {
    // Prepare
    const report: Report = { ...buildSampleReport(), runKind: 'targeted' };
    const bad = { ...sampleData(), runKind: 'hourly' };

    // Act
    const parsed = parseReport(renderJson(report), 'report.json');

    // Assess
    expect(parsed.runKind).toBe('targeted');
    expect(parseError(bad).message).toMatch(/runKind.*"hourly"/);
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
