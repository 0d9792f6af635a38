/**
 * One self-contained HTML page (inline CSS and a little inline JS; no external asset, no network,
 * a CSP that forbids both): the matrix with colour-coded cells and their evidence, a model filter,
 * status and column checkboxes, the changes and the totals. Every piece of report text is escaped.
 */
import { declaredDisagreements } from '../declared';
import type { CellResult, ModelEntry, Report, Status } from '../model';
import { STATUSES } from '../model';
import { type Recipe, recipeOfSquare } from '../recipes';
import { retirementNotices } from '../retirement';
import { endpointApiTotals, totalDetails } from '../summary';
import {
  type Column,
  changeFromTo,
  describeChangeTarget,
  FEATURE_ORDER,
  formatEvidence,
  GUARDRAIL_ENFORCED_MARKER,
  GUARDRAIL_IGNORED_MARKER,
  idNotes,
  LEGEND_LINES,
  regionMatrix,
  reportColumns,
  reportRegions,
  runFacts,
  SIMULATED_NOTICE,
  type Square,
  STATUS_GLYPH,
  scrub,
  sortedChanges,
  squareMarkers,
} from './common';

/** Escapes text for HTML content and attribute values alike. */
export const escapeHtml = (text: string): string =>
  scrub(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/**
 * The head of a self-contained page: inline CSS (and inline script only when asked), and a CSP
 * that forbids every other source, so an opened report fetches nothing.
 */
export const pageHead = (title: string, css: string, opts: { readonly script?: boolean } = {}): string =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'${opts.script ? "; script-src 'unsafe-inline'" : ''}">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>`;

const colKey = (c: Column): string => `${c.endpoint}/${c.api}`;

const STATUS_LABEL: Readonly<Record<Status, string>> = {
  supported: 'supported',
  unsupported: 'unsupported',
  'not-found': 'not found',
  'no-access': 'no access',
  enforced: 'guardrail enforced',
  ignored: 'guardrail ignored',
  throttled: 'throttled',
  error: 'error',
  skipped: 'skipped',
};

const CSS = `
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
body{margin:1.5rem;line-height:1.4}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
.facts{color:var(--muted);margin:.25rem 0}
.badge{display:inline-block;padding:.15rem .6rem;border-radius:1rem;font-weight:700;font-size:.85rem;vertical-align:middle}
.badge.sim{background:#9a6700;color:#fff}.badge.partial{background:#cf222e;color:#fff}
.sim-notice{border:2px solid #9a6700;background:#fff8c5;padding:.5rem .75rem;border-radius:.4rem;font-weight:600}
.controls{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:flex-start;margin:1rem 0;padding:.75rem;border:1px solid var(--line);border-radius:.4rem;background:#f6f8fa}
.controls fieldset{border:0;margin:0;padding:0}.controls legend{font-weight:600;font-size:.85rem;padding:0}
.controls label{margin-right:.6rem;font-size:.9rem;white-space:nowrap}
#filter{font:inherit;padding:.3rem .5rem;min-width:22rem;border:1px solid var(--line);border-radius:.3rem}
table{border-collapse:collapse;font-size:.85rem}
th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top}
thead{position:sticky;top:0;z-index:2}thead th{background:#f6f8fa}
caption{caption-side:top;text-align:left;padding:.2rem 0}
tbody th{font-weight:600;white-space:nowrap}
.ids{font-weight:400;color:var(--muted);font-size:.78rem}
td.cell{position:relative;white-space:nowrap;min-width:4.5rem}
td.cell details summary{cursor:pointer;list-style:none}td.cell details summary::-webkit-details-marker{display:none}
td.cell details[open] .ev{position:absolute;z-index:5;left:0;top:100%;width:30rem;white-space:normal;background:#fff;border:1px solid var(--line);box-shadow:0 4px 12px rgba(0,0,0,.15);padding:.5rem;border-radius:.3rem;color:var(--fg);font-weight:400}
.ev dt{font-weight:700}.ev pre.recipe{white-space:pre-wrap;word-break:break-all;font-size:.72rem;background:#f6f8fa;border:1px solid var(--line);padding:.3rem;margin:.2rem 0;max-height:14rem;overflow:auto}.ev dd{margin:0 0 .4rem 0;word-break:break-word}
.st-supported{background:#dafbe1;color:#116329}
.st-unsupported{background:#fff8c5;color:#7d4e00}
.st-not-found{background:#f6f8fa;color:#8c959f}
.st-no-access{background:#fbefff;color:#8250df}
.st-error{background:#ffebe9;color:#a40e26;font-weight:700}
.st-throttled{background:#ddf4ff;color:#0550ae}
.st-skipped{background:#f6f8fa;color:#8c959f;font-style:italic}
.st-enforced{background:#dafbe1;color:#116329}.st-ignored{background:#ffebe9;color:#a40e26;font-weight:700}
.feat{color:#0550ae;font-weight:700}
.gr-enforced{color:#116329;font-weight:700}.gr-ignored{color:#fff;background:#cf222e;padding:0 .2rem;border-radius:.2rem;font-weight:700}.gr-unknown{color:#9a6700}
.off{visibility:hidden}.col-off{display:none}tr.row-off{display:none}
.count{color:var(--muted);font-weight:400;font-size:.9rem}
.legend li{margin:.1rem 0}
`;

// Plain ES5-ish script: no dependency, no network, tolerant of a region table with no rows.
const SCRIPT = `
(function(){
  'use strict';
  var filter = document.getElementById('filter');
  var statusBoxes = Array.prototype.slice.call(document.querySelectorAll('input[data-status-toggle]'));
  var colBoxes = Array.prototype.slice.call(document.querySelectorAll('input[data-col-toggle]'));
  function apply(){
    var text = (filter.value || '').trim().toLowerCase();
    var offStatus = {}; statusBoxes.forEach(function(b){ if(!b.checked) offStatus[b.getAttribute('data-status-toggle')] = true; });
    var offCol = {}; colBoxes.forEach(function(b){ if(!b.checked) offCol[b.getAttribute('data-col-toggle')] = true; });
    document.querySelectorAll('[data-col]').forEach(function(el){
      el.classList.toggle('col-off', !!offCol[el.getAttribute('data-col')]);
    });
    document.querySelectorAll('th[data-group]').forEach(function(th){
      var n = 0;
      document.querySelectorAll('thead th[data-col]').forEach(function(h){
        if (h.closest('table') === th.closest('table') && h.getAttribute('data-col').split('/')[0] === th.getAttribute('data-group') && !offCol[h.getAttribute('data-col')]) n++;
      });
      th.colSpan = Math.max(n, 1);
      th.classList.toggle('col-off', n === 0);
    });
    document.querySelectorAll('section.region').forEach(function(section){
      var shown = 0; var rows = section.querySelectorAll('tbody tr');
      rows.forEach(function(tr){
        var visible = 0;
        tr.querySelectorAll('td.cell').forEach(function(td){
          var st = td.getAttribute('data-status');
          var off = !!offStatus[st];
          td.classList.toggle('off', off);
          if (st && !off && !offCol[td.getAttribute('data-col')]) visible++;
        });
        var match = text === '' || tr.getAttribute('data-model').indexOf(text) !== -1;
        var hide = !match || visible === 0;
        tr.classList.toggle('row-off', hide);
        if (!hide) shown++;
      });
      var count = section.querySelector('.shown');
      if (count) count.textContent = String(shown);
    });
  }
  filter.addEventListener('input', apply);
  statusBoxes.concat(colBoxes).forEach(function(b){ b.addEventListener('change', apply); });
  apply();
})();
`;

const evidenceItem = (label: string, cell: CellResult): string =>
  `<dt>${escapeHtml(label)}: ${escapeHtml(cell.status)}</dt><dd>${escapeHtml(formatEvidence(cell.evidence) || 'no evidence recorded')}</dd>`;

/** The cell's recipe in its details: where to send the request, and the curl that works. */
const recipeHtml = (r: Recipe): string => {
  const curl = r.snippets.find((s) => s.id === 'curl');
  const facts = [`base URL ${r.baseUrl}`, `model ID ${r.modelId ?? '?'}`, `auth: ${r.auth}`].map(escapeHtml);
  return (
    `<dt>how to call</dt><dd class="how">${facts.join('<br>')}<br>guardrail: ${escapeHtml(r.guardrail)}` +
    `${curl ? `<pre class="recipe">${escapeHtml(curl.code.trimEnd())}</pre>` : ''}` +
    `More snippets: <code>bedrock-matrix recipe ${escapeHtml(r.model)} --endpoint ${r.endpoint} --api ${r.api}</code></dd>`
  );
};

const squareHtml = (sq: Square, col: Column, model: ModelEntry, runId: string): string => {
  const dataCol = escapeHtml(colKey(col));
  if (!sq.basic) return `<td class="cell empty" data-col="${dataCol}" data-status=""></td>`;
  const status = sq.basic.status;
  const { features, guardrail } = squareMarkers(sq);
  const parts = [`<span class="glyph">${escapeHtml(STATUS_GLYPH[status])}</span>`];
  if (features) parts.push(`<span class="feat">${escapeHtml(features)}</span>`);
  if (guardrail) {
    const cls =
      guardrail === GUARDRAIL_ENFORCED_MARKER
        ? 'gr-enforced'
        : guardrail === GUARDRAIL_IGNORED_MARKER
          ? 'gr-ignored'
          : 'gr-unknown';
    parts.push(`<span class="${cls}">${escapeHtml(guardrail)}</span>`);
  }
  const items: [string, CellResult][] = [['basic', sq.basic]];
  for (const f of FEATURE_ORDER) {
    const c = sq.features[f];
    if (c) items.push([f, c]);
  }
  if (sq.guardrail) items.push(['guardrail', sq.guardrail]);
  const title = items.map(([label, c]) => `${label}: ${c.status} · ${formatEvidence(c.evidence)}`).join('\n');
  const how =
    status === 'supported'
      ? recipeHtml(
          recipeOfSquare({
            reportRunId: runId,
            basic: sq.basic,
            guardrail: sq.guardrail,
            catalogId: model.ids[col.endpoint],
          }),
        )
      : '';
  return (
    `<td class="cell st-${status}" data-col="${dataCol}" data-status="${status}" title="${escapeHtml(title)}">` +
    `<details><summary aria-label="${escapeHtml(`${colKey(col)}: ${STATUS_LABEL[status]}`)}">${parts.join(' ')}</summary>` +
    `<dl class="ev">${items.map(([label, c]) => evidenceItem(label, c)).join('')}${how}</dl></details></td>`
  );
};

const regionSection = (report: Report, region: string, columns: readonly Column[]): string => {
  const matrix = regionMatrix(report, region, columns);
  const head = `<h2>${escapeHtml(region)} <span class="count">(<span class="shown">${matrix.rows.length}</span> of ${matrix.rows.length} models shown)</span></h2>`;
  if (matrix.rows.length === 0)
    return `<section class="region" data-region="${escapeHtml(region)}">${head}<p>No cells in this region.</p></section>`;
  const groups: { endpoint: string; span: number }[] = [];
  for (const col of columns) {
    const last = groups.at(-1);
    if (last && last.endpoint === col.endpoint) last.span += 1;
    else groups.push({ endpoint: col.endpoint, span: 1 });
  }
  const thead =
    '<thead><tr><th scope="col" rowspan="2">Model</th>' +
    groups
      .map(
        (g) =>
          `<th scope="colgroup" colspan="${g.span}" data-group="${escapeHtml(g.endpoint)}">${escapeHtml(g.endpoint)}</th>`,
      )
      .join('') +
    '</tr><tr>' +
    columns
      .map((c) => `<th scope="col" data-col="${escapeHtml(colKey(c))}">${escapeHtml(c.api)}</th>`)
      .join('') +
    '</tr></thead>';
  const body = matrix.rows
    .map((r) => {
      const notes = idNotes(r.model);
      const search = [r.model.key, r.model.ids.runtime ?? '', r.model.ids.mantle ?? '']
        .join(' ')
        .toLowerCase();
      const ids = notes.length > 0 ? `<div class="ids">${notes.map(escapeHtml).join('<br>')}</div>` : '';
      return (
        `<tr data-model="${escapeHtml(search)}"><th scope="row">${escapeHtml(r.model.key)}${ids}</th>` +
        r.squares.map((sq, i) => squareHtml(sq, columns[i] as Column, r.model, report.runId)).join('') +
        '</tr>'
      );
    })
    .join('\n');
  return (
    `<section class="region" data-region="${escapeHtml(region)}">${head}` +
    `<table class="matrix"><caption class="count">Models × endpoint/api in ${escapeHtml(region)}; click a cell for its evidence</caption>${thead}<tbody>\n${body}\n</tbody></table></section>`
  );
};

const noticesSection = (report: Report): string => {
  const notices = retirementNotices(report);
  if (notices.length === 0) return '';
  return `<section id="retirement"><h3>Retirement notices (${notices.length})</h3><ul>${notices.map((n) => `<li class="st-unsupported">${escapeHtml(n.message)}</li>`).join('')}</ul></section>`;
};

const declaredSection = (report: Report): string => {
  const found = declaredDisagreements(report);
  if (found.length === 0) return '';
  const rows = found
    .map(
      (d) =>
        `<tr><td>${escapeHtml(d.region)}</td><th scope="row">${escapeHtml(d.model)}</th><td>${escapeHtml(d.declared)}</td><td>${escapeHtml(d.measured)}</td></tr>`,
    )
    .join('\n');
  return (
    `<section id="declared"><h3>Declared vs measured (${found.length})</h3>` +
    '<p class="facts">Where ListFoundationModels declares one thing and the probe measured another (evidence, not a change).</p>' +
    '<table><thead><tr><th scope="col">Region</th><th scope="col">Model</th><th scope="col">Declared</th><th scope="col">Measured</th></tr></thead>' +
    `<tbody>\n${rows}\n</tbody></table></section>`
  );
};

const changesSection = (report: Report): string => {
  if (report.changes.length === 0) return '';
  const rows = sortedChanges(report.changes)
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.region)}</td><th scope="row">${escapeHtml(c.model)}</th><td>${escapeHtml(describeChangeTarget(c))}</td>` +
        `<td${c.from ? ` class="st-${c.from}"` : ''}>${escapeHtml(changeFromTo(c)[0])}</td>` +
        `<td${c.to ? ` class="st-${c.to}"` : ''}>${escapeHtml(changeFromTo(c)[1])}</td>` +
        `<td>${c.evidence ? escapeHtml(formatEvidence(c.evidence)) : ''}</td></tr>`,
    )
    .join('\n');
  return (
    `<section id="changes"><h3>Changes (${report.changes.length})</h3><table><thead><tr>` +
    '<th scope="col">Region</th><th scope="col">Model</th><th scope="col">What</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Evidence</th>' +
    `</tr></thead><tbody>\n${rows}\n</tbody></table></section>`
  );
};

const totalsSection = (report: Report, regions: readonly string[]): string => {
  const rows = regions
    .flatMap((region) =>
      endpointApiTotals(report.cells, report.models, region).map((t) => {
        const others = totalDetails(t).join(', ');
        const guard = Object.entries(t.guardrail)
          .map(
            ([s, n]) =>
              `<span class="${s === 'ignored' ? 'gr-ignored' : s === 'enforced' ? 'gr-enforced' : ''}">${n} ${escapeHtml(s)}</span>`,
          )
          .join(', ');
        return (
          `<tr><td>${escapeHtml(region)}</td><th scope="row">${t.endpoint}/${t.api}</th>` +
          `<td class="ratio">${t.supported}/${t.listed}</td><td>${escapeHtml(others)}</td><td>${guard}</td></tr>`
        );
      }),
    )
    .join('\n');
  return (
    '<section id="totals"><h3>Totals</h3><table><thead><tr><th scope="col">Region</th><th scope="col">Endpoint/API</th>' +
    '<th scope="col">Supported</th><th scope="col">Other basic statuses</th><th scope="col">Guardrail</th></tr></thead>' +
    `<tbody>\n${rows}\n</tbody></table></section>`
  );
};

/** The report as one self-contained HTML page. */
export const renderHtml = (report: Report): string => {
  const regions = reportRegions(report);
  const columns = reportColumns(report);
  const simulated = report.source === 'simulator';
  const statusBoxes = STATUSES.filter((s) => s !== 'enforced' && s !== 'ignored')
    .map(
      (s) =>
        `<label><input type="checkbox" data-status-toggle="${s}" checked> <span class="st-${s}">${escapeHtml(STATUS_GLYPH[s])}</span> ${escapeHtml(STATUS_LABEL[s])}</label>`,
    )
    .join('');
  const colBoxes = columns
    .map(
      (c) =>
        `<label><input type="checkbox" data-col-toggle="${escapeHtml(colKey(c))}" checked> ${escapeHtml(colKey(c))}</label>`,
    )
    .join('');
  const controls = report.guardrailControls?.length
    ? `<p>Guardrail control (ApplyGuardrail): ${report.guardrailControls
        .map(
          (g) =>
            `${escapeHtml(g.region)} <span class="st-${g.status}" title="${escapeHtml(formatEvidence(g.evidence))}">${escapeHtml(g.status)}</span> (${escapeHtml(g.guardrailId)}:${escapeHtml(g.guardrailVersion)})`,
        )
        .join(', ')}</p>`
    : '';
  const title = `Bedrock matrix: ${regions.join(', ') || 'no region'}, run ${report.runId}`;

  return `${pageHead(title, CSS, { script: true })}
<body>
<header>
<h1>Bedrock matrix ${simulated ? '<span class="badge sim">SIMULATED</span>' : ''} ${report.partial ? '<span class="badge partial">PARTIAL</span>' : ''}</h1>
${simulated ? `<p class="sim-notice" role="alert">${escapeHtml(SIMULATED_NOTICE)}</p>` : ''}
<p class="facts">${runFacts(report).map(escapeHtml).join(' · ')}</p>
${controls}
</header>
<main>
<section class="controls" aria-label="Filters">
<label for="filter"><strong>Filter models</strong></label> <input id="filter" type="search" placeholder="type part of a model key or ID" autocomplete="off">
<fieldset><legend>Show cells whose basic status is</legend>${statusBoxes}</fieldset>
<fieldset><legend>Show endpoint/api</legend>${colBoxes}</fieldset>
</section>
${regions.map((r) => regionSection(report, r, columns)).join('\n')}
<section id="legend"><h3>Legend</h3><ul class="legend">${LEGEND_LINES.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul></section>
${noticesSection(report)}
${declaredSection(report)}
${changesSection(report)}
${totalsSection(report, regions)}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
};
