/**
 * Names of an organization deployment (docs/organization.md), shared by the CDK app (lib/org/)
 * and the functions (lambda/member/, lambda/home/): the bus, the member table, the code buckets,
 * the events a member sends and the variables a member or an organization home reads. Plain data,
 * no runtime dependency: bundled into the Lambda and read at synth time.
 */
import type { RunKind } from './names';

/** The organization home's event bus; its policy accepts PutEvents from the organization only. */
export const ORG_BUS_NAME = 'bedrock-matrix-org';

/**
 * A member's own small table (in each member account and region): what it last sent home, so a
 * change that could not be sent is found again on the next tick. Fixed, like the home table.
 */
export const MEMBER_TABLE_NAME = 'bedrock-matrix-member';

/** The service-managed StackSet that puts the member stack in every target account and region. */
export const MEMBER_STACK_SET_NAME = 'bedrock-matrix-members';

/** The home's stack of one region's code bucket (the member function's code lives there). */
export const codeStackNameFor = (region: string): string => `BedrockMatrix-Code-${region}`;

/**
 * The bucket in `region` (owned by the home account) holding the member function's code. Lambda
 * reads a function's code only from a bucket in the function's own region, so there is one per
 * target region; its policy lets the organization read it.
 */
export const codeBucketName = (homeAccount: string, region: string): string =>
  `bedrock-matrix-code-${homeAccount}-${region}`;

/** The `source` of every event a member puts on its default bus (its rule forwards them home). */
export const MEMBER_EVENT_SOURCE = 'bedrock-matrix.member';

/** The `detail-type` of each member event (lambda/core/org/events.ts builds them). */
export const MEMBER_DETAIL_TYPES = {
  heartbeat: 'Member Heartbeat',
  accountFacts: 'Account Facts',
  regionFacts: 'Region Facts',
} as const;

/**
 * Member events one home invocation takes from the home's inbox queue at most (the org bus puts
 * every member event there; lib/org/org-home.ts).
 */
export const INBOX_BATCH = 10;

/** EventBridge's largest entry (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html). */
export const MAX_EVENT_BYTES = 256 * 1024;

/** PutEvents takes at most 10 entries (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html). */
export const MAX_EVENTS_PER_PUT = 10;

/**
 * Minutes between two account-facts ticks of a member (its schedule): the free catalog and
 * availability calls, and a few probes only when they moved.
 */
export const ACCOUNT_TICK_MINUTES = 5;

/**
 * A member with nothing to say still says so this often (a heartbeat event), so the home can tell
 * a quiet member from a stopped one. Any event a member sends counts as a heartbeat too.
 */
export const HEARTBEAT_MINUTES = 30;

/** Hours between two full snapshots a member sends, so the home heals from anything it missed. */
export const SNAPSHOT_HOURS = 24;

/** A member whose last event is older than this is stale (two missed heartbeats plus a tick). */
export const memberStaleAfterMinutes = (): number => 2 * HEARTBEAT_MINUTES + ACCOUNT_TICK_MINUTES;

/** Variables of an organization deployment (the single-account ones are ENV in names.ts). */
export const ORG_ENV = {
  /**
   * Member function: `1` makes the prober a member: runs send their changes home as events
   * instead of leaving them for a home stream, and the `account` kind is allowed.
   */
  member: 'BEDROCK_MATRIX_MEMBER',
  /** Member function: the account that measures region facts in this region (`probe` role). */
  probeAccount: 'BEDROCK_MATRIX_PROBE_ACCOUNT',
  /** Member function: `1` when this account runs the full matrix although it is not the probe account. */
  fullMatrix: 'BEDROCK_MATRIX_FULL_MATRIX',
  /** Home function: `region=account` comma list, the probe account of each region. */
  probeAccounts: 'BEDROCK_MATRIX_PROBE_ACCOUNTS',
  /** Widget function: `1` in an organization's home, whose `org` views read the org items of the table. */
  orgView: 'BEDROCK_MATRIX_ORG_VIEW',
  /** Home function: comma list of the target OU ids (account names and OUs are read from Organizations). */
  organizationalUnits: 'BEDROCK_MATRIX_ORG_UNITS',
} as const;

/**
 * The organization home's own series (one, no dimension): members whose last event is older than
 * the stale threshold. Its alerted changes count into the home's ConfirmedChanges and
 * GuardrailChanges (HOME_METRICS), which the home's drift and guardrail alarms watch.
 */
export const ORG_METRICS = {
  staleMembers: 'StaleMembers',
} as const;

/** The event kind of the member schedule (ProberEvent.kind, one of RUN_KINDS): read account facts. */
export const ACCOUNT_KIND = 'account' satisfies RunKind;
