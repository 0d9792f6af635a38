/**
 * The organization's views as text (terminal) and Markdown (a wiki, an issue): model x region with,
 * per square, how many accounts can use the model and why the others cannot, the members that
 * stopped reporting; and for one model, which accounts in which regions can use it through which
 * api and why the others cannot; and one member's own matrix (every model it reported in one
 * region). JSON is the view itself. The widget's HTML is org-widget.ts.
 */
import type { OrgMemberView, OrgModelView } from '../org/types';
import type { OrgMatrix } from '../org/view';
import { escapeCell } from './markdown';
import {
  accountLabel,
  apiText,
  cellReasons,
  columnName,
  countText,
  enforcedText,
  matrixWhyNot,
  memberRecordText,
  type OrgViewFormat,
  orgColumns,
  orgLegend,
  orgMatrixTitle,
  orgMemberTitle,
  orgModelTitle,
  reasonText,
  safeOrg,
  staleText,
} from './org-common';

export interface OrgRenderOptions {
  /** Shows how long ago each stale member last reported. @default not shown */
  readonly now?: Date;
}

const width = (s: string): number => [...s].length;

/** A terminal grid: columns as wide as their widest cell, `│` between, a rule under the head. */
const grid = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => {
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (row: readonly string[]) =>
    row
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c))))
      .join(' │ ')
      .trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...rows.map(line)];
};

const mdRow = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

const mdTable = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  mdRow(head.map(escapeCell)),
  mdRow(head.map(() => '---')),
  ...rows.map((r) => mdRow(r.map(escapeCell))),
];

const json = (view: unknown): string => `${JSON.stringify(safeOrg(view), null, 2)}\n`;

function matrixText(view: OrgMatrix, opts: OrgRenderOptions): string {
  const out = [orgMatrixTitle(view), ''];
  if (view.rows.length === 0) out.push('No account has reported a model yet.');
  else
    out.push(
      ...grid(
        ['model', ...view.regions],
        view.rows.map((r) => [r.model, ...r.cells.map(countText)]),
      ),
    );
  const why = matrixWhyNot(view);
  if (why.length > 0)
    out.push('', 'Why not usable', ...why.map((w) => `  ${w.region} ${w.model}: ${w.text}`));
  if (view.staleMembers.length > 0)
    out.push(
      '',
      `Stale members (${view.staleMembers.length}): no event within the stale threshold`,
      ...view.staleMembers.map((m) => `  ${staleText(m, view.accounts, opts.now)}`),
    );
  out.push('', 'Legend', ...orgLegend('matrix').map((l) => `  ${l}`));
  return `${out.join('\n')}\n`;
}

function matrixMarkdown(view: OrgMatrix, opts: OrgRenderOptions): string {
  const out = [`# ${escapeCell(orgMatrixTitle(view))}`, ''];
  if (view.rows.length === 0) out.push('No account has reported a model yet.');
  else
    out.push(
      ...mdTable(
        ['Model', ...view.regions],
        view.rows.map((r) => [r.model, ...r.cells.map(countText)]),
      ),
    );
  const why = matrixWhyNot(view);
  if (why.length > 0)
    out.push(
      '',
      '## Why not usable',
      '',
      ...why.map((w) => `- ${escapeCell(`${w.region} ${w.model}: ${w.text}`)}`),
    );
  if (view.staleMembers.length > 0)
    out.push(
      '',
      `## Stale members (${view.staleMembers.length})`,
      '',
      ...view.staleMembers.map((m) => `- ${escapeCell(staleText(m, view.accounts, opts.now))}`),
    );
  out.push('', '### Legend', '', ...orgLegend('matrix').map((l) => `- ${escapeCell(l)}`));
  return `${out.join('\n')}\n`;
}

/** One row per region x account: the model's access, each api's, the enforced guardrails. */
const modelRows = (view: OrgModelView) => {
  const columns = orgColumns(view.cells);
  const head = ['region', 'account', 'access', ...columns.map(columnName), 'enforced guardrails'];
  const rows = view.cells.map((c) => [
    c.region,
    accountLabel(view.accounts, c.account),
    c.access,
    ...columns.map((col) => apiText(c, col)),
    enforcedText(c),
  ]);
  const why = view.cells.flatMap((c) =>
    cellReasons(c).map((r) => `${c.region} ${accountLabel(view.accounts, c.account)}: ${reasonText(r)}`),
  );
  return { head, rows, why };
};

function modelText(view: OrgModelView): string {
  const out = [orgModelTitle(view.model, view.cells), ''];
  if (view.cells.length === 0) out.push(`No account has reported ${view.model}.`);
  else {
    const { head, rows, why } = modelRows(view);
    out.push(...grid(head, rows));
    if (why.length > 0) out.push('', 'Why not usable', ...why.map((w) => `  ${w}`));
  }
  out.push('', 'Legend', ...orgLegend('model').map((l) => `  ${l}`));
  return `${out.join('\n')}\n`;
}

function modelMarkdown(view: OrgModelView): string {
  const out = [`# ${escapeCell(orgModelTitle(view.model, view.cells))}`, ''];
  if (view.cells.length === 0) out.push(escapeCell(`No account has reported ${view.model}.`));
  else {
    const { head, rows, why } = modelRows(view);
    out.push(...mdTable(head, rows));
    if (why.length > 0) out.push('', '## Why not usable', '', ...why.map((w) => `- ${escapeCell(w)}`));
  }
  out.push('', '### Legend', '', ...orgLegend('model').map((l) => `- ${escapeCell(l)}`));
  return `${out.join('\n')}\n`;
}

/** One row per model: its access, each api's, the enforced guardrails; then the reasons. */
const memberRows = (view: OrgMemberView) => {
  const columns = orgColumns(view.cells);
  const head = ['model', 'access', ...columns.map(columnName), 'enforced guardrails'];
  const rows = view.cells.map((c) => [
    c.model,
    c.access,
    ...columns.map((col) => apiText(c, col)),
    enforcedText(c),
  ]);
  const why = view.cells.flatMap((c) => cellReasons(c).map((r) => `${c.model}: ${reasonText(r)}`));
  return { head, rows, why };
};

const noMemberCells = (view: OrgMemberView): string =>
  `No model reported by ${view.account.id} in ${view.region}.`;

function memberText(view: OrgMemberView, opts: OrgRenderOptions): string {
  const out = [orgMemberTitle(view), memberRecordText(view.member, opts.now), ''];
  if (view.cells.length === 0) out.push(noMemberCells(view));
  else {
    const { head, rows, why } = memberRows(view);
    out.push(...grid(head, rows));
    if (why.length > 0) out.push('', 'Why not usable', ...why.map((w) => `  ${w}`));
  }
  out.push('', 'Legend', ...orgLegend('member').map((l) => `  ${l}`));
  return `${out.join('\n')}\n`;
}

function memberMarkdown(view: OrgMemberView, opts: OrgRenderOptions): string {
  const out = [
    `# ${escapeCell(orgMemberTitle(view))}`,
    '',
    escapeCell(memberRecordText(view.member, opts.now)),
    '',
  ];
  if (view.cells.length === 0) out.push(escapeCell(noMemberCells(view)));
  else {
    const { head, rows, why } = memberRows(view);
    out.push(...mdTable(head, rows));
    if (why.length > 0) out.push('', '## Why not usable', '', ...why.map((w) => `- ${escapeCell(w)}`));
  }
  out.push('', '### Legend', '', ...orgLegend('member').map((l) => `- ${escapeCell(l)}`));
  return `${out.join('\n')}\n`;
}

/** The organization's model x region view (orgMatrixView) in one format. */
export function renderOrgMatrix(view: OrgMatrix, format: OrgViewFormat, opts: OrgRenderOptions = {}): string {
  if (format === 'json') return json(view);
  const safe = safeOrg(view);
  return format === 'markdown' ? matrixMarkdown(safe, opts) : matrixText(safe, opts);
}

/** One model across the organization (orgModelView) in one format. */
export function renderOrgModel(view: OrgModelView, format: OrgViewFormat): string {
  if (format === 'json') return json(view);
  const safe = safeOrg(view);
  return format === 'markdown' ? modelMarkdown(safe) : modelText(safe);
}

/** One member's own matrix (orgMemberView) in one format. */
export function renderOrgMember(
  view: OrgMemberView,
  format: OrgViewFormat,
  opts: OrgRenderOptions = {},
): string {
  if (format === 'json') return json(view);
  const safe = safeOrg(view);
  return format === 'markdown' ? memberMarkdown(safe, opts) : memberText(safe, opts);
}
