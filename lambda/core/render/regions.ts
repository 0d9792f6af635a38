/**
 * The across-regions view (`report --view regions`) in the formats that make sense for it: one
 * block per endpoint/api, models down, regions across, each square the status and the day it was
 * first seen supported. The capability map and LiteLLM formats are per-region documents already,
 * so this view has none of them.
 */
import type { Report } from '../model';
import { type RegionSquare, type RegionView, regionView } from '../region-view';
import { safeDeep } from '../safe-text';
import { LEGEND_LINES, SIMULATED_NOTICE, STATUS_GLYPH, scrub } from './common';
import { escapeHtml, pageHead } from './html';
import { escapeCell } from './markdown';

export const REGION_VIEW_FORMATS = ['table', 'json', 'markdown', 'html'] as const;
export type RegionViewFormat = (typeof REGION_VIEW_FORMATS)[number];

const day = (iso: string): string => iso.slice(0, 10);

const CSS = `
body{margin:1.5rem;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328}
table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #d0d7de;padding:.25rem .45rem;text-align:left}
thead th{background:#f6f8fa}.sim-notice{border:2px solid #9a6700;background:#fff8c5;padding:.5rem .75rem;font-weight:600}
.st-supported{background:#dafbe1;color:#116329}.st-unsupported{background:#fff8c5;color:#7d4e00}
.st-not-found,.st-skipped{background:#f6f8fa;color:#8c959f}.st-no-access{background:#fbefff;color:#8250df}
.st-error{background:#ffebe9;color:#a40e26}.st-throttled{background:#ddf4ff;color:#0550ae}
`;

/** `✓ 2026-05-02` for a supported square with a known first day, the status glyph otherwise. */
const squareText = (s: RegionSquare): string => {
  if (s.status === null) return '';
  const glyph = STATUS_GLYPH[s.status];
  return s.status === 'supported' && s.firstSupported ? `${glyph} ${day(s.firstSupported)}` : glyph;
};

const heading = (view: RegionView): string =>
  `Across regions: ${view.regions.join(', ') || 'no region'} (run ${view.runId})`;

const LEGEND = [
  ...LEGEND_LINES.slice(0, 2),
  '✓ DATE = supported, first seen supported that day (confirmed state and change history); empty = not probed there',
];

function renderTable(view: RegionView): string {
  const out: string[] = [];
  if (view.source === 'simulator') out.push(`!!! ${SIMULATED_NOTICE} !!!`);
  out.push(scrub(heading(view)));
  for (const block of view.blocks) {
    const cells = block.rows.map((r) => [
      scrub(r.model),
      ...r.squares.map(squareText),
      `${r.supportedIn}/${view.regions.length}`,
    ]);
    const head = ['model', ...view.regions, 'regions'];
    const widths = head.map((h, i) => Math.max([...h].length, ...cells.map((c) => [...(c[i] ?? '')].length)));
    const line = (row: readonly string[]) =>
      row
        .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...c].length)))
        .join(' │ ')
        .trimEnd();
    out.push('', `${block.endpoint}/${block.api}`, line(head), widths.map((w) => '─'.repeat(w)).join('─┼─'));
    for (const c of cells) out.push(line(c));
  }
  out.push('', 'Legend', ...LEGEND.map((l) => `  ${l}`));
  return `${out.join('\n')}\n`;
}

function renderMarkdown(view: RegionView): string {
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const out = [`# ${escapeCell(heading(view))}`, ''];
  if (view.source === 'simulator') out.push(`> **⚠️ ${SIMULATED_NOTICE}**`, '');
  for (const block of view.blocks) {
    out.push(`## ${block.endpoint}/${block.api}`, '');
    out.push(row(['Model', ...view.regions.map(escapeCell), 'Regions']));
    out.push(row(['---', ...view.regions.map(() => '---'), '---']));
    for (const r of block.rows)
      out.push(
        row([
          escapeCell(r.model),
          ...r.squares.map((s) => escapeCell(squareText(s))),
          `${r.supportedIn}/${view.regions.length}`,
        ]),
      );
    out.push('');
  }
  out.push('### Legend', '', ...LEGEND.map((l) => `- ${escapeCell(l)}`));
  return `${out.join('\n')}\n`;
}

function renderHtml(view: RegionView): string {
  const blocks = view.blocks
    .map((block) => {
      const head = `<tr><th scope="col">Model</th>${view.regions.map((r) => `<th scope="col">${escapeHtml(r)}</th>`).join('')}<th scope="col">Regions</th></tr>`;
      const rows = block.rows
        .map(
          (r) =>
            `<tr><th scope="row">${escapeHtml(r.model)}</th>${r.squares
              .map((s) =>
                s.status === null
                  ? '<td class="empty"></td>'
                  : `<td class="st-${s.status}"${s.firstSupported ? ` title="first seen supported ${escapeHtml(s.firstSupported)}"` : ''}>${escapeHtml(squareText(s))}</td>`,
              )
              .join('')}<td>${r.supportedIn}/${view.regions.length}</td></tr>`,
        )
        .join('\n');
      return `<section class="block"><h2>${escapeHtml(`${block.endpoint}/${block.api}`)}</h2><table><thead>${head}</thead><tbody>\n${rows}\n</tbody></table></section>`;
    })
    .join('\n');
  const title = heading(view);
  return `${pageHead(title, CSS)}
<body>
<h1>${escapeHtml(title)}</h1>
${view.source === 'simulator' ? `<p class="sim-notice" role="alert">${escapeHtml(SIMULATED_NOTICE)}</p>` : ''}
${blocks}
<ul>${LEGEND.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
</body>
</html>
`;
}

/** The across-regions view of a report in one of its formats. */
export function renderRegionView(raw: Report, format: RegionViewFormat): string {
  const report = format === 'json' ? raw : safeDeep(raw);
  const view = regionView(report);
  switch (format) {
    case 'table':
      return renderTable(view);
    case 'markdown':
      return renderMarkdown(view);
    case 'html':
      return renderHtml(view);
    case 'json':
      return `${JSON.stringify(view, (_k, v) => (typeof v === 'string' ? scrub(v) : v), 2)}\n`;
  }
}
