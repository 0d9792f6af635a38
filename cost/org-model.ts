/**
 * The organization's cost model (docs/organization.md): a member (one account in one region, an
 * instance of the StackSet's member template), the probe member of a region (a member that also
 * measures the region's facts with today's prober), the organization's home, and the month of N
 * accounts x R regions. Pure, like cost/model.ts: shapes, a measured run, prices and the
 * assumptions (cost/assumptions.ts) in, itemised dollars a month out.
 *
 * Who pays an event: the member puts it on its own default bus (a custom event) and its rule
 * sends it to the home's bus (a cross-account event); both are billed to the member, and the
 * home's bus receives it without a charge of its own (cost/prices.ts eventBridgeCrossAccountEvents).
 */

import { DEFAULTS, ENV } from '../lambda/shared/names';
import { ACCOUNT_KIND, HEARTBEAT_MINUTES, ORG_ENV, SNAPSHOT_HOURS } from '../lambda/shared/org-names';
import { runsPerDay } from '../lib/config';
import { PROBES_REGION_FACTS } from '../lib/org/member-stack';
import { type CostAssumptions, DEFAULT_ASSUMPTIONS } from './assumptions';
import { Bill, DAYS_A_MONTH, GB, KB, lambdaUsd, logsUsd, n, type StackCost } from './bill';
import type { RunMeasurement } from './measurement';
import { type Common, fallbackPrice, priceRegion } from './model';
import {
  MODEL_PRICES,
  type ModelPrice,
  ORG_PRICES,
  type OrgPriceTable,
  PRICES,
  type PriceTable,
} from './prices';
import { type FunctionShape, type StackShape, withCondition } from './template';

/** How often a member sends when nothing changed (lambda/shared/org-names.ts). */
export interface MemberCadence {
  readonly heartbeatMinutes: number;
  readonly snapshotHours: number;
}

export const MEMBER_CADENCE: MemberCadence = {
  heartbeatMinutes: HEARTBEAT_MINUTES,
  snapshotHours: SNAPSHOT_HOURS,
};

export interface MemberPriceInputs extends Common {
  /** The member template's shape (cost/template.ts `readStackShape`), conditions unresolved. */
  readonly shape: StackShape;
  /** The measured run: a targeted probe's tokens are its mean call's; a probe member's sweep is it. */
  readonly run: RunMeasurement;
  /** @default MODEL_PRICES */
  readonly models?: Readonly<Record<string, ModelPrice>>;
  /** @default MEMBER_CADENCE */
  readonly cadence?: MemberCadence;
  /** @default ORG_PRICES */
  readonly orgPrices?: OrgPriceTable;
}

/** What a member sends home a month, by kind of event. */
export interface MemberEvents {
  readonly heartbeats: number;
  readonly snapshots: number;
  readonly changes: number;
}

const isMember = (fn: FunctionShape) => fn.environment[ORG_ENV.member] === '1';

/** Account ticks a member function starts a day (its schedules sending kind `account`). */
const accountTicksPerDay = (fn: FunctionShape): number =>
  fn.schedules.filter((s) => s.kind === ACCOUNT_KIND).reduce((d, s) => d + runsPerDay(s.expression), 0);

/** EventBridge bills each 64 KB chunk of an entry as one event. */
const chunks = (bytes: number): number => Math.ceil(bytes / (64 * KB));

/**
 * Events a member sends a month: a heartbeat every `heartbeatMinutes` and a snapshot every
 * `snapshotHours` (never more often than it ticks), and its account changes. Without account
 * ticks it sends nothing: the tick is what sends.
 */
export function memberEventsMonth(
  ticksPerDay: number,
  a: CostAssumptions,
  cadence: MemberCadence = MEMBER_CADENCE,
): MemberEvents {
  if (ticksPerDay === 0) return { heartbeats: 0, snapshots: 0, changes: 0 };
  return {
    heartbeats: Math.min(ticksPerDay, (24 * 60) / cadence.heartbeatMinutes) * DAYS_A_MONTH,
    snapshots: Math.min(ticksPerDay, 24 / cadence.snapshotHours) * DAYS_A_MONTH,
    changes: a.accountChangesPerMonth,
  };
}

/** The member's account ticks a day (every member function of the shape). */
export const memberTicksPerDay = (shape: StackShape): number =>
  shape.functions.filter(isMember).reduce((d, fn) => d + accountTicksPerDay(fn), 0);

/** Dollars of one Bedrock call of the measured run on average, tokens and guardrail text units. */
function meanCallUsd(inputs: MemberPriceInputs, p: PriceTable, paidPolicies: number) {
  const { run } = inputs;
  const models = inputs.models ?? MODEL_PRICES;
  const fallbackPriced: string[] = [];
  let usd = 0;
  for (const [model, t] of Object.entries(run.tokens)) {
    const price = models[model] ?? fallbackPrice(model, models);
    if (!models[model]) fallbackPriced.push(model);
    usd += (t.input * price.input + t.output * price.output) / 1e6;
  }
  usd += (run.guardrailTextUnits / 1000) * p.guardrailContentTextUnits.usd * paidPolicies;
  return { usd: run.calls > 0 ? usd / run.calls : 0, fallbackPriced };
}

/** The member items of `bill`: account ticks, the events they send, the member table, targeted probes. */
function memberItems(bill: Bill, inputs: MemberPriceInputs, p: PriceTable, a: CostAssumptions): string[] {
  const fallback: string[] = [];
  for (const fn of inputs.shape.functions.filter(isMember)) {
    const perDay = accountTicksPerDay(fn);
    const ticks = perDay * DAYS_A_MONTH;
    bill.add(
      'accountLambda',
      'Lambda compute and requests (account ticks)',
      `${n(ticks)} ticks x ${a.accountTickSeconds} s x ${fn.memoryMb} MB`,
      lambdaUsd(fn, ticks, a.accountTickSeconds, p),
    );
    const logs = logsUsd(fn, a.accountTickLogBytes * perDay, p);
    bill.add(
      'accountLogs',
      `CloudWatch Logs, account ticks (kept ${fn.logRetentionDays ?? 'forever'} days)`,
      `${n(logs.inGb * 1000, 1)} MB in, ${n(logs.keptGb * 1000, 1)} MB kept`,
      logs.usd,
    );
    bill.add(
      'accountScheduler',
      'EventBridge Scheduler invocations (account ticks; 14 million a month free, not subtracted)',
      n(ticks),
      (ticks / 1e6) * p.schedulerInvocations.usd,
    );
    const cadence = inputs.cadence ?? MEMBER_CADENCE;
    const ev = memberEventsMonth(perDay, a, cadence);
    const sent = ev.heartbeats + ev.snapshots + ev.changes;
    const billed =
      ev.heartbeats * chunks(a.heartbeatEventBytes) +
      (ev.snapshots + ev.changes) * chunks(a.accountFactsEventBytes);
    bill.add(
      'memberEvents',
      `EventBridge events home (heartbeat ${cadence.heartbeatMinutes} min, snapshot ${cadence.snapshotHours} h, changes), put and delivered`,
      `${n(billed)} put + ${n(billed)} cross-account`,
      (billed / 1e6) *
        (p.eventBridgeEvents.usd + (inputs.orgPrices ?? ORG_PRICES).eventBridgeCrossAccountEvents.usd),
    );
    const bytes =
      ev.heartbeats * a.heartbeatEventBytes + (ev.snapshots + ev.changes) * a.accountFactsEventBytes;
    bill.add(
      'memberTransfer',
      'Data transfer of the events to the home region',
      `${n(bytes / 1e6, 1)} MB`,
      (bytes / GB) * p.interRegionTransferGb.usd,
    );
    const reads = ticks * a.accountTickReadUnits;
    const writes = sent * a.memberEventWriteUnits;
    bill.add(
      'memberDynamodb',
      'DynamoDB reads and writes in the member table (a read a tick, a write an event)',
      `${n(reads)} RRU, ${n(writes)} WRU`,
      (reads / 1e6) * p.dynamoReadUnits.usd + (writes / 1e6) * p.dynamoWriteUnits.usd,
    );
    // The member table holds what the ticks sent: nothing without them.
    const stored = sent > 0 ? a.memberStateBytes : 0;
    bill.add(
      'memberStorage',
      'DynamoDB storage in the member table (the facts last sent)',
      `${n(stored / 1e6, 2)} MB`,
      (stored / GB) * p.dynamoStorageGbMonth.usd,
    );
    const probes = ev.changes * a.probesPerAccountChange;
    const concurrency = Number(fn.environment[ENV.concurrency] ?? DEFAULTS.concurrency);
    const seconds = Math.ceil(a.probesPerAccountChange / concurrency) * a.callSeconds;
    bill.add(
      'accountProbeLambda',
      'Lambda compute and requests (targeted probes of an account change)',
      `${n(ev.changes)} changes x ${seconds} s x ${fn.memoryMb} MB`,
      lambdaUsd(fn, ev.changes, seconds, p),
    );
    const call = meanCallUsd(inputs, p, inputs.shape.paidGuardrailPolicies.length);
    fallback.push(...call.fallbackPriced);
    bill.add(
      'accountProbeTokens',
      "Bedrock tokens and guardrail text units of the targeted probes (the measured run's mean call)",
      `${n(probes)} calls`,
      probes * call.usd,
      true,
    );
  }
  return fallback;
}

/** Dollars a month of an ordinary member: the member template where PROBES_REGION_FACTS is false. */
export function priceMember(inputs: MemberPriceInputs): StackCost {
  const p = inputs.prices ?? PRICES;
  const a = inputs.assumptions ?? DEFAULT_ASSUMPTIONS;
  const bill = new Bill();
  const shape = withCondition(inputs.shape, PROBES_REGION_FACTS, false);
  const fallback = memberItems(bill, { ...inputs, shape }, p, a);
  return bill.cost([...new Set(fallback)].sort());
}

/**
 * Dollars a month of a region's probe member: the member's items, today's prober (the sweep and
 * the sentinel, priced as priceRegion prices a region, storing in the member's own table in its
 * own region) and the Region Facts events it sends home.
 */
export function priceProbeMember(inputs: MemberPriceInputs): StackCost {
  const p = inputs.prices ?? PRICES;
  const a = inputs.assumptions ?? DEFAULT_ASSUMPTIONS;
  const shape = withCondition(inputs.shape, PROBES_REGION_FACTS, true);
  const bill = new Bill();
  const fallback = memberItems(bill, { ...inputs, shape }, p, a);
  const region = priceRegion({
    ...inputs,
    shape,
    home: shape,
    atHome: true,
    tableWhere: 'in the member table',
  });
  for (const item of region.items) bill.add(item.key, item.label, item.quantity, item.usd, item.inference);
  const measuresRegion = shape.functions.some(
    (fn) => isMember(fn) && fn.schedules.some((s) => s.kind === 'sweep' || s.kind === 'sentinel'),
  );
  if (measuresRegion) {
    const cadence = inputs.cadence ?? MEMBER_CADENCE;
    const events = regionFactsEventsMonth(a, cadence);
    bill.add(
      'regionFactsEvents',
      `EventBridge Region Facts events home (snapshot ${cadence.snapshotHours} h, changes), put and delivered`,
      `${n(events)} put + ${n(events)} cross-account`,
      (events / 1e6) *
        (p.eventBridgeEvents.usd + (inputs.orgPrices ?? ORG_PRICES).eventBridgeCrossAccountEvents.usd),
    );
  }
  return bill.cost([...new Set([...fallback, ...region.fallbackPriced])].sort(), region.staleSettings);
}

/** Billed Region Facts events a probe member sends a month (snapshots in 64 KB chunks, changes). */
export const regionFactsEventsMonth = (a: CostAssumptions, cadence: MemberCadence = MEMBER_CADENCE): number =>
  (24 / cadence.snapshotHours) * DAYS_A_MONTH * chunks(a.regionFactsEventBytes) + a.changesPerRegionMonth;
