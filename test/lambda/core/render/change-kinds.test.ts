import { describe, expect, it } from 'vitest';
import { type Change, emptyEvidence } from '../../../../lambda/core/model';
import { renderHtml } from '../../../../lambda/core/render/html';
import { renderMarkdown } from '../../../../lambda/core/render/markdown';
import { renderTable } from '../../../../lambda/core/render/table';
import { buildSampleReport } from '../../../support/sample-report';

// Every kind of change reads as itself in every report format: the retirement notice the store
// records, and a kind a newer bedrock-matrix wrote that this one does not know.

const base = { region: 'us-east-1', model: 'acme.model-x', api: null, variant: null, from: null, to: null };
const notice: Change = {
  ...base,
  endpoint: 'runtime',
  kind: 'retirement-notice',
  evidence: emptyEvidence({ reason: 'acme.model-x reaches end of life on 2026-12-21' }),
};
const unknown = { ...base, endpoint: 'runtime', api: 'converse', kind: 'quota-changed' } as unknown as Change;

const report = () => ({ ...buildSampleReport(), changes: [notice, unknown] });

describe('change kinds beyond cell and presence', () => {
  it('the table names the notice with its text and the unknown kind by its name', () => {
    // Act
    const text = renderTable(report(), { color: false });

    // Assess
    expect(text).toContain(
      'us-east-1  acme.model-x  retirement notice: acme.model-x reaches end of life on 2026-12-21 (!)',
    );
    expect(text).toContain('us-east-1  acme.model-x  quota-changed on runtime/converse (!)');
  });

  it('Markdown and HTML show the same words in their change tables', () => {
    // Act
    const markdown = renderMarkdown(report());
    const html = renderHtml(report());

    // Assess
    expect(markdown).toContain(
      '| us-east-1 | acme.model-x | retirement notice: acme.model-x reaches end of life on 2026-12-21 | — | **notice** |',
    );
    expect(markdown).toContain(
      '| us-east-1 | acme.model-x | quota-changed on runtime/converse | — | **—** |',
    );
    expect(html).toContain('<td>retirement notice: acme.model-x reaches end of life on 2026-12-21</td>');
    expect(html).toContain('<td>quota-changed on runtime/converse</td>');
  });
});
