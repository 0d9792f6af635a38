/**
 * What a member needs from outside: its own small state (in the member table), the account-facts
 * calls of the control plane, and the bus. The adapters are lambda/adapters/member-*.ts; tests pass
 * the simulator's answers through the real SDK and an in-memory or DynamoDB Local table.
 */
import type { EnforcedGuardrail, Scope } from '../core/model';
import type { MemberEvent } from '../core/org/events';
import type { AccountFacts } from '../core/org/types';

/** What the member last had accepted by the bus, and when it last sent what. */
export interface MemberState {
  /** The account facts the bus accepted (the home has them); null before the first. */
  readonly sent: AccountFacts | null;
  /** ISO times of the last accepted event, account snapshot and region snapshot; null = never. */
  readonly lastEvent: string | null;
  readonly lastSnapshot: string | null;
  readonly lastRegionSnapshot: string | null;
}

export interface MemberStateStore {
  loadMemberState(scope: Scope): Promise<MemberState>;
  /** The facts the bus accepted (a few tens of KB; written only when they moved). */
  saveSentFacts(scope: Scope, facts: AccountFacts): Promise<void>;
  /** The times (one small item, written with every accepted send). */
  saveSendTimes(scope: Scope, times: Omit<MemberState, 'sent'>): Promise<void>;
}

/** PutEvents' answer, per entry: the ids of the events the bus accepted, and why the others failed. */
export interface SendResult {
  readonly accepted: readonly string[];
  readonly failures: readonly string[];
}

export interface MemberDeps {
  /** `probe`: this account measures the region's facts too (sweep and sentinel run here). */
  readonly role: 'probe' | 'member';
  readonly state: MemberStateStore;
  /** GetFoundationModelAvailability of one model ID: the raw answer (throws on failure). */
  readonly availability: (modelId: string, signal: AbortSignal) => Promise<unknown>;
  /** ListEnforcedGuardrailsConfiguration. */
  readonly enforcedGuardrails: () => Promise<readonly Omit<EnforcedGuardrail, 'region'>[]>;
  /** PutEvents on the member's default bus (its rule forwards them home). */
  readonly send: (events: readonly MemberEvent[]) => Promise<SendResult>;
}
