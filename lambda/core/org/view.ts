/**
 * The organization's views, built from what the home stores (org cells, member records, the
 * accounts Organizations named): model x region with, per square, how many accounts can use the
 * model and why the others cannot; one model's cells, region by region and account by account; and
 * one member's own matrix (every model it reported in one region).
 * Pure: the widget and the CLI read through an OrgReader first and render the result
 * (lambda/core/render/org.ts, org-widget.ts).
 */
import type {
  MemberRecord,
  OrgAccess,
  OrgAccount,
  OrgCell,
  OrgMatrixRow,
  OrgMatrixView,
  OrgMemberView,
  OrgModelView,
  OrgRegionCount,
} from './types';

/** A region's count with the accounts behind each "why not", so a view can name them. */
export interface OrgRegionTally extends OrgRegionCount {
  /** Per access word other than `usable`: the account ids, sorted. */
  readonly accountsBy: Readonly<Partial<Record<OrgAccess, readonly string[]>>>;
}

export interface OrgMatrixTallyRow extends OrgMatrixRow {
  readonly cells: readonly (OrgRegionTally | null)[];
}

/** OrgMatrixView whose squares also name the accounts that cannot use the model. */
export interface OrgMatrix extends OrgMatrixView {
  readonly rows: readonly OrgMatrixTallyRow[];
}

export interface OrgMatrixInput {
  readonly cells: readonly OrgCell[];
  readonly members: readonly MemberRecord[];
  /** As Organizations names them (empty until the home read them). */
  readonly accounts: readonly OrgAccount[];
  /** The organization's regions, in the order the view shows them. */
  readonly regions: readonly string[];
  readonly now: Date;
  /** A member whose last event is older than this is stale (memberStaleAfterMinutes). */
  readonly staleAfterMs: number;
}

export interface OrgModelInput {
  readonly cells: readonly OrgCell[];
  readonly accounts: readonly OrgAccount[];
  readonly regions: readonly string[];
}

export interface OrgMemberInput {
  /** Any org cells: only the member's (its account in its region) are kept. */
  readonly cells: readonly OrgCell[];
  readonly accounts: readonly OrgAccount[];
  /** Any member records: only the member's is kept. */
  readonly members: readonly MemberRecord[];
}

/** The regions given, then any region only the cells name (sorted): a stored cell is never hidden. */
const viewRegions = (regions: readonly string[], cells: readonly OrgCell[]): string[] => {
  const extra = [...new Set(cells.map((c) => c.region))].filter((r) => !regions.includes(r)).sort();
  return [...new Set(regions), ...extra];
};

/**
 * The named accounts plus every account a cell names that Organizations did not (its id stands
 * for its name), sorted by id. Organizations may not have been read yet, or an account may have
 * left the organization while its cells remain.
 */
const viewAccounts = (accounts: readonly OrgAccount[], cells: readonly OrgCell[]): OrgAccount[] => {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  for (const c of cells)
    if (!byId.has(c.account)) byId.set(c.account, { id: c.account, name: c.account, ou: null });
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
};

/**
 * One cell per model x region x account: the table's key makes them unique, but a view built
 * from two reads (or a caller's list) may repeat one; the newest verified wins.
 */
const latestCells = (cells: readonly OrgCell[]): OrgCell[] => {
  const byKey = new Map<string, OrgCell>();
  for (const c of cells) {
    const key = `${c.model}\u0000${c.region}\u0000${c.account}`;
    const held = byKey.get(key);
    if (!held || c.lastVerified > held.lastVerified) byKey.set(key, c);
  }
  return [...byKey.values()];
};

const tally = (cells: readonly OrgCell[]): OrgRegionTally => {
  const others: Partial<Record<OrgAccess, number>> = {};
  const accountsBy: Partial<Record<OrgAccess, string[]>> = {};
  let usable = 0;
  for (const c of cells) {
    if (c.access === 'usable') {
      usable += 1;
      continue;
    }
    others[c.access] = (others[c.access] ?? 0) + 1;
    accountsBy[c.access] = [...(accountsBy[c.access] ?? []), c.account];
  }
  for (const ids of Object.values(accountsBy)) ids.sort();
  return { usable, total: cells.length, others, accountsBy };
};

/**
 * A member is stale when its last event is older than `staleAfterMs` at `now`; a last event
 * whose time cannot be read is stale too (nothing says the member is alive).
 */
export const isStaleMember = (member: MemberRecord, now: Date, staleAfterMs: number): boolean => {
  const at = Date.parse(member.lastEvent);
  return !Number.isFinite(at) || now.getTime() - at > staleAfterMs;
};

/** model x region: per square, usable / total accounts that reported the model, and why not. */
export function orgMatrixView(input: OrgMatrixInput): OrgMatrix {
  const cells = latestCells(input.cells);
  const regions = viewRegions(input.regions, cells);
  const byModel = new Map<string, OrgCell[]>();
  for (const c of cells) byModel.set(c.model, [...(byModel.get(c.model) ?? []), c]);
  const rows = [...byModel.keys()].sort().map((model) => {
    const own = byModel.get(model) ?? [];
    return {
      model,
      cells: regions.map((region) => {
        const here = own.filter((c) => c.region === region);
        return here.length === 0 ? null : tally(here);
      }),
    };
  });
  const staleMembers = input.members
    .filter((m) => isStaleMember(m, input.now, input.staleAfterMs))
    .sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region));
  return { regions, accounts: viewAccounts(input.accounts, cells), rows, staleMembers };
}

/** One model's cells, region (in the view's order) then account. */
export function orgModelView(model: string, input: OrgModelInput): OrgModelView {
  const cells = latestCells(input.cells.filter((c) => c.model === model));
  const regions = viewRegions(input.regions, cells);
  const sorted = cells.sort(
    (a, b) => regions.indexOf(a.region) - regions.indexOf(b.region) || a.account.localeCompare(b.account),
  );
  return { model, regions, accounts: viewAccounts(input.accounts, sorted), cells: sorted };
}

/**
 * One member's own matrix: its cells in its region, one per model (sorted by key), with its
 * account as Organizations names it and what the home last heard from it.
 */
export function orgMemberView(account: string, region: string, input: OrgMemberInput): OrgMemberView {
  // The matrix view's row order (code units), so a model sits at the same place in both.
  const cells = latestCells(input.cells.filter((c) => c.account === account && c.region === region)).sort(
    (a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0),
  );
  const named = input.accounts.find((a) => a.id === account) ?? { id: account, name: account, ou: null };
  // Two records of one member (two reads): the newest event is what the home last heard.
  const member =
    input.members
      .filter((m) => m.account === account && m.region === region)
      .sort((a, b) => b.lastEvent.localeCompare(a.lastEvent))[0] ?? null;
  return { account: named, region, member, cells };
}
