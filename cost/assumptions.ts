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
};
