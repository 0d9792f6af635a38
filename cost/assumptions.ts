/**
 * What the cost model assumes (cost/model.ts, cost/org-model.ts): what the simulator cannot
 * measure and what the load depends on, each value with why it is what it is.
 */

/** What the simulator cannot measure, and what the home's load depends on. */
export interface CostAssumptions {
  /**
   * Seconds one Bedrock call takes for real: 1 s for small warm models to 3 s for frontier models
   * and cross-region profiles (docs/bench.md "Lambda sizing"); the simulator answers at once.
   */
  readonly callSeconds: number;
  /** Billed seconds of one home invocation (a watch tick: a Query per region, one PutMetricData). */
  readonly homeInvocationSeconds: number;
  /** Log bytes of one home invocation: Lambda's START, END and REPORT lines and one summary line. */
  readonly homeLogBytes: number;
  /** Confirmed changes a region makes a month, each one outbox item, one stream batch, one alert. */
  readonly changesPerRegionMonth: number;
  /** Times a month someone opens (or refreshes) the dashboard; each draws every custom widget once. */
  readonly dashboardViewsMonth: number;
  /** Billed seconds of one widget call. */
  readonly widgetSeconds: number;
  /** Read units a watch tick spends per region (its last run, its outbox). */
  readonly watchReadUnitsPerRegion: number;
  /**
   * Billed seconds of one sentinel tick that finds the catalogs unchanged: four catalog reads
   * (`ListFoundationModels`, `ListInferenceProfiles`, mantle `GET /v1/models`,
   * `ListEnforcedGuardrailsConfiguration`, at once) and two small DynamoDB items, at the
   * prober's memory. The targeted run a change starts is a few models' share of a sweep, rare.
   */
  readonly sentinelTickSeconds: number;
  /** Log bytes of one sentinel tick: Lambda's START, END and REPORT lines and one summary line. */
  readonly sentinelLogBytes: number;
  /** Read units of one sentinel tick at home: the last catalog mark and the region's lease or run. */
  readonly sentinelReadUnits: number;
  /** Write units of one sentinel tick at home: the heartbeat (the catalog mark only when it changed). */
  readonly sentinelWriteUnits: number;

  // An organization (cost/org-model.ts): a member is one account in one region.

  /**
   * Billed seconds of one account tick at the member's memory: `ListFoundationModels`, one
   * `GetFoundationModelAvailability` per model at 8 in flight (about 100 models in a large
   * region: 13 rounds of tens of milliseconds), `ListEnforcedGuardrailsConfiguration` and one
   * small DynamoDB read. The same second the sentinel's four catalog reads are given.
   */
  readonly accountTickSeconds: number;
  /** Log bytes of one account tick: Lambda's START, END and REPORT lines and one summary line, as a sentinel tick. */
  readonly accountTickLogBytes: number;
  /** Read units of one account tick in the member's own table: the state it last sent (one item under 4 KB). */
  readonly accountTickReadUnits: number;
  /** Write units of each event a member sends, in its own table: the mark of what it sent (one item under 1 KB). */
  readonly memberEventWriteUnits: number;
  /** Bytes a member keeps in its own table at rest: the facts it last sent and a few marks. */
  readonly memberStateBytes: number;
  /**
   * Account-facts changes a member sends a month, each one event and a few targeted probes:
   * access granted or removed, an agreement, an enforced guardrail, a model arriving in or
   * leaving the region's catalog (seen by every account of the region at once).
   */
  readonly accountChangesPerMonth: number;
  /**
   * Targeted probes after an account change: the basic cell of each api the region facts say
   * works (about three) and the guardrail cells (about three) of the moved model.
   */
  readonly probesPerAccountChange: number;
  /** Bytes of an Account Facts event: about 100 models' availability at ~150 bytes each and the enforced guardrails. */
  readonly accountFactsEventBytes: number;
  /** Bytes of a Member Heartbeat event (the envelope, the account, region and time). */
  readonly heartbeatEventBytes: number;
  /**
   * Bytes of a Region Facts snapshot: the confirmed basic and guardrail cells of every model
   * (about 100 models x 10 cells x 150 bytes), sent in entries of at most 256 KB. A change event
   * carries only the moved models: one 64 KB chunk.
   */
  readonly regionFactsEventBytes: number;
  /** Billed seconds of the home function for a heartbeat: one conditional write of the member record. */
  readonly orgHeartbeatSeconds: number;
  /**
   * Billed seconds of the home function for a facts event: read the stored facts and cells,
   * combine them, write what moved (the same second as a watch tick).
   */
  readonly orgFactsSeconds: number;
  /** Models a region lists (`ListFoundationModels`), sizing facts and org cells: about 100 in a large region. */
  readonly modelsPerRegion: number;
  /** Bytes of one org cell (model x region x account: access, reason, apis, times, evidence pointer). */
  readonly orgCellBytes: number;
  /** Bytes of one member record at home (account, region, role, last event and its id). */
  readonly memberRecordBytes: number;
  /** Org items written per account change: the moved model's cell and its outbox item. */
  readonly orgWritesPerAccountChange: number;
  /** Bytes of the member function's code zip in each region's code bucket (the prober bundle). */
  readonly memberCodeBytes: number;
  /** Deploys of the organization a month: each updates every member function, one GET of its region's code each. */
  readonly deploysPerMonth: number;
  /**
   * Lambda's pollers of the home's inbox queue. At low traffic Lambda keeps five batches in
   * flight and "can optimize to as few as 2" (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html):
   * five, the upper bound of the receives they make.
   */
  readonly inboxPollers: number;
  /**
   * Seconds one of Lambda's long-polling receives waits on an empty queue: SQS's longest wait,
   * 20 s (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/best-practices-setting-up-long-polling.html).
   * Lambda long-polls a queue it reads even when nothing arrives, and every empty receive is a
   * billed request (https://aws.amazon.com/premiumsupport/knowledge-center/sqs-high-charges/): 3 a minute a poller.
   */
  readonly inboxLongPollSeconds: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  callSeconds: 2,
  homeInvocationSeconds: 1,
  homeLogBytes: 600,
  changesPerRegionMonth: 20,
  dashboardViewsMonth: 300,
  widgetSeconds: 1,
  watchReadUnitsPerRegion: 2,
  sentinelTickSeconds: 1,
  sentinelLogBytes: 650,
  sentinelReadUnits: 2,
  sentinelWriteUnits: 1,
  accountTickSeconds: 1,
  accountTickLogBytes: 650,
  accountTickReadUnits: 1,
  memberEventWriteUnits: 1,
  memberStateBytes: 50_000,
  accountChangesPerMonth: 4,
  probesPerAccountChange: 6,
  accountFactsEventBytes: 20_000,
  heartbeatEventBytes: 400,
  regionFactsEventBytes: 150_000,
  orgHeartbeatSeconds: 0.1,
  orgFactsSeconds: 1,
  modelsPerRegion: 100,
  orgCellBytes: 600,
  memberRecordBytes: 200,
  orgWritesPerAccountChange: 2,
  memberCodeBytes: 5_000_000,
  deploysPerMonth: 4,
  inboxPollers: 5,
  inboxLongPollSeconds: 20,
};
