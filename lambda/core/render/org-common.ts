/**
 * What the organization's renderers share (text and Markdown in org.ts, the widget's HTML in
 * org-widget.ts): the one meaning of each access word, how an account is named, the count of a
 * square, the "why not" lines and the columns of one model's view. Every string a view carries
 * came from a member or from Organizations: `safeOrg` makes it safe once, before any format.
 */
import { mapStringsDeep } from '../deep-strings';
import { ENDPOINT_APIS, ENDPOINTS } from '../model';
import {
  type FactKind,
  type MemberRecord,
  ORG_ACCESS,
  type OrgAccess,
  type OrgAccount,
  type OrgCell,
  type OrgMemberView,
  type OrgRegionCount,
} from '../org/types';
import type { OrgMatrix } from '../org/view';
import { safeText } from '../safe-text';
import {
  type Column,
  GUARDRAIL_ENFORCED_MARKER,
  GUARDRAIL_IGNORED_MARKER,
  GUARDRAIL_UNKNOWN_MARKER,
  scrub,
} from './common';
import { ago } from './widget';

/** Formats of the organization's views outside the widget (the widget is HTML: org-widget.ts). */
export const ORG_VIEW_FORMATS = ['text', 'markdown', 'json'] as const;
export type OrgViewFormat = (typeof ORG_VIEW_FORMATS)[number];

/** What each access word means, for every legend (lambda/core/org/types.ts ORG_ACCESS). */
export const ORG_ACCESS_MEANING: Readonly<Record<OrgAccess, string>> = {
  usable: 'the region serves it and the account may call it',
  'no-access': 'the account has no model access or agreement',
  denied: 'an explicit deny in an SCP or IAM policy',
  'not-offered': 'the region does not serve it (through that api)',
  broken: "the account's own probe fails where the region's works",
  unknown: 'no fact yet, or an answer not understood',
};

/** Which fact decided a cell, as a reader says it. */
export const FACT_LABEL: Readonly<Record<FactKind, string>> = {
  region: 'region fact',
  account: 'account fact',
  probe: "the account's own probe",
};

const ORG_COUNT_LEGEND =
  'N/M = N of the M accounts that reported the model in that region can use it; - = no account reported it there';

/** The accounts named per reason at most; a 30-account organization gets "and N more". */
const NAMED_MAX = 5;

/** Every string of a view with control characters shown and secrets scrubbed (keys included). */
export const safeOrg = <T>(view: T): T => mapStringsDeep(view, (s) => scrub(safeText(s)));

/** `222222222222 Sandbox`, or the bare id when Organizations did not name it. */
export const accountLabel = (accounts: readonly OrgAccount[], id: string): string => {
  const name = accounts.find((a) => a.id === id)?.name;
  return name && name !== id ? `${id} ${name}` : id;
};

/** `3/5`, or `-` when no account reported the model there. */
export const countText = (count: OrgRegionCount | null | undefined): string =>
  count ? `${count.usable}/${count.total}` : '-';

/** One square's reasons: `1 no-access (222222222222 Sandbox), 1 denied (333333333333 Governed)`. */
export interface SquareWhyNot {
  readonly region: string;
  readonly model: string;
  readonly text: string;
}

const named = (accounts: readonly OrgAccount[], ids: readonly string[]): string => {
  const shown = ids.slice(0, NAMED_MAX).map((id) => accountLabel(accounts, id));
  return ids.length > NAMED_MAX ? `${shown.join(', ')} and ${ids.length - NAMED_MAX} more` : shown.join(', ');
};

/** Why the other accounts cannot use each model, square by square (region order, then model). */
export const matrixWhyNot = (view: OrgMatrix): SquareWhyNot[] =>
  view.regions.flatMap((region, i) =>
    view.rows.flatMap((row) => {
      const count = row.cells[i];
      if (!count) return [];
      const parts = ORG_ACCESS.filter((a) => a !== 'usable' && (count.others[a] ?? 0) > 0).map((a) => {
        const ids = count.accountsBy?.[a] ?? [];
        return `${count.others[a]} ${a}${ids.length > 0 ? ` (${named(view.accounts, ids)})` : ''}`;
      });
      return parts.length === 0 ? [] : [{ region, model: row.model, text: parts.join(', ') }];
    }),
  );

/** `333333333333 Governed eu-west-1 (member): last event <ISO> (3 h ago)`. */
export const staleText = (member: MemberRecord, accounts: readonly OrgAccount[], now?: Date): string =>
  `${accountLabel(accounts, member.account)} ${member.region} (${member.role}): last event ${member.lastEvent}` +
  (now ? ` (${ago(member.lastEvent, now) || 'unreadable time'})` : '');

/** The endpoint/api columns any of the cells has, in the matrix's order. */
export const orgColumns = (cells: readonly OrgCell[]): Column[] =>
  ENDPOINTS.flatMap((endpoint) => ENDPOINT_APIS[endpoint].map((api) => ({ endpoint, api }))).filter((col) =>
    cells.some((c) => c.apis.some((a) => a.endpoint === col.endpoint && a.api === col.api)),
  );

export const columnName = (col: Column): string => `${col.endpoint}/${col.api}`;

/** The cell's access through one api; null when the cell has no such api. */
export const apiAccess = (cell: OrgCell, col: Column): OrgAccess | null =>
  cell.apis.find((a) => a.endpoint === col.endpoint && a.api === col.api)?.access ?? null;

/** The guardrail verdict of a usable api as the region views mark it: `G` stops, `g!` does not, `g?` unknown. */
export const guardrailMark = (cell: OrgCell, col: Column): string => {
  const api = cell.apis.find((a) => a.endpoint === col.endpoint && a.api === col.api);
  // Only where the account can call the api: a region's verdict says nothing to an account denied it.
  const verdict = api?.access === 'usable' ? api.guardrail : undefined;
  if (verdict === undefined) return '';
  return verdict === 'enforced'
    ? GUARDRAIL_ENFORCED_MARKER
    : verdict === 'ignored'
      ? GUARDRAIL_IGNORED_MARKER
      : GUARDRAIL_UNKNOWN_MARKER;
};

/** An api's access word with its guardrail mark (`usable G`), or `-` where the account reported no such api. */
export const apiText = (cell: OrgCell, col: Column): string => {
  const access = apiAccess(cell, col);
  if (access === null) return '-';
  const mark = guardrailMark(cell, col);
  return mark ? `${access} ${mark}` : access;
};

/** `gr-user:1, gr-org:3`, or `none`. */
export const enforcedText = (cell: OrgCell): string =>
  cell.enforced.length > 0 ? cell.enforced.join(', ') : 'none';

/** One reason a cell (or some of its apis) is not usable: `denied: explicit deny in ...`. */
export interface CellReason {
  readonly access: OrgAccess;
  readonly reason: string;
  readonly fact: FactKind;
  /** `the model and every api`, or what it concerns: `model, runtime/converse`, `mantle/messages`. */
  readonly where: string;
}

/**
 * The reasons a cell is not usable, the model's first: the model and each api not `usable`,
 * those with the same access, reason and fact told once, naming what they concern.
 */
export const cellReasons = (cell: OrgCell): CellReason[] => {
  const groups = new Map<string, { access: OrgAccess; reason: string; fact: FactKind; targets: string[] }>();
  const add = (access: OrgAccess, reason: string, fact: FactKind, target: string) => {
    const key = `${access}\u0000${reason}\u0000${fact}`;
    const group = groups.get(key) ?? { access, reason, fact, targets: [] };
    group.targets.push(target);
    groups.set(key, group);
  };
  if (cell.access !== 'usable') add(cell.access, cell.reason, cell.fact, 'model');
  for (const a of cell.apis)
    if (a.access !== 'usable')
      add(a.access, a.reason, a.fact, columnName({ endpoint: a.endpoint, api: a.api }));
  return [...groups.values()].map((g) => ({
    access: g.access,
    reason: g.reason,
    fact: g.fact,
    where:
      g.targets[0] === 'model' && g.targets.length === cell.apis.length + 1
        ? 'the model and every api'
        : g.targets.join(', '),
  }));
};

/** `denied: <reason> (the model and every api; the account's own probe)`. */
export const reasonText = (r: CellReason): string =>
  `${r.access}: ${r.reason.trim() || 'no reason recorded'} (${r.where}; ${FACT_LABEL[r.fact]})`;

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The view's headline. */
export const orgMatrixTitle = (view: OrgMatrix): string =>
  `Organization: ${count(view.rows.length, 'model')}, ${count(view.accounts.length, 'account')}, ${count(view.regions.length, 'region')}`;

export const orgModelTitle = (model: string, cells: readonly OrgCell[]): string => {
  const regions = new Set(cells.map((c) => c.region)).size;
  const accounts = new Set(cells.map((c) => c.account)).size;
  return `Organization: ${model} reported by ${count(accounts, 'account')} in ${count(regions, 'region')}`;
};

/** `Member 222222222222 Sandbox (OU Workloads) in eu-west-1: 3 models, 1 usable`. */
export const orgMemberTitle = (view: OrgMemberView): string => {
  const usable = view.cells.filter((c) => c.access === 'usable').length;
  const ou = view.account.ou ? ` (OU ${view.account.ou.name})` : '';
  return `Member ${accountLabel([view.account], view.account.id)}${ou} in ${view.region}: ${count(view.cells.length, 'model')}, ${usable} usable`;
};

const ROLE_TEXT: Readonly<Record<MemberRecord['role'], string>> = {
  probe: "probe account (measures the region's facts too)",
  member: 'member (account facts only)',
};

/** `member (account facts only): last event <ISO> (5 min ago)`, or that the home never heard from it. */
export const memberRecordText = (member: MemberRecord | null, now?: Date): string =>
  member
    ? `${ROLE_TEXT[member.role]}: last event ${member.lastEvent}` +
      (now ? ` (${ago(member.lastEvent, now) || 'unreadable time'})` : '')
    : 'the home has received no event from this member';

const MODEL_LEGEND =
  'access = the model as a whole (its most usable api); - = the account reported no such api for the model';

/** The legend lines every format shows: what the view's cells say, then each access word. */
export const orgLegend = (view: 'matrix' | 'model' | 'member'): string[] => [
  view === 'matrix' ? ORG_COUNT_LEGEND : MODEL_LEGEND,
  ...ORG_ACCESS.map((a) => `${a}: ${ORG_ACCESS_MEANING[a]}`),
  ...(view === 'matrix'
    ? []
    : [
        `${GUARDRAIL_ENFORCED_MARKER} = a guardrail stops a request on this api, ${GUARDRAIL_IGNORED_MARKER} = it does not, ${GUARDRAIL_UNKNOWN_MARKER} = no verdict`,
      ]),
];
