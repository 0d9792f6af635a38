/**
 * HTML for the CloudWatch dashboard's custom widgets: the stored matrix of one region (models x
 * endpoint/api, status and feature marks, guardrail verdict, last run, last changes) and a list
 * of recent confirmed changes. Dashboards render the HTML without running scripts, so this is
 * static markup with one <style> block; every piece of stored text is escaped.
 */
import type { Change } from '../model';
import { retirementNotices } from '../retirement';
import { safeDeep, safeText } from '../safe-text';
import { type StoredRegion, storedReport } from '../stored-report';
import {
  changeFromTo,
  describeChangeTarget,
  formatEvidence,
  GUARDRAIL_ENFORCED_MARKER,
  GUARDRAIL_IGNORED_MARKER,
  idNotes,
  regionMatrix,
  reportColumns,
  type Square,
  STATUS_GLYPH,
  squareMarkers,
} from './common';
import { escapeHtml } from './html';

const STYLE = `<style>
.bm{font:12px/1.35 "Amazon Ember",system-ui,sans-serif;color:#16191f}
.bm table{border-collapse:collapse}.bm th,.bm td{border:1px solid #d5dbdb;padding:1px 4px;text-align:left;white-space:nowrap}
.bm thead th{background:#f2f3f3}.bm .muted{color:#687078}
.bm .st-supported{background:#dafbe1;color:#116329}.bm .st-unsupported{background:#fff8c5;color:#7d4e00}
.bm .st-not-found{color:#8c959f}.bm .st-no-access{background:#fbefff;color:#8250df}
.bm .st-error{background:#ffebe9;color:#a40e26}.bm .st-throttled{background:#ddf4ff;color:#0550ae}
.bm .st-skipped{color:#8c959f;font-style:italic}.bm .st-enforced{color:#116329}.bm .st-ignored{color:#a40e26;font-weight:700}
.bm .feat{color:#0550ae;font-weight:700}.bm .gr-ignored{background:#cf222e;color:#fff;padding:0 2px;font-weight:700}
.bm .gr-enforced{color:#116329;font-weight:700}.bm .warn{color:#a40e26;font-weight:700}
</style>`;

export const widgetPage = (body: string): string => `${STYLE}<div class="bm">${body}</div>`;

export const ago = (iso: string, now: Date): string => {
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 120) return `${min} min ago`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
};

const squareCell = (sq: Square, col: string): string => {
  if (!sq.basic) return `<td data-col="${escapeHtml(col)}"></td>`;
  const { features, guardrail } = squareMarkers(sq);
  const gr =
    guardrail === GUARDRAIL_IGNORED_MARKER
      ? ` <span class="gr-ignored">${guardrail}</span>`
      : guardrail === GUARDRAIL_ENFORCED_MARKER
        ? ` <span class="gr-enforced">${guardrail}</span>`
        : guardrail
          ? ` ${escapeHtml(guardrail)}`
          : '';
  const title = [sq.basic, ...Object.values(sq.features), ...(sq.guardrail ? [sq.guardrail] : [])]
    .map(
      (c) =>
        `${c?.variant}: ${c?.status}${c?.since ? ` since ${c.since}` : ''} · ${c ? formatEvidence(c.evidence) : ''}`,
    )
    .join('\n');
  return (
    `<td class="st-${sq.basic.status}" data-col="${escapeHtml(col)}" data-status="${sq.basic.status}" title="${escapeHtml(title)}">` +
    `${escapeHtml(STATUS_GLYPH[sq.basic.status])}${features ? ` <span class="feat">${escapeHtml(features)}</span>` : ''}${gr}</td>`
  );
};

const changeRows = (changes: readonly Change[], now: Date): string =>
  changes
    .map((c) => {
      const [from, to] = changeFromTo(c);
      return (
        `<tr><td>${escapeHtml(c.at ?? '')} <span class="muted">${escapeHtml(c.at ? ago(c.at, now) : '')}</span></td><td>${escapeHtml(c.region)}</td>` +
        `<th scope="row">${escapeHtml(c.model)}</th><td>${escapeHtml(describeChangeTarget(c))}</td>` +
        `<td${c.from ? ` class="st-${c.from}"` : ''}>${escapeHtml(from)}</td><td${c.to ? ` class="st-${c.to}"` : ''}>${escapeHtml(to)}</td></tr>`
      );
    })
    .join('');

const changesTable = (changes: readonly Change[], now: Date, limit: number): string => {
  if (changes.length === 0) return '<p class="muted">No confirmed change in this period.</p>';
  const newest = [...changes].sort((a, b) => (b.at ?? '').localeCompare(a.at ?? '')).slice(0, limit);
  const more =
    changes.length > newest.length
      ? `<p class="muted">… and ${changes.length - newest.length} older</p>`
      : '';
  return (
    '<table class="changes"><thead><tr><th>When</th><th>Region</th><th>Model</th><th>What</th><th>From</th><th>To</th></tr></thead>' +
    `<tbody>${changeRows(newest, now)}</tbody></table>${more}`
  );
};

const runLine = (stored: StoredRegion, now: Date): string => {
  const run = stored.latestRun;
  if (!run)
    return '<p class="warn">No run stored yet: the first scheduled run fills this matrix (within the hour after deploy).</p>';
  const when = run.finishedAt ?? run.startedAt;
  const flags = [
    run.finishedAt === null ? '<span class="warn">run in progress or cut short</span>' : '',
    run.partial && run.finishedAt !== null ? '<span class="warn">PARTIAL run</span>' : '',
    run.source === 'simulator' ? '<span class="warn">SIMULATED</span>' : '',
  ].filter(Boolean);
  return `<p>Last run <b>${escapeHtml(when)}</b> <span class="muted">(${escapeHtml(ago(when, now))}, run ${escapeHtml(run.runId)}, ${run.probesSent} probes, ${run.changeCount} changes)</span> ${flags.join(' ')}</p>`;
};

export interface WidgetOptions {
  /** @default new Date() */
  readonly now?: Date;
  /** Changes listed at most. @default 10 (matrix widget), 50 (changes widget) */
  readonly changeLimit?: number;
  /** Days ahead retirement notices look. @default DEFAULT_NOTICE_DAYS (30) */
  readonly noticeDays?: number;
}

/** The matrix widget: one region's stored matrix, its last run and its last changes. */
export function renderMatrixWidget(raw: StoredRegion, opts: WidgetOptions = {}): string {
  const now = opts.now ?? new Date();
  const stored = safeStored(raw);
  const report = safeDeep(storedReport([raw], () => now));
  const columns = reportColumns(report);
  const matrix = regionMatrix(report, stored.region, columns);
  const head = `<h3 style="margin:0">bedrock-matrix ${escapeHtml(stored.region)}</h3>${runLine(stored, now)}`;
  if (matrix.rows.length === 0)
    return widgetPage(
      `${head}<p class="muted">The store holds no confirmed cell for ${escapeHtml(stored.region)}.</p>`,
    );
  const groups = ['runtime', 'mantle']
    .map((e) => [e, columns.filter((c) => c.endpoint === e).length] as const)
    .filter(([, n]) => n > 0);
  const thead =
    `<thead><tr><th rowspan="2">Model (${matrix.rows.length})</th>${groups.map(([e, n]) => `<th colspan="${n}">${e}</th>`).join('')}</tr>` +
    `<tr>${columns.map((c) => `<th>${c.api}</th>`).join('')}</tr></thead>`;
  const body = matrix.rows
    .map((r) => {
      const ids = idNotes(r.model);
      return (
        `<tr data-model="${escapeHtml(r.model.key)}"><th scope="row">${escapeHtml(r.model.key)}${ids.length ? ` <span class="muted">${ids.map(escapeHtml).join(' ')}</span>` : ''}</th>` +
        r.squares.map((sq, i) => squareCell(sq, `${columns[i]?.endpoint}/${columns[i]?.api}`)).join('') +
        '</tr>'
      );
    })
    .join('');
  const notices = retirementNotices(report, {
    ...(opts.noticeDays !== undefined ? { days: opts.noticeDays } : {}),
  }).map((n) => `<p class="warn">Retirement notice: ${escapeHtml(n.message)}</p>`);
  const legend =
    '<p class="muted">✓ supported · ✗ unsup · – not found · ⊘ no access · ! error · ~ throttled · · skipped · features S stream T tools P stateful B background · guardrail G enforced, <span class="gr-ignored">g!</span> IGNORED, g? no verdict, g- not checked (no probe guardrail). Hover a cell for its evidence.</p>';
  return widgetPage(
    `${head}${notices.join('')}<table class="matrix">${thead}<tbody>${body}</tbody></table>${legend}<h4 style="margin:6px 0 2px">Last changes</h4>${changesTable(stored.changes, now, opts.changeLimit ?? 10)}`,
  );
}

/** The changes widget: recent confirmed changes of every region shown, newest first. */
export function renderChangesWidget(raw: readonly StoredRegion[], opts: WidgetOptions = {}): string {
  const now = opts.now ?? new Date();
  const stored = raw.map(safeStored);
  const changes = stored.flatMap((s) => s.changes);
  const where = stored.map((s) => s.region).join(', ') || 'no region';
  const runs = stored.length === 1 && stored[0] ? runLine(stored[0], now) : '';
  return widgetPage(
    `<h3 style="margin:0">Confirmed changes in ${escapeHtml(where)} (${changes.length})</h3>${runs}${changesTable(changes, now, opts.changeLimit ?? 50)}`,
  );
}

/** What the widget shows instead of a matrix when reading the store failed. */
export const renderWidgetError = (region: string, message: string): string =>
  widgetPage(
    `<h3 style="margin:0">bedrock-matrix ${escapeHtml(safeText(region))}</h3><p class="warn">Cannot read the results table: ${escapeHtml(safeText(message))}</p>`,
  );

/** The stored run and changes with their outside text made safe (the matrix goes through its report). */
export const safeStored = (stored: StoredRegion): StoredRegion => ({
  ...stored,
  region: safeText(stored.region),
  latestRun: safeDeep(stored.latestRun),
  changes: safeDeep(stored.changes),
});
