/**
 * GitHub-flavoured Markdown to paste into a wiki or an issue: the same matrix as the terminal
 * table, with status words instead of glyphs so it reads without a legend.
 */
import { declaredDisagreements } from '../declared';
import type { Report } from '../model';
import { recipeOfSquare } from '../recipes';
import { retirementNotices } from '../retirement';
import { endpointApiTotals, totalDetails } from '../summary';
import {
  changeFromTo,
  describeChangeTarget,
  idNotes,
  LEGEND_LINES,
  regionMatrix,
  reportColumns,
  reportRegions,
  runFacts,
  SIMULATED_NOTICE,
  type Square,
  scrub,
  sortedChanges,
  squareMarkers,
} from './common';

/**
 * Text safe inside a GFM table cell: `|` would end the cell, a newline the row, and raw HTML
 * would be rendered by GitHub (a model named `<script>` must stay text).
 */
export const escapeCell = (text: string): string =>
  scrub(text)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n]+/g, ' ');

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

const squareCell = (sq: Square): string => {
  if (!sq.basic) return '';
  const { features, guardrail } = squareMarkers(sq);
  const word = sq.basic.status === 'supported' ? '**supported**' : sq.basic.status;
  const markers = [features, guardrail === 'g!' ? '**g!**' : guardrail].filter((m) => m !== '');
  return [word, ...markers].join(' ');
};

/** The report as GitHub-flavoured Markdown. */
export const renderMarkdown = (report: Report): string => {
  const out: string[] = [];
  const regions = reportRegions(report);
  out.push(
    `# Bedrock matrix: ${escapeCell(regions.join(', ') || 'no region')}, run ${escapeCell(report.runId)}`,
    '',
  );
  if (report.source === 'simulator') out.push(`> **⚠️ ${SIMULATED_NOTICE}**`, '');
  out.push(runFacts(report).map(escapeCell).join(' · '), '');
  if (report.guardrailControls && report.guardrailControls.length > 0) {
    const controls = report.guardrailControls.map(
      (g) =>
        `${escapeCell(g.region)} **${g.status}** (${escapeCell(g.guardrailId)}:${escapeCell(g.guardrailVersion)})`,
    );
    out.push(`Guardrail control (ApplyGuardrail): ${controls.join(', ')}`, '');
  }

  const columns = reportColumns(report);
  for (const region of regions) {
    const matrix = regionMatrix(report, region, columns);
    out.push(`## ${escapeCell(region)}`, '');
    if (matrix.rows.length === 0) {
      out.push('_No cells in this region._', '');
      continue;
    }
    out.push(row(['Model', ...columns.map((c) => `${c.endpoint}/${c.api}`)]));
    out.push(row(['---', ...columns.map(() => '---')]));
    for (const r of matrix.rows) {
      const notes = idNotes(r.model).map((n) => `<br>${escapeCell(n)}`);
      out.push(row([`${escapeCell(r.model.key)}${notes.join('')}`, ...r.squares.map(squareCell)]));
    }
    out.push('');
  }

  out.push('### Legend', '', ...LEGEND_LINES.map((l) => `- ${escapeCell(l)}`), '');

  if (report.changes.length > 0) {
    out.push(`### Changes (${report.changes.length})`, '');
    out.push(row(['Region', 'Model', 'What', 'From', 'To']));
    out.push(row(['---', '---', '---', '---', '---']));
    for (const ch of sortedChanges(report.changes)) {
      const [from, to] = changeFromTo(ch);
      out.push(
        row([
          escapeCell(ch.region),
          escapeCell(ch.model),
          escapeCell(describeChangeTarget(ch)),
          from,
          `**${to}**`,
        ]),
      );
    }
    out.push('');
  }

  const notices = retirementNotices(report);
  if (notices.length > 0) {
    out.push(
      `### Retirement notices (${notices.length})`,
      '',
      ...notices.map((n) => `- ⚠️ ${escapeCell(n.message)}`),
      '',
    );
  }

  const disagreements = declaredDisagreements(report);
  if (disagreements.length > 0) {
    out.push(
      `### Declared vs measured (${disagreements.length})`,
      '',
      'Where ListFoundationModels declares one thing and the probe measured another (evidence, not a change).',
      '',
      row(['Region', 'Model', 'Declared', 'Measured']),
      row(['---', '---', '---', '---']),
      ...disagreements.map((d) =>
        row([escapeCell(d.region), escapeCell(d.model), escapeCell(d.declared), escapeCell(d.measured)]),
      ),
      '',
    );
  }

  const how = howToCall(report, regions);
  if (how.length > 0) out.push(...how, '');

  out.push('### Totals', '');
  out.push(row(['Region', 'Endpoint/API', 'Supported', 'Other basic statuses', 'Guardrail']));
  out.push(row(['---', '---', '---', '---', '---']));
  for (const region of regions) {
    for (const t of endpointApiTotals(report.cells, report.models, region)) {
      const others = totalDetails(t).join(', ');
      const guard = Object.entries(t.guardrail)
        .map(([s, n]) => (s === 'ignored' ? `**${n} ignored**` : `${n} ${s}`))
        .join(', ');
      out.push(
        row([escapeCell(region), `${t.endpoint}/${t.api}`, `${t.supported}/${t.listed}`, others, guard]),
      );
    }
  }
  return `${out.join('\n')}\n`;
};

/** One line per supported square: where to send the request, with which ID, and the guardrail verdict. */
function howToCall(report: Report, regions: readonly string[]): string[] {
  const columns = reportColumns(report);
  const rows: string[] = [];
  for (const region of regions) {
    for (const r of regionMatrix(report, region, columns).rows) {
      r.squares.forEach((sq, i) => {
        const col = columns[i];
        if (!col || sq.basic?.status !== 'supported') return;
        const recipe = recipeOfSquare({
          reportRunId: report.runId,
          basic: sq.basic,
          guardrail: sq.guardrail,
          catalogId: r.model.ids[col.endpoint],
        });
        const verdict = sq.guardrail?.status ?? 'not measured';
        rows.push(
          row([
            escapeCell(region),
            escapeCell(r.model.key),
            `${col.endpoint}/${col.api}`,
            `\`${escapeCell(recipe.baseUrl)}\``,
            recipe.modelId ? `\`${escapeCell(recipe.modelId)}\`` : '?',
            verdict === 'ignored' ? '**ignored**' : escapeCell(verdict),
          ]),
        );
      });
    }
  }
  if (rows.length === 0) return [];
  return [
    `### How to call (${rows.length} supported cells)`,
    '',
    'Snippets (openai SDK, AWS SDK, boto3, curl) for any of these: `bedrock-matrix recipe MODEL --in run.json --endpoint E --api A`.',
    '',
    row(['Region', 'Model', 'Endpoint/API', 'Base URL', 'Model ID', 'Guardrail']),
    row(['---', '---', '---', '---', '---', '---']),
    ...rows,
  ];
}
