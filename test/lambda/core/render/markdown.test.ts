import { describe, expect, it } from 'vitest';
import { emptyEvidence } from '../../../../lambda/core/model';
import { escapeCell, renderMarkdown } from '../../../../lambda/core/render/markdown';
import { basicCell, buildSampleReport } from '../../../support/sample-report';

/** Cells of a GFM table row: split on pipes that are not escaped. */
const rowCells = (line: string): string[] =>
  line
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());

const section = (text: string, heading: string): string[] => {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  const end = lines.findIndex((l, i) => i > start && /^#{2,3} /.test(l));
  return lines.slice(start + 1, end === -1 ? undefined : end);
};

describe('renderMarkdown', () => {
  it('opens with a title naming regions and run, the run facts and the simulated notice', () => {
    // Prepare
    const report = buildSampleReport({ source: 'simulator' });

    // Act
    const text = renderMarkdown(report);

    // Assess
    const lines = text.split('\n');
    expect(lines[0]).toBe('# Bedrock matrix: us-east-1, us-west-2, run run-2026-05-02T09-00-00Z-7f3a');
    expect(text).toContain('> **⚠️ SIMULATED RESULTS');
    expect(text).toContain('started 2026-05-02T09:00:00.000Z');
    expect(renderMarkdown(buildSampleReport({ source: 'aws' }))).not.toContain('SIMULATED');
  });

  it('writes one table per region whose every row has the model column plus eight endpoint/api columns', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const text = renderMarkdown(report);

    // Assess
    const east = section(text, '## us-east-1').filter((l) => l.startsWith('|'));
    const west = section(text, '## us-west-2').filter((l) => l.startsWith('|'));
    expect(east).toHaveLength(2 + 43);
    expect(west).toHaveLength(2 + 5);
    for (const line of [...east, ...west]) expect(rowCells(line)).toHaveLength(9);
    expect(rowCells(east[0] ?? '')).toEqual([
      'Model',
      'runtime/converse',
      'runtime/invoke',
      'runtime/chat',
      'runtime/responses',
      'runtime/messages',
      'mantle/chat',
      'mantle/responses',
      'mantle/messages',
    ]);
    const gptOss = rowCells(east.find((l) => l.startsWith('| openai.gpt-oss-120b<br>')) ?? '');
    expect(gptOss[0]).toBe('openai.gpt-oss-120b<br>rt:openai.gpt-oss-120b-1:0');
    expect(gptOss[6]).toBe('**supported** ST **g!**');
    expect(gptOss[7]).toBe('**supported** STPB **g!**');
    expect(gptOss[1]).toBe('**supported** ST G');
    const palmyra = rowCells(east.find((l) => l.startsWith('| writer.palmyra-x5 ')) ?? '');
    expect(palmyra[6]).toBe('no-access');
  });

  it('lists the changes and the totals, where mantle/chat of us-east-1 reads 38/40', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const text = renderMarkdown(report);

    // Assess
    const changes = section(text, '### Changes (4)').filter((l) => l.startsWith('|'));
    expect(changes.map(rowCells)).toContainEqual([
      'us-east-1',
      'openai.gpt-oss-120b',
      'mantle/chat guardrail',
      'enforced',
      '**ignored**',
    ]);
    expect(changes.map(rowCells)).toContainEqual([
      'us-east-1',
      'zai.glm-4.7-flash',
      'model appeared on mantle',
      'absent',
      '**listed**',
    ]);
    const totals = section(text, '### Totals')
      .filter((l) => l.startsWith('|'))
      .map(rowCells);
    expect(totals).toContainEqual([
      'us-east-1',
      'mantle/chat',
      '38/40',
      '1 unsupported, 1 no-access, 3 without a mantle ID',
      '**38 ignored**',
    ]);
    expect(section(text, '### Legend').join('\n')).toContain('g! IGNORED');
  });

  it('escapes pipes, newlines and HTML in report text so a cell never breaks the table', () => {
    // Prepare
    const base = buildSampleReport();
    const hostile = 'evil|model<script>alert(1)</script>';
    const report = {
      ...base,
      models: [...base.models, { key: hostile, provider: 'evil', ids: { mantle: 'evil|id' }, sources: [] }],
      cells: [...base.cells, basicCell('us-west-2', hostile, 'mantle', 'chat', 'supported')],
      changes: [
        ...base.changes,
        {
          region: 'us-west-2',
          model: hostile,
          endpoint: 'mantle' as const,
          api: 'chat' as const,
          variant: 'basic' as const,
          from: 'unsupported' as const,
          to: 'supported' as const,
          evidence: emptyEvidence(),
        },
      ],
    };

    // Act
    const text = renderMarkdown(report);

    // Assess
    expect(text).not.toContain('<script>');
    const row = section(text, '## us-west-2').find((l) => l.startsWith('| evil'));
    expect(row).toBeDefined();
    expect(rowCells(row ?? '')).toHaveLength(9);
    expect(row).toContain('evil\\|model&lt;script&gt;alert(1)&lt;/script&gt;<br>mt:evil\\|id');
    expect(escapeCell('a|b\nc')).toBe('a\\|b c');
  });

  it('lists how to call every supported cell: base URL, model ID and the guardrail verdict', () => {
    // Prepare
    const report = buildSampleReport();
    const supported = report.cells.filter((c) => c.variant === 'basic' && c.status === 'supported').length;

    // Act
    const lines = section(renderMarkdown(report), `### How to call (${supported} supported cells)`);

    // Assess
    const rows = lines.filter((l) => l.startsWith('| us-'));
    expect(rows).toHaveLength(supported);
    const chat = rows.find((l) => l.includes('| openai.gpt-oss-120b | mantle/chat |'));
    expect(rowCells(chat ?? '')).toEqual([
      'us-east-1',
      'openai.gpt-oss-120b',
      'mantle/chat',
      expect.stringMatching(/^`https:\/\/bedrock-mantle\.us-east-1\.api\.aws\/(openai\/)?v1`$/),
      '`openai.gpt-oss-120b`',
      '**ignored**',
    ]);
  });
});
