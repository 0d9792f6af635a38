/**
 * HTML for the organization home's dashboard widgets (lambda/widget/handler.ts views `org` and
 * `org-model`): model x region with per square how many accounts can use the model and why the
 * others cannot, the members that stopped reporting; and one model, region x account, per api.
 * Static markup like the other widgets (a dashboard runs no script); every stored string is
 * made safe once (safeOrg) and escaped where it is written.
 */
import type { OrgAccess, OrgModelView } from '../org/types';
import type { OrgMatrix, OrgRegionTally } from '../org/view';
import { safeText } from '../safe-text';
import { escapeHtml } from './html';
import {
  accountLabel,
  apiAccess,
  cellReasons,
  columnName,
  countText,
  enforcedText,
  matrixWhyNot,
  orgColumns,
  orgLegend,
  orgMatrixTitle,
  orgModelTitle,
  reasonText,
  safeOrg,
  staleText,
} from './org-common';
import { ago, widgetPage } from './widget';

export interface OrgWidgetOptions {
  /** @default new Date() */
  readonly now?: Date;
}

/** The access words' colours, beside the shared widget style (widget.ts). */
const ORG_STYLE = `<style>
.bm .acc-usable,.bm .org-all{background:#dafbe1;color:#116329}.bm .org-some{background:#fff8c5;color:#7d4e00}
.bm .org-none{background:#ffebe9;color:#a40e26}.bm .acc-no-access{background:#fbefff;color:#8250df}
.bm .acc-denied{background:#ffebe9;color:#a40e26}.bm .acc-not-offered{color:#8c959f}
.bm .acc-broken{background:#ffebe9;color:#a40e26;font-weight:700}.bm .acc-unknown{color:#687078;font-style:italic}
</style>`;

const page = (body: string): string => widgetPage(`${ORG_STYLE}${body}`);

const heading = (text: string): string => `<h3 style="margin:0">${escapeHtml(text)}</h3>`;

const squareClass = (count: OrgRegionTally): string =>
  count.usable === count.total ? 'org-all' : count.usable === 0 ? 'org-none' : 'org-some';

const legend = (view: 'matrix' | 'model'): string =>
  `<p class="muted">${orgLegend(view).map(escapeHtml).join(' · ')}</p>`;

const list = (title: string, items: readonly string[]): string =>
  items.length === 0
    ? ''
    : `<h4 style="margin:6px 0 2px">${escapeHtml(title)}</h4><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;

/** The organization's matrix: models down, regions across, usable / reporting accounts per square. */
export function renderOrgMatrixWidget(raw: OrgMatrix, opts: OrgWidgetOptions = {}): string {
  const now = opts.now ?? new Date();
  const view = safeOrg(raw);
  const why = matrixWhyNot(view);
  const whyOf = new Map(why.map((w) => [`${w.model}\u0000${w.region}`, w.text]));
  const grid =
    view.rows.length === 0
      ? '<p class="muted">No account has reported a model yet.</p>'
      : `<table class="org-matrix"><thead><tr><th>Model (${view.rows.length})</th>${view.regions.map((r) => `<th>${escapeHtml(r)}</th>`).join('')}</tr></thead><tbody>${view.rows
          .map(
            (row) =>
              `<tr data-model="${escapeHtml(row.model)}"><th scope="row">${escapeHtml(row.model)}</th>${row.cells
                .map((count, i) => {
                  const region = escapeHtml(view.regions[i] ?? '');
                  if (!count) return `<td class="muted" data-region="${region}">${countText(count)}</td>`;
                  const title = whyOf.get(`${row.model}\u0000${view.regions[i]}`);
                  return `<td class="${squareClass(count)}" data-region="${region}"${title ? ` title="${escapeHtml(title)}"` : ''}>${countText(count)}</td>`;
                })
                .join('')}</tr>`,
          )
          .join('')}</tbody></table>`;
  const stale =
    view.staleMembers.length === 0
      ? '<p class="muted">Every member reported within the stale threshold.</p>'
      : `<h4 style="margin:6px 0 2px" class="warn">Stale members (${view.staleMembers.length})</h4><ul>${view.staleMembers
          .map((m) => `<li class="warn">${escapeHtml(staleText(m, view.accounts, now))}</li>`)
          .join('')}</ul>`;
  return page(
    `${heading(orgMatrixTitle(view))}${grid}${list(
      'Why not usable',
      why.map((w) => `${w.region} ${w.model}: ${w.text}`),
    )}${stale}${legend('matrix')}`,
  );
}

const accessCell = (access: OrgAccess | null, title: string): string =>
  access === null
    ? '<td class="muted">-</td>'
    : `<td class="acc-${access}"${title ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(access)}</td>`;

/** One model across the organization: which accounts in which regions can use it, through which api. */
export function renderOrgModelWidget(raw: OrgModelView, opts: OrgWidgetOptions = {}): string {
  const now = opts.now ?? new Date();
  const view = safeOrg(raw);
  const head = heading(orgModelTitle(view.model, view.cells));
  if (view.cells.length === 0)
    return page(`${head}<p class="muted">No account has reported ${escapeHtml(view.model)}.</p>`);
  const columns = orgColumns(view.cells);
  const ouOf = new Map(view.accounts.map((a) => [a.id, a.ou?.name ?? '']));
  const rows = view.cells
    .map((c) => {
      const apis = columns
        .map((col) => {
          const api = c.apis.find((a) => a.endpoint === col.endpoint && a.api === col.api);
          return accessCell(apiAccess(c, col), api && api.access !== 'usable' ? api.reason : '');
        })
        .join('');
      return (
        `<tr data-region="${escapeHtml(c.region)}" data-account="${escapeHtml(c.account)}"><td>${escapeHtml(c.region)}</td>` +
        `<th scope="row">${escapeHtml(accountLabel(view.accounts, c.account))}</th><td class="muted">${escapeHtml(ouOf.get(c.account) ?? '')}</td>` +
        `${accessCell(c.access, c.access === 'usable' ? '' : c.reason)}${apis}<td>${escapeHtml(enforcedText(c))}</td>` +
        `<td title="${escapeHtml(`changed ${c.lastChanged} · evidence ${c.evidence}`)}">${escapeHtml(ago(c.lastVerified, now))}</td></tr>`
      );
    })
    .join('');
  const thead = `<thead><tr><th>Region</th><th>Account</th><th>OU</th><th>Access</th>${columns.map((col) => `<th>${escapeHtml(columnName(col))}</th>`).join('')}<th>Enforced guardrails</th><th>Verified</th></tr></thead>`;
  const why = view.cells.flatMap((c) =>
    cellReasons(c).map((r) => `${c.region} ${accountLabel(view.accounts, c.account)}: ${reasonText(r)}`),
  );
  return page(
    `${head}<table class="org-model">${thead}<tbody>${rows}</tbody></table>${list('Why not usable', why)}${legend('model')}`,
  );
}

/** One line instead of a view: not an organization home, a missing param, a read that failed. */
export const renderOrgWidgetNotice = (title: string, message: string): string =>
  page(`${heading(safeText(title))}<p class="warn">${escapeHtml(safeText(message))}</p>`);
