import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../../lambda/core/render/table';
import { buildSampleReport } from '../../../support/sample-report';

// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting ANSI escapes is the point
const ANSI = /\u001b\[/;

/** The matrix lines of one region block: header rows, rule, one line per model. */
const regionBlock = (text: string, region: string): string[] => {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`Region ${region}`));
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start + 1, end);
};

/** The cell of a model row under an endpoint/api (runtime apis come first, mantle's last). */
const cellText = (block: string[], model: string, endpoint: string, api: string): string => {
  const apis = (block[1] ?? '').split('│').map((h) => h.trim());
  const index = endpoint === 'runtime' ? apis.indexOf(api) : apis.lastIndexOf(api);
  const row = block.find((l) => l.startsWith(`${model} `));
  if (index < 1 || row === undefined) throw new Error(`no cell ${model} ${endpoint}/${api}`);
  return (row.split('│')[index] ?? '').trim();
};

describe('renderTable', () => {
  it('shows one block per region with a row per model and per-host IDs where they differ', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const text = renderTable(report, { color: false });

    // Assess
    const east = regionBlock(text, 'us-east-1');
    const west = regionBlock(text, 'us-west-2');
    expect(east).toHaveLength(3 + 43);
    expect(west).toHaveLength(3 + 5);
    expect(east[1]).toMatch(
      /^model\s+│ converse │ invoke\s+│ chat\s+│ responses │ messages │ chat\s+│ responses │ messages$/,
    );
    expect(east.find((l) => l.startsWith('openai.gpt-oss-120b '))).toContain('rt:openai.gpt-oss-120b-1:0');
    expect(east.find((l) => l.startsWith('anthropic.claude-sonnet-4-6 '))).toContain(
      'rt:us.anthropic.claude-sonnet-4-6',
    );
    // Same key on both hosts: nothing to add.
    expect(east.find((l) => l.startsWith('zai.glm-4.7 '))).not.toContain('rt:');
  });

  it('puts status glyphs, supported-feature markers and the guardrail verdict in the right cells', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const east = regionBlock(renderTable(report, { color: false }), 'us-east-1');
    const west = regionBlock(renderTable(report, { color: false }), 'us-west-2');

    // Assess
    expect(cellText(east, 'openai.gpt-oss-120b', 'mantle', 'responses')).toBe('✓ STPB g!');
    expect(cellText(east, 'openai.gpt-oss-20b', 'mantle', 'responses')).toBe('✓ STP g!');
    expect(cellText(east, 'openai.gpt-oss-120b', 'runtime', 'converse')).toBe('✓ ST G');
    expect(cellText(east, 'google.gemma-3-4b-it', 'mantle', 'chat')).toBe('✓ S g!');
    expect(cellText(east, 'mistral.voxtral-mini-3b', 'mantle', 'chat')).toBe('✗ unsup');
    expect(cellText(east, 'writer.palmyra-x5', 'mantle', 'chat')).toBe('⊘ no-acc');
    expect(cellText(east, 'anthropic.claude-sonnet-4-6', 'mantle', 'chat')).toBe('– n/f');
    expect(cellText(east, 'qwen.qwen3-32b', 'runtime', 'converse')).toBe('~ thr');
    expect(cellText(east, 'deepseek.v3.1', 'runtime', 'invoke')).toBe('! err');
    expect(cellText(east, 'meta.llama3-3-70b-instruct-v1:0', 'runtime', 'responses')).toBe('· skip');
    expect(cellText(west, 'anthropic.claude-sonnet-4-6', 'runtime', 'converse')).toBe('⊘ no-acc');
  });

  it('aligns every row of a region on the same column separators', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const east = regionBlock(renderTable(report, { color: false }), 'us-east-1');

    // Assess
    const positions = (line: string): number[] =>
      [...line].flatMap((ch, i) => (ch === '│' || ch === '┼' ? [i] : []));
    const expected = positions(east[1] ?? '');
    expect(expected).toHaveLength(8);
    for (const line of east.slice(2)) expect(positions(line)).toEqual(expected);
  });

  it('ends with the legend, the changes and the totals per region: mantle/chat reads 38/40', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const text = renderTable(report, { color: false });

    // Assess
    const legend = text.indexOf('\nLegend\n');
    const changes = text.indexOf('\nChanges (4)\n');
    const totals = text.indexOf('\nTotals\n');
    expect(legend).toBeGreaterThan(text.indexOf('Region us-west-2'));
    expect(changes).toBeGreaterThan(legend);
    expect(totals).toBeGreaterThan(changes);
    expect(text).toContain('g! IGNORED (request reached the model)');
    expect(text).toContain('us-east-1  openai.gpt-oss-120b  mantle/chat guardrail: enforced → ignored');
    expect(text).toContain('us-east-1  zai.glm-4.7-flash  model appeared on mantle (+)');
    const eastTotals = text.slice(totals, text.indexOf('  us-west-2', totals));
    expect(eastTotals).toContain(
      'mantle/chat: 38/40 supported (1 unsupported, 1 no-access, 3 without a mantle ID)  guardrail: 38 ignored',
    );
    expect(eastTotals).toContain('runtime/converse: 8/9 supported');
    expect(text.slice(text.indexOf('  us-west-2', totals))).toContain('mantle/chat: 3/4 supported');
  });

  it('writes no ANSI code at all without colour, and colours statuses with it', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const plain = renderTable(report, { color: false });
    const coloured = renderTable(report, { color: true });

    // Assess
    expect(plain).not.toMatch(ANSI);
    expect(coloured).toMatch(ANSI);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('says loudly that simulated results are simulated, and says nothing of it for AWS runs', () => {
    // Prepare
    const simulated = buildSampleReport({ source: 'simulator' });
    const real = buildSampleReport({ source: 'aws', partial: true });

    // Act
    const simText = renderTable(simulated, { color: false });
    const realText = renderTable(real, { color: false });

    // Assess
    expect(simText.split('\n').slice(0, 3).join('\n')).toContain('SIMULATED RESULTS');
    expect(simText).toContain('NOT measured against real AWS');
    expect(realText).not.toContain('SIMULATED');
    expect(realText.split('\n')[0]).toContain('PARTIAL run');
  });

  it('keeps the full view where it fits the given width', () => {
    // Act
    const text = renderTable(buildSampleReport(), { color: false, width: 400 });

    // Assess
    expect(text).toBe(renderTable(buildSampleReport(), { color: false }));
    expect(text).not.toContain('Compact to fit');
  });

  it.each([80, 100, 120])(
    'fits every line into %i columns: compact cells, short api names, bare model keys',
    (width) => {
      // Prepare
      const report = buildSampleReport();

      // Act
      const text = renderTable(report, { color: false, width });

      // Assess
      const lines = text.split('\n');
      for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(width);
      const east = regionBlock(text, 'us-east-1');
      expect(east[1]).toMatch(/^model\s+│conv\s*│inv\s*│chat\s*│resp\s*│msgs\s*│chat\s*│resp\s*│msgs$/);
      expect(east.some((l) => l.includes(' rt:'))).toBe(false);
      expect(text).toContain(`Compact to fit ${width} columns`);
      expect(text.replace(/\s+/g, ' ')).toContain('--wide shows status words and per-host model IDs');
    },
  );

  it('draws a compact cell as its glyph and markers, without the status word', () => {
    // Act
    const text = renderTable(buildSampleReport(), { color: false, width: 100 });

    // Assess
    const east = regionBlock(text, 'us-east-1');
    const llama = east.find((l) => l.startsWith('meta.llama3-3'));
    expect(llama).toMatch(/^meta\.llama3-3\S*\s*│✓ ST G/);
    expect(text).not.toMatch(/│✗ unsup/);
  });

  it('marks a guardrail cell skipped for want of a probe guardrail g-, not g? (no verdict)', () => {
    // Prepare: every guardrail cell as a run without --guardrail-id leaves it.
    const base = buildSampleReport();
    const report = {
      ...base,
      cells: base.cells.map((c) =>
        c.variant === 'guardrail'
          ? {
              ...c,
              status: 'skipped' as const,
              evidence: { ...c.evidence, reason: 'no probe guardrail configured' },
            }
          : c,
      ),
    };

    // Act
    const text = renderTable(report, { color: false });

    // Assess
    const east = regionBlock(text, 'us-east-1');
    expect(cellText(east, 'openai.gpt-oss-120b', 'runtime', 'converse')).toBe('✓ ST g-');
    expect(east.join('\n')).not.toContain('g?');
    expect(text).toContain('g- guardrail not checked (skipped: no probe guardrail configured');
  });
});
