/**
 * The organization home's month (cost/org-model.ts has the members): today's home (priceHome with
 * the organization's regions, no region runs on its stream: region facts arrive as events) plus
 * what the organization adds: a home invocation per member event, the org cells and facts it
 * stores, the stale-members watch, the org series and alarm, the org widget views, the code
 * buckets and the org bus.
 */

import { MAX_EVENT_BYTES, ORG_METRICS } from '../lambda/shared/org-names';
import { runsPerDay } from '../lib/config';
import { type CostAssumptions, DEFAULT_ASSUMPTIONS } from './assumptions';
import { Bill, DAYS_A_MONTH, GB, KB, lambdaUsd, logsUsd, n, type StackCost } from './bill';
import { type Common, isHome, isWidget, priceHome } from './model';
import { MEMBER_CADENCE, type MemberCadence, memberEventsMonth } from './org-model';
import { ORG_PRICES, type OrgPriceTable, PRICES } from './prices';
import type { QueueSourceShape, StackShape } from './template';

/** DynamoDB read units of reading `bytes` (4 KB a unit, strongly consistent: an upper bound). */
const readUnits = (bytes: number): number => Math.ceil(bytes / (4 * KB));
/** DynamoDB write units of writing `bytes` (1 KB a unit). */
const writeUnits = (bytes: number): number => Math.ceil(bytes / KB);
/** SQS bills each 64 KB chunk of a message as one request. */
const chunks = (bytes: number): number => Math.ceil(bytes / (64 * KB));

/**
 * Member events in one invocation from the inbox. Members tick on their own 5-minute phases (each
 * schedule starts when its stack instance was created), so events arrive spread evenly: a poller
 * gathers for the batching window what arrives in it, shared with the other pollers waiting at
 * the same time. At least one, at most the batch size: with 600 members, about 0.34 events a
 * second, 3.4 in a 10 s window over 5 pollers, so 1 (every event its own invocation: an upper bound).
 */
export function batchFill(eventsMonth: number, inbox: QueueSourceShape, a: CostAssumptions): number {
  const perSecond = eventsMonth / (DAYS_A_MONTH * 24 * 3600);
  return Math.min(inbox.batchSize, Math.max(1, (perSecond * inbox.batchingWindowSeconds) / a.inboxPollers));
}

export interface OrgHomePriceInputs extends Common {
  /** The organization home stack's shape. */
  readonly shape: StackShape;
  /** Target regions of the organization. */
  readonly regions: number;
  /** Accounts in the target OUs: a member in every target region each. */
  readonly accounts: number;
  /** Members that measure their region's facts too (probe accounts and full-matrix accounts, per region). */
  readonly probeMembers: number;
  /** Account ticks a member starts a day (cost/org-model.ts `memberTicksPerDay` of the member template). */
  readonly memberTicksPerDay: number;
  /** @default MEMBER_CADENCE */
  readonly cadence?: MemberCadence;
  /** @default ORG_PRICES */
  readonly orgPrices?: OrgPriceTable;
}

/** Dollars a month of the organization's home, itemised. */
export function priceOrgHome(inputs: OrgHomePriceInputs): StackCost {
  const { shape, regions, accounts, probeMembers } = inputs;
  const p = inputs.prices ?? PRICES;
  const o = inputs.orgPrices ?? ORG_PRICES;
  const a = inputs.assumptions ?? DEFAULT_ASSUMPTIONS;
  const bill = new Bill();
  const today = priceHome({ shape, regions, regionRunsMonth: 0, prices: p, assumptions: a });
  for (const i of today.items) bill.add(i.key, i.label, i.quantity, i.usd, i.inference);

  const members = accounts * regions;
  const cadence = inputs.cadence ?? MEMBER_CADENCE;
  const ev = memberEventsMonth(inputs.memberTicksPerDay, a, cadence);
  const heartbeats = members * ev.heartbeats;
  const accountChanges = members * ev.changes;
  const accountFacts = members * ev.snapshots + accountChanges;
  const regionChanges = probeMembers * a.changesPerRegionMonth;
  // A snapshot larger than an entry goes in parts (lambda/core/org/events.ts splits it).
  const regionParts = Math.ceil(a.regionFactsEventBytes / MAX_EVENT_BYTES);
  const regionSnapshots = probeMembers * (24 / cadence.snapshotHours) * DAYS_A_MONTH * regionParts;
  const regionFacts = regionSnapshots + regionChanges;
  const received = heartbeats + accountFacts + regionFacts;
  const cellsOfAccount = a.modelsPerRegion * a.orgCellBytes;
  // Each event is one inbox message, billed per 64 KB chunk; a change carries only the moved models: one chunk.
  const messageChunks =
    heartbeats * chunks(a.heartbeatEventBytes) +
    accountFacts * chunks(a.accountFactsEventBytes) +
    regionSnapshots * chunks(a.regionFactsEventBytes / regionParts) +
    regionChanges;

  bill.add(
    'orgBus',
    'EventBridge org bus: member events received (the sender pays)',
    `${n(received)} events`,
    0,
  );
  for (const fn of shape.functions.filter(isHome)) {
    const facts = accountFacts + regionFacts;
    const inbox = fn.queueSources[0];
    const fill = inbox ? batchFill(received, inbox, a) : 1;
    const batches = received / fill;
    const seconds = heartbeats * a.orgHeartbeatSeconds + facts * a.orgFactsSeconds;
    bill.add(
      'orgLambda',
      inbox
        ? `Lambda compute and requests (home: member events from the inbox, ${n(fill, 1)} a batch of up to ${inbox.batchSize})`
        : 'Lambda compute and requests (home: one invocation per member event)',
      `${n(heartbeats)} x ${a.orgHeartbeatSeconds} s + ${n(facts)} x ${a.orgFactsSeconds} s in ${n(batches)} calls, ${fn.memoryMb} MB`,
      lambdaUsd(fn, batches, seconds / batches, p),
    );
    if (inbox) {
      // Lambda's pollers long-poll whether or not anything arrives; a message ends a wait early.
      const idle = a.inboxPollers * (60 / a.inboxLongPollSeconds) * 60 * 24 * DAYS_A_MONTH;
      const receives = idle + messageChunks;
      const requests = messageChunks + receives + batches;
      bill.add(
        'orgInbox',
        `SQS inbox requests: sends, receives (${a.inboxPollers} pollers, ${n(a.inboxPollers * (60 / a.inboxLongPollSeconds))} a minute when empty), deletes`,
        `${n(messageChunks)} + ${n(receives)} + ${n(batches)}`,
        (requests / 1e6) * o.sqsRequests.usd,
      );
    }
    const logs = logsUsd(fn, (batches * a.homeLogBytes) / DAYS_A_MONTH, p);
    bill.add(
      'orgLogs',
      `CloudWatch Logs, home function's member events (kept ${fn.logRetentionDays ?? 'forever'} days)`,
      `${n(logs.inGb * 1000, 1)} MB in, ${n(logs.keptGb * 1000, 1)} MB kept`,
      logs.usd,
    );
    const ticks = fn.schedules.reduce((sum, s) => sum + runsPerDay(s.expression), 0) * DAYS_A_MONTH;
    const watch = ticks * readUnits(members * a.memberRecordBytes);
    bill.add(
      'staleWatchReads',
      'DynamoDB reads of the watch (every member record, every tick)',
      `${n(watch)} RRU`,
      (watch / 1e6) * p.dynamoReadUnits.usd,
    );
  }
  // Every event writes its member record; stored facts and cells are written only when they moved.
  const writes =
    received +
    accountChanges *
      (writeUnits(a.accountFactsEventBytes) + a.orgWritesPerAccountChange * writeUnits(a.orgCellBytes)) +
    regionChanges *
      (writeUnits(a.regionFactsEventBytes / a.modelsPerRegion) + accounts * a.orgWritesPerAccountChange);
  // Every facts event reads what is stored; a change also reads what it is combined with.
  const reads =
    accountFacts * readUnits(a.accountFactsEventBytes) +
    regionFacts * readUnits(a.regionFactsEventBytes) +
    accountChanges * (readUnits(a.regionFactsEventBytes) + readUnits(cellsOfAccount)) +
    regionChanges * (accounts * readUnits(a.accountFactsEventBytes) + readUnits(accounts * cellsOfAccount));
  bill.add(
    'orgDynamodb',
    'DynamoDB writes and reads of member events (member record; facts and cells only when moved)',
    `${n(writes)} WRU, ${n(reads)} RRU`,
    (writes / 1e6) * p.dynamoWriteUnits.usd + (reads / 1e6) * p.dynamoReadUnits.usd,
  );
  const storedGb =
    (members * (cellsOfAccount + a.accountFactsEventBytes + a.memberRecordBytes) +
      regions * a.regionFactsEventBytes) /
    GB;
  const pitr = shape.tables.some((t) => t.pointInTimeRecovery);
  bill.add(
    'orgStorage',
    `DynamoDB storage of org cells, facts and member records${pitr ? ', point-in-time recovery' : ''}`,
    `${n(storedGb, 3)} GB`,
    storedGb * (p.dynamoStorageGbMonth.usd + (pitr ? p.dynamoPitrGbMonth.usd : 0)),
  );
  const series = Object.keys(ORG_METRICS).length;
  bill.add(
    'orgMetrics',
    `CloudWatch custom metric series (${Object.values(ORG_METRICS).join(', ')}, no dimensions)`,
    `${series} series`,
    series * p.metricSeriesMonth.usd,
  );
  const alerts = regions * a.changesPerRegionMonth;
  bill.add(
    'orgPutMetricData',
    `CloudWatch PutMetricData requests (ConfirmedChanges with each org alert; ${ORG_METRICS.staleMembers} rides on the watch's)`,
    n(alerts),
    (alerts / 1000) * p.putMetricDataRequests.usd,
  );
  if (!shape.alarmedMetrics.includes(ORG_METRICS.staleMembers))
    bill.add(
      'orgAlarm',
      `CloudWatch alarm on ${ORG_METRICS.staleMembers} (not in this home template: priced from the design)`,
      '1 alarm metric',
      p.alarmMetricMonth.usd,
    );
  for (const fn of shape.functions.filter(isWidget)) {
    // The org matrix reads every org cell; one model's view reads that model's cells.
    const calls = a.dashboardViewsMonth * 2;
    const viewReads =
      a.dashboardViewsMonth * (readUnits(members * cellsOfAccount) + readUnits(members * a.orgCellBytes));
    bill.add(
      'orgWidget',
      'Org widget views (model x region, one model): Lambda and DynamoDB reads',
      `${n(calls)} calls x ${a.widgetSeconds} s x ${fn.memoryMb} MB, ${n(viewReads)} RRU`,
      lambdaUsd(fn, calls, a.widgetSeconds, p) + (viewReads / 1e6) * p.dynamoReadUnits.usd,
    );
  }
  const codeGb = (regions * a.memberCodeBytes) / GB;
  const gets = a.deploysPerMonth * members;
  bill.add(
    'codeBuckets',
    'S3 code buckets, one per region: the member code zip, GETs only at deploy',
    `${n(codeGb * 1000, 0)} MB, ${n(gets)} GETs`,
    codeGb * o.s3StorageGbMonth.usd + (gets / 1000) * o.s3GetRequests.usd,
  );
  return bill.cost();
}
