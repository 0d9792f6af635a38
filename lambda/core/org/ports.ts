/**
 * What the organization's home needs from storage (lambda/adapters/store/org-store.ts implements
 * it over the home table). Every write is state-based and conditional on time, so an event
 * received twice, or late, stores nothing new.
 */
import type {
  AccountFacts,
  MemberRecord,
  OrgAccount,
  OrgCell,
  OrgChange,
  RegionFactCell,
  RegionFacts,
} from './types';

/** An org change stored but not yet carried by an alert (the org outbox). */
export interface PendingOrgChange {
  readonly id: string;
  readonly change: OrgChange;
}

/** What the widget and the CLI read (Query only). */
export interface OrgReader {
  /** Every org cell; `model` limits it to one model. */
  orgCells(model?: string): Promise<OrgCell[]>;
  /** Org cells of one region (every model and account there), or of one account there. */
  orgCellsOfRegion(region: string, account?: string): Promise<OrgCell[]>;
  /** Every member the home heard from. */
  members(): Promise<MemberRecord[]>;
  /** The accounts as Organizations last named them (empty until the home read them). */
  orgAccounts(): Promise<OrgAccount[]>;
}

export interface OrgStore extends OrgReader {
  /** Records an event of a member; an older event than the stored one leaves the record. */
  saveMemberEvent(record: MemberRecord): Promise<void>;
  loadAccountFacts(account: string, region: string): Promise<AccountFacts | null>;
  /** Stores the facts unless newer ones are stored; false when they were older (nothing written). */
  saveAccountFacts(facts: AccountFacts): Promise<boolean>;
  /** Every account's facts in one region. */
  accountFactsOfRegion(region: string): Promise<AccountFacts[]>;
  loadRegionFacts(region: string): Promise<RegionFacts | null>;
  /**
   * Stores the region facts of the models listed (the others keep theirs); a model whose stored
   * facts are newer keeps them. `removed` models are dropped. Returns the models actually written.
   */
  saveRegionFacts(
    region: string,
    account: string,
    at: string,
    models: Readonly<Record<string, readonly RegionFactCell[]>>,
    removed?: readonly string[],
  ): Promise<string[]>;
  /**
   * Writes the changes to the org outbox first, then the cells: a crash between the two leaves a
   * change that the next recompute finds again (same id), never a moved cell without its change.
   */
  saveOrgCells(cells: readonly OrgCell[], changes: readonly OrgChange[]): Promise<void>;
  /** Oldest first. */
  pendingOrgChanges(): Promise<PendingOrgChange[]>;
  /** The alert channel accepted these. */
  markOrgChangesAlerted(ids: readonly string[]): Promise<void>;
  saveOrgAccounts(accounts: readonly OrgAccount[], at: string): Promise<void>;
  /** Whether a region's retirement notice (its once-only key) was alerted. */
  noticeAlerted(region: string, key: string): Promise<boolean>;
  /** Remembers a region's retirement notice as alerted (after SNS accepted it). */
  markNoticeAlerted(region: string, key: string, at: string): Promise<void>;
}
