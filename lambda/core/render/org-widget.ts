/**
 * HTML for the organization home's dashboard widgets (lambda/widget/handler.ts views `org`,
 * `org-model` and `org-member`): model x region with per square how many accounts can use the
 * model and why the others cannot, the members and those that stopped reporting; one model,
 * region x account, per api; and one member's own matrix, model by model, per api.
 * Static markup like the other widgets (a dashboard runs no script); every stored string is
 * made safe once (safeOrg) and escaped where it is written.
 */
import { REGION_PATTERN } from '../../shared/settings';
import {
  ACCOUNT_ID_PATTERN,
  type MemberRecord,
  type OrgAccess,
  type OrgCell,
  type OrgMemberView,
  type OrgModelView,
} from '../org/types';
import type { OrgMatrix, OrgRegionTally } from '../org/view';
import { isStaleMember } from '../org/view';
import { safeText } from '../safe-text';
import type { Column } from './common';
import { escapeHtml } from './html';
import {
  accountLabel,
  apiAccess,
  cellReasons,
  columnName,
  countText,
  enforcedText,
  guardrailMark,
  matrixWhyNot,
  memberRecordText,
  orgColumns,
  orgLegend,
  orgMatrixTitle,
  orgMemberTitle,
  orgModelTitle,
  reasonText,
  safeOrg,
  staleText,
} from './org-common';
import { ago, widgetPage } from './widget';

export interface OrgWidgetOptions {
  /** @default new Date() */
  readonly now?: Date;
  /**
   * This function's own ARN (the Lambda context's `invokedFunctionArn`): with it, each member
   * gets a button that re-invokes the widget with that member's own matrix, and the member's
   * matrix a button back to the organization.
   * @default no buttons
   */
  readonly endpoint?: string;
}

export interface OrgMatrixWidgetOptions extends OrgWidgetOptions {
  /** Every member the home heard from: a table of accounts x regions, each member's last event. @default not shown */
  readonly members?: readonly MemberRecord[];
  /** A member whose last event is older than this is marked stale in that table. @default never */
  readonly staleAfterMs?: number;
}

/**
 * The access words' colours, beside the shared widget style (widget.ts). A dashboard reads a
 * button's `<cwdb-action>` itself; anywhere else (a browser preview) its JSON would show as text.
 */
const ORG_STYLE = `<style>
.bm cwdb-action{display:none}
.bm .acc-usable,.bm .org-all{background:#dafbe1;color:#116329}.bm .org-some{background:#fff8c5;color:#7d4e00}
.bm .org-none{background:#ffebe9;color:#a40e26}.bm .acc-no-access{background:#fbefff;color:#8250df}
.bm .acc-denied{background:#ffebe9;color:#a40e26}.bm .acc-not-offered{color:#8c959f}
.bm .acc-broken{background:#ffebe9;color:#a40e26;font-weight:700}.bm .acc-unknown{color:#687078;font-style:italic}
</style>`;

const page = (body: string): string => widgetPage(`${ORG_STYLE}${body}`);

const heading = (text: string): string => `<h3 style="margin:0">${escapeHtml(text)}</h3>`;

const squareClass = (count: OrgRegionTally): string =>
  count.usable === count.total ? 'org-all' : count.usable === 0 ? 'org-none' : 'org-some';

const legend = (view: 'matrix' | 'model' | 'member'): string =>
  `<p class="muted">${orgLegend(view).map(escapeHtml).join(' · ')}</p>`;

const list = (title: string, items: readonly string[]): string =>
  items.length === 0
    ? ''
    : `<h4 style="margin:6px 0 2px">${escapeHtml(title)}</h4><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;

/**
 * A button that calls this widget's function with `params` and shows its answer in place of the
 * widget: CloudWatch's custom-widget action, an element followed by `<cwdb-action action="call"
 * endpoint="<Lambda ARN>">` holding the params as JSON; display defaults to `widget` (the
 * widget's content is replaced) and event to `click`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/add_custom_widget_dashboard_interactivity.html).
 * The JSON is written as is, so only validated values go into it: the callers pass a view name,
 * and an account and region that passed the same patterns the handler checks.
 */
const actionButton = (endpoint: string, label: string, params: Readonly<Record<string, string>>): string =>
  `<a class="btn">${escapeHtml(label)}</a><cwdb-action action="call" display="widget" endpoint="${escapeHtml(endpoint)}">${JSON.stringify(params)}</cwdb-action>`;

/** The button that opens one member's own matrix; none for an id or region the view would refuse. */
const memberButton = (endpoint: string | undefined, member: MemberRecord, label: string): string =>
  endpoint && ACCOUNT_ID_PATTERN.test(member.account) && REGION_PATTERN.test(member.region)
    ? actionButton(endpoint, label, { view: 'org-member', account: member.account, region: member.region })
    : '';

/** Accounts down, regions across: each member's last event, and the button to its own matrix. */
const membersTable = (
  members: readonly MemberRecord[],
  view: OrgMatrix,
  opts: OrgMatrixWidgetOptions,
  now: Date,
): string => {
  if (members.length === 0) return '';
  const regions = [
    ...view.regions,
    ...[...new Set(members.map((m) => m.region))].filter((r) => !view.regions.includes(r)).sort(),
  ];
  const accounts = [...new Set(members.map((m) => m.account))].sort();
  const byMember = new Map(members.map((m) => [`${m.account}\u0000${m.region}`, m]));
  const rows = accounts
    .map((account) => {
      const cells = regions
        .map((region) => {
          const m = byMember.get(`${account}\u0000${region}`);
          if (!m) return '<td class="muted">-</td>';
          const stale = opts.staleAfterMs !== undefined && isStaleMember(m, now, opts.staleAfterMs);
          const when = ago(m.lastEvent, now) || 'unreadable time';
          return `<td${stale ? ' class="warn"' : ''} title="${escapeHtml(staleText(m, view.accounts))}">${memberButton(opts.endpoint, m, 'open')} ${escapeHtml(`${m.role === 'probe' ? 'probe, ' : ''}${when}`)}</td>`;
        })
        .join('');
      return `<tr data-account="${escapeHtml(account)}"><th scope="row">${escapeHtml(accountLabel(view.accounts, account))}</th>${cells}</tr>`;
    })
    .join('');
  return `<h4 style="margin:6px 0 2px">Members (${members.length}): last event${opts.endpoint ? ", and each one's own matrix" : ''}</h4><table class="org-members"><thead><tr><th>Account</th>${regions.map((r) => `<th>${escapeHtml(r)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`;
};

/** The organization's matrix: models down, regions across, usable / reporting accounts per square. */
export function renderOrgMatrixWidget(raw: OrgMatrix, opts: OrgMatrixWidgetOptions = {}): string {
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
          .map(
            (m) =>
              `<li class="warn">${escapeHtml(staleText(m, view.accounts, now))} ${memberButton(opts.endpoint, m, 'open its matrix')}</li>`,
          )
          .join('')}</ul>`;
  return page(
    `${heading(orgMatrixTitle(view))}${grid}${list(
      'Why not usable',
      why.map((w) => `${w.region} ${w.model}: ${w.text}`),
    )}${stale}${membersTable(safeOrg(opts.members ?? []), view, opts, now)}${legend('matrix')}`,
  );
}

const accessCell = (access: OrgAccess | null, title: string, mark = ''): string =>
  access === null
    ? '<td class="muted">-</td>'
    : `<td class="acc-${access}"${title ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(mark ? `${access} ${mark}` : access)}</td>`;

/** A cell's access, each api's (the reason as the title of anything not usable), guardrails and age. */
const cellColumns = (c: OrgCell, columns: readonly Column[], now: Date): string => {
  const apis = columns
    .map((col) => {
      const api = c.apis.find((a) => a.endpoint === col.endpoint && a.api === col.api);
      return accessCell(
        apiAccess(c, col),
        api && api.access !== 'usable' ? api.reason : '',
        guardrailMark(c, col),
      );
    })
    .join('');
  return (
    `${accessCell(c.access, c.access === 'usable' ? '' : c.reason)}${apis}<td>${escapeHtml(enforcedText(c))}</td>` +
    `<td title="${escapeHtml(`changed ${c.lastChanged} · evidence ${c.evidence}`)}">${escapeHtml(ago(c.lastVerified, now))}</td>`
  );
};

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
      return (
        `<tr data-region="${escapeHtml(c.region)}" data-account="${escapeHtml(c.account)}"><td>${escapeHtml(c.region)}</td>` +
        `<th scope="row">${escapeHtml(accountLabel(view.accounts, c.account))}</th><td class="muted">${escapeHtml(ouOf.get(c.account) ?? '')}</td>` +
        `${cellColumns(c, columns, now)}</tr>`
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

/** One member's own matrix: one row per model, its access and each api's, guardrails and age. */
export function renderOrgMemberWidget(raw: OrgMemberView, opts: OrgWidgetOptions = {}): string {
  const now = opts.now ?? new Date();
  const view = safeOrg(raw);
  const back = opts.endpoint
    ? ` ${actionButton(opts.endpoint, 'Back to the organization', { view: 'org' })}`
    : '';
  const head = `${heading(orgMemberTitle(view))}<p class="muted">${escapeHtml(memberRecordText(view.member, now))}${back}</p>`;
  if (view.cells.length === 0)
    return page(
      `${head}<p class="muted">${escapeHtml(`No model reported by ${view.account.id} in ${view.region}.`)}</p>`,
    );
  const columns = orgColumns(view.cells);
  const rows = view.cells
    .map((c) => {
      return (
        `<tr data-model="${escapeHtml(c.model)}"><th scope="row">${escapeHtml(c.model)}</th>` +
        `${cellColumns(c, columns, now)}</tr>`
      );
    })
    .join('');
  const thead = `<thead><tr><th>Model (${view.cells.length})</th><th>Access</th>${columns.map((col) => `<th>${escapeHtml(columnName(col))}</th>`).join('')}<th>Enforced guardrails</th><th>Verified</th></tr></thead>`;
  const why = view.cells.flatMap((c) => cellReasons(c).map((r) => `${c.model}: ${reasonText(r)}`));
  return page(
    `${head}<table class="org-member">${thead}<tbody>${rows}</tbody></table>${list('Why not usable', why)}${legend('member')}`,
  );
}

/** One line instead of a view: not an organization home, a missing param, a read that failed. */
export const renderOrgWidgetNotice = (title: string, message: string): string =>
  page(`${heading(safeText(title))}<p class="warn">${escapeHtml(safeText(message))}</p>`);
