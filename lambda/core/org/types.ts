/**
 * The organization's vocabulary (docs/organization.md). Two kinds of fact, measured where they
 * live: *region facts* (which model answers which api on which host: the same for every account,
 * measured by one probe account per region with the full matrix) and *account facts* (model
 * access, an SCP or IAM deny, enforced guardrails: measured in every account). An account's cell
 * is the region fact combined with the account fact; only that account's own probe overrules it.
 */
import type { Api, Endpoint, EnforcedGuardrail, Status, Variant } from '../model';

/** What GetFoundationModelAvailability answered for one model in one account and region. */
export interface ModelAvailability {
  /** The model key (lambda/core/resolve.ts `modelKeyOf`). */
  readonly model: string;
  /** `agreementAvailability.status`: AVAILABLE | PENDING | NOT_AVAILABLE | ERROR; null when absent. */
  readonly agreement: string | null;
  /** `authorizationStatus`: AUTHORIZED | NOT_AUTHORIZED. */
  readonly authorization: string | null;
  /** `entitlementAvailability`: AVAILABLE | NOT_AVAILABLE. */
  readonly entitlement: string | null;
  /** `regionAvailability`: AVAILABLE | NOT_AVAILABLE. */
  readonly regionAvailability: string | null;
  /** The call failed or answered something else: one scrubbed line of evidence. */
  readonly error?: string;
}

/**
 * One basic or guardrail cell as a fact: what an account probed itself after its facts moved, and
 * (with `since`) the base of a region fact cell.
 */
export interface AccountProbe {
  readonly model: string;
  readonly endpoint: Endpoint;
  readonly api: Api;
  readonly variant: Variant;
  readonly status: Status;
  /** The classifier's reason (evidence message), scrubbed. */
  readonly reason: string;
}

/** Everything an account knows about itself in one region, as of `at`. */
export interface AccountFacts {
  readonly account: string;
  readonly region: string;
  /** When the facts were read (ISO). */
  readonly at: string;
  /** Per model key; a model the region's catalog stopped listing is absent. */
  readonly availability: Readonly<Record<string, ModelAvailability>>;
  /** ListEnforcedGuardrailsConfiguration; null when that call failed. */
  readonly enforced: readonly EnforcedGuardrail[] | null;
  /** The account's own probes, per model key (only models whose facts moved were probed). */
  readonly probes: Readonly<Record<string, readonly AccountProbe[]>>;
}

/** One confirmed cell of a region fact (from the probe account's confirmed matrix). */
export interface RegionFactCell extends AccountProbe {
  /** When the cell entered `status` (ISO). */
  readonly since: string;
}

/** What a region serves, model by model: the probe account's confirmed cells. */
export interface RegionFacts {
  readonly region: string;
  /** The probe account that measured them. */
  readonly account: string;
  readonly at: string;
  /** Per model key: its confirmed basic and guardrail cells. */
  readonly models: Readonly<Record<string, readonly RegionFactCell[]>>;
}

/**
 * What an account meets when it uses a model through one api, or the model as a whole, most
 * usable first: `usable` (the region serves it and the account may call it), `no-access` (no
 * model access or agreement), `denied` (an SCP or IAM explicit deny), `not-offered` (the region
 * does not serve it through that api), `broken` (the account's own probe fails where the region's
 * works), `unknown` (no fact yet, or an answer not understood: never a guess).
 */
export const ORG_ACCESS = ['usable', 'no-access', 'denied', 'not-offered', 'broken', 'unknown'] as const;
export type OrgAccess = (typeof ORG_ACCESS)[number];

/** Which fact decided a cell. */
export const FACT_KINDS = ['region', 'account', 'probe'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** One api of one model for one account in one region. */
export interface OrgApiCell {
  readonly endpoint: Endpoint;
  readonly api: Api;
  readonly access: OrgAccess;
  readonly reason: string;
  readonly fact: FactKind;
  /**
   * Whether a guardrail stops a request on this api (`enforced`, `ignored`, ...): the account's own
   * guardrail probe, else the region fact's guardrail cell; absent while neither measured it.
   */
  readonly guardrail?: Status;
}

/** The organization table's item: model x region x account (lambda/adapters/store/org-keys.ts). */
export interface OrgCell {
  readonly model: string;
  readonly region: string;
  readonly account: string;
  /** The model as a whole: the most usable of its apis. */
  readonly access: OrgAccess;
  readonly reason: string;
  readonly fact: FactKind;
  readonly apis: readonly OrgApiCell[];
  /** Enforced guardrails that apply to this model in this account, `id:version` each. */
  readonly enforced: readonly string[];
  /** When this cell was first stored (ISO). */
  readonly firstSeen: string;
  /** When `access` or an api's access last moved (ISO). */
  readonly lastChanged: string;
  /** The newest fact that confirmed it (ISO). */
  readonly lastVerified: string;
  /** Where the deciding evidence is: `event:<member event id>` or `run:<account>/<region>/<runId>`. */
  readonly evidence: string;
}

/** One account-region the home hears from. */
export interface MemberRecord {
  readonly account: string;
  readonly region: string;
  /** `probe`: measures the region's facts too; `member`: account facts only. */
  readonly role: 'probe' | 'member';
  /** The newest event received from it (ISO, the member's own clock). */
  readonly lastEvent: string;
  /** That event's id. */
  readonly lastEventId: string;
}

/** An AWS account id: twelve digits (what a view's `account` param must be). */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** An account as Organizations names it (read at home). */
export interface OrgAccount {
  readonly id: string;
  readonly name: string;
  /** The OU the account sits in (its id and name), when read. */
  readonly ou: { readonly id: string; readonly name: string } | null;
}

/** A moved org cell (model as a whole), before it is grouped into one alert. */
export interface OrgChange {
  readonly model: string;
  readonly region: string;
  readonly account: string;
  readonly from: OrgAccess | null;
  readonly to: OrgAccess;
  readonly reason: string;
  readonly at: string;
  /** The api cells that moved (`endpoint/api: from -> to`), for the alert's detail. */
  readonly apis: readonly string[];
}

/** model x region, with per cell how many accounts can use the model and why the others cannot. */
export interface OrgMatrixView {
  readonly regions: readonly string[];
  readonly accounts: readonly OrgAccount[];
  readonly rows: readonly OrgMatrixRow[];
  /** Members whose last event is older than the stale threshold. */
  readonly staleMembers: readonly MemberRecord[];
}

export interface OrgMatrixRow {
  readonly model: string;
  /** Per region (same order as `regions`); null = no account reported the model there. */
  readonly cells: readonly (OrgRegionCount | null)[];
}

export interface OrgRegionCount {
  readonly usable: number;
  readonly total: number;
  /** Why the others cannot, counted: `{ 'no-access': 2, denied: 1 }`. */
  readonly others: Readonly<Partial<Record<OrgAccess, number>>>;
}

/** One model: per region, per account, per api (the "who can use model X where" answer). */
export interface OrgModelView {
  readonly model: string;
  readonly regions: readonly string[];
  readonly accounts: readonly OrgAccount[];
  /** The model's cells, one per region x account that reported it. */
  readonly cells: readonly OrgCell[];
}

/** One member (account x region): its own matrix, every model it reported there. */
export interface OrgMemberView {
  /** The account as Organizations names it; its id stands for its name when it was not named. */
  readonly account: OrgAccount;
  readonly region: string;
  /** What the home last heard from it; null when it never did. */
  readonly member: MemberRecord | null;
  /** Its cells, one per model, sorted by model key. */
  readonly cells: readonly OrgCell[];
}
