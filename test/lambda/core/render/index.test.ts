import { describe, expect, it } from 'vitest';
import { FORMATS, render } from '../../../../lambda/core/render/index';
import { parseReport } from '../../../../lambda/core/report-file';
import { buildSampleReport } from '../../../support/sample-report';

describe('render', () => {
  it('dispatches each format to its renderer', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const out = Object.fromEntries(FORMATS.map((f) => [f, render(report, f)]));

    // Assess
    expect(out.table).toContain('Region us-east-1');
    expect(parseReport(out.json ?? '', 'out.json')).toEqual(report);
    expect(out.markdown?.startsWith('# Bedrock matrix: ')).toBe(true);
    expect(out.html?.startsWith('<!doctype html>')).toBe(true);
    expect(JSON.parse(out.capabilities ?? '')).toMatchObject({
      kind: 'bedrock-matrix/capabilities',
      version: 1,
    });
    expect(JSON.parse(out.litellm ?? '').model_list.length).toBeGreaterThan(0);
  });

  it('colours the table only when asked and honours the width', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const plain = render(report, 'table');
    const coloured = render(report, 'table', { color: true });
    const narrow = render(report, 'table', { width: 100 });

    // Assess
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain('\u001b[');
    expect(narrow).not.toBe(plain);
  });

  it('refuses a format it does not know with a one-line reason', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const act = () => render(report, 'pdf' as never);

    // Assess
    expect(act).toThrow(
      'unknown format "pdf" (expected one of table, json, markdown, html, capabilities, litellm)',
    );
  });
});
