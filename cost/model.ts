/**
 * The cost model: each stack's shape (cost/template.ts, counted from its synthesized template), a
 * measured run (cost/measurement.ts) and a price table (cost/prices.ts) in, itemised dollars a
 * month out. Pure: no I/O, no clock. A region is priced from its prober's two schedules: the full
 * sweep with the measured run (what it writes lands in the home table, so its storage is the
 * region's), and the sentinel's ticks with the assumptions below; the home from its fixed
 * resources, its watch schedule and the assumptions below.
 */

import { DEFAULTS, ENV, HOME_METRICS, type RunKind } from '../lambda/shared/names';
import { PROBER_ENV_SETTINGS, runsPerDay, scheduleGap } from '../lib/config';
import { type CostAssumptions, DEFAULT_ASSUMPTIONS } from './assumptions';
import {
  Bill,
  DAYS_A_MONTH,
  fixedItems,
  GB,
  HOURS_A_MONTH,
  KB,
  lambdaUsd,
  logsUsd,
  n,
  type StackCost,
} from './bill';
import type { RunMeasurement } from './measurement';
import { MODEL_PRICES, type ModelPrice, PRICES, type PriceTable } from './prices';
import type { FunctionShape, ScheduleShape, StackShape } from './template';

export { type CostAssumptions, DEFAULT_ASSUMPTIONS } from './assumptions';
export { type CostItem, dollars, HOURS_A_MONTH, type StackCost } from './bill';

export interface Common {
  /** @default PRICES */
  readonly prices?: PriceTable;
  /** @default DEFAULT_ASSUMPTIONS */
  readonly assumptions?: CostAssumptions;
}

export interface RegionPriceInputs extends Common {
  readonly shape: StackShape;
  readonly run: RunMeasurement;
  /** The home stack's shape: the region's items are stored in its table. */
  readonly home: StackShape;
  /** Whether the region is the home region (no inter-region transfer). */
  readonly atHome: boolean;
  /**
   * Where the prober's table is, for the labels (a member prober writes to its own table).
   * @default 'at home'
   */
  readonly tableWhere?: string;
  /** @default MODEL_PRICES */
  readonly models?: Readonly<Record<string, ModelPrice>>;
}

export interface HomePriceInputs extends Common {
  readonly shape: StackShape;
  /** How many regions the home watches. */
  readonly regions: number;
  /** Runs all region stacks start a month: each finished run is one stream invocation of the home. */
  readonly regionRunsMonth: number;
}

/** A prober's sentinel schedule, told from its sweep by the `kind` its ticks send. */
const isSentinel = (s: ScheduleShape): boolean => s.kind === ('sentinel' satisfies RunKind);
/**
 * A prober's full-sweep schedule: `kind` sweep, or no kind at all. A member's account schedule
 * (kind `account`) is neither a sweep nor a sentinel: cost/org-model.ts prices its ticks.
 */
const isSweep = (s: ScheduleShape): boolean => s.kind === undefined || s.kind === ('sweep' satisfies RunKind);

/** Runs (full sweeps) one prober starts a day; a schedule without a kind is a sweep. */
const sweepsPerDay = (fn: FunctionShape): number =>
  fn.schedules.filter(isSweep).reduce((d, s) => d + runsPerDay(s.expression), 0);

/** Sentinel ticks one prober starts a day. */
const sentinelTicksPerDay = (fn: FunctionShape): number =>
  fn.schedules.filter(isSentinel).reduce((d, s) => d + runsPerDay(s.expression, 'sentinelSchedule'), 0);

/**
 * Full sweeps a stack's probers start a month: each finishes a run the home is woken for. A
 * sentinel tick that finds the catalogs unchanged finishes no run (a targeted run is rare).
 */
export const proberRunsMonth = (shape: StackShape): number =>
  shape.functions.filter(isProber).reduce((sum, fn) => sum + sweepsPerDay(fn) * DAYS_A_MONTH, 0);

const isProber = (fn: FunctionShape) => fn.environment[ENV.guardrailId] !== undefined;
export const isHome = (fn: FunctionShape) => fn.environment[ENV.staleAfterMinutes] !== undefined;
export const isWidget = (fn: FunctionShape) =>
  !isProber(fn) && !isHome(fn) && fn.environment[ENV.regions] !== undefined;

/** The prober settings a measurement depends on: the variables of the settings spec, nothing else. */
const SETTING_VARIABLES: ReadonlySet<string> = new Set(PROBER_ENV_SETTINGS.map((k) => ENV[k]));

/** Settings where the template and the measured run differ. */
export function staleSettings(fn: FunctionShape, run: RunMeasurement): string[] {
  const stale: string[] = [];
  for (const { expression } of fn.schedules.filter(isSweep)) {
    const minutes = scheduleGap(expression);
    if (minutes !== run.periodMinutes)
      stale.push(
        `schedule: template ${expression} (${minutes} min), measured ${run.periodMinutes} min apart`,
      );
  }
  for (const [k, v] of Object.entries(run.settings)) {
    if (fn.environment[k] !== v) stale.push(`${k}: template ${fn.environment[k]}, measured ${v}`);
  }
  for (const [k, v] of Object.entries(fn.environment)) {
    if (SETTING_VARIABLES.has(k) && v !== null && run.settings[k] === undefined)
      stale.push(`${k}: template ${v}, not measured`);
  }
  return stale;
}

/** Dollars a month of one region stack, itemised: its prober's runs and what they store at home. */
export function priceRegion(inputs: RegionPriceInputs): StackCost {
  const { shape, run } = inputs;
  const p = inputs.prices ?? PRICES;
  const assumptions = inputs.assumptions ?? DEFAULT_ASSUMPTIONS;
  const where = inputs.tableWhere ?? 'at home';
  const bill = new Bill();
  fixedItems(bill, shape, p);
  const fallbackPriced = new Set<string>();
  const stale: string[] = [];

  for (const fn of shape.functions.filter(isProber)) {
    const perDay = sweepsPerDay(fn);
    const runs = perDay * DAYS_A_MONTH;
    stale.push(...staleSettings(fn, run));

    const concurrency = Number(fn.environment[ENV.concurrency] ?? DEFAULTS.concurrency);
    const seconds = Math.ceil(run.calls / concurrency) * assumptions.callSeconds;
    bill.add(
      'lambda',
      'Lambda compute and requests (prober, full sweep)',
      `${n(runs)} runs x ${seconds} s x ${fn.memoryMb} MB`,
      lambdaUsd(fn, runs, seconds, p),
    );
    const logs = logsUsd(fn, run.logBytes * perDay, p);
    bill.add(
      'logs',
      `CloudWatch Logs, full sweep (kept ${fn.logRetentionDays ?? 'forever'} days)`,
      `${n(logs.inGb * 1000, 3)} MB in, ${n(logs.keptGb * 1000, 3)} MB kept`,
      logs.usd,
    );
    bill.add(
      'scheduler',
      'EventBridge Scheduler invocations (full sweep)',
      n(runs),
      (runs / 1e6) * p.schedulerInvocations.usd,
    );
    bill.add(
      'dynamodb',
      `DynamoDB writes and reads ${where} (full sweep)`,
      `${n(run.writeUnits * runs)} WRU, ${n(run.readUnits * runs)} RRU`,
      ((run.writeUnits * runs) / 1e6) * p.dynamoWriteUnits.usd +
        ((run.readUnits * runs) / 1e6) * p.dynamoReadUnits.usd,
    );
    const ttlDays = Number(fn.environment[ENV.historyTtlDays] ?? DEFAULTS.historyTtlDays);
    const storedGb = (run.expiringBytes * perDay * ttlDays + run.lastingBytes) / GB;
    const pitr = inputs.home.tables.some((t) => t.pointInTimeRecovery);
    bill.add(
      'storage',
      `DynamoDB storage ${where}${pitr ? ', point-in-time recovery' : ''}`,
      `${n(storedGb, 3)} GB`,
      storedGb * (p.dynamoStorageGbMonth.usd + (pitr ? p.dynamoPitrGbMonth.usd : 0)),
    );
    const ticks = sentinelItems(bill, fn, assumptions, p, where);
    if (!inputs.atHome) {
      // Each write unit carries at most 1 KB and each read unit 4 KB: an upper bound of the bytes.
      const bytes = (writes: number, reads: number) => writes * KB + reads * 4 * KB;
      const transferGb =
        (bytes(run.writeUnits, run.readUnits) * runs +
          bytes(assumptions.sentinelWriteUnits, assumptions.sentinelReadUnits) * ticks) /
        GB;
      bill.add(
        'transfer',
        'Data transfer to and from the home region',
        `at most ${n(transferGb * 1000, 1)} MB`,
        transferGb * p.interRegionTransferGb.usd,
      );
    }

    const models = inputs.models ?? MODEL_PRICES;
    let tokensUsd = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    for (const [model, t] of Object.entries(run.tokens)) {
      const price = models[model] ?? fallbackPrice(model, models);
      if (!models[model]) fallbackPriced.add(model);
      tokensUsd += ((t.input * price.input + t.output * price.output) / 1e6) * runs;
      inputTokens += t.input * runs;
      outputTokens += t.output * runs;
    }
    bill.add(
      'tokens',
      'Bedrock tokens, each model at its own price',
      `${n(inputTokens)} in, ${n(outputTokens)} out`,
      tokensUsd,
      true,
    );
    const paid = shape.paidGuardrailPolicies.length;
    const textUnits = run.guardrailTextUnits * runs;
    bill.add(
      'guardrail',
      `Guardrail text units (${paid ? shape.paidGuardrailPolicies.join(', ') : 'free policies only'})`,
      `${n(textUnits)} text units x ${paid} paid ${paid === 1 ? 'policy' : 'policies'}`,
      (textUnits / 1000) * p.guardrailContentTextUnits.usd * paid,
      true,
    );
  }
  return bill.cost([...fallbackPriced].sort(), stale);
}

/**
 * The sentinel's share of a region (when the prober has a sentinel schedule): its ticks' Lambda
 * time and requests, logs, scheduler invocations and the heartbeat's reads and writes at home.
 * Returns the ticks a month (0 without a sentinel). The heartbeat and the catalog mark are
 * overwritten in place: their storage is a few hundred bytes, not priced.
 */
function sentinelItems(
  bill: Bill,
  fn: FunctionShape,
  a: CostAssumptions,
  p: PriceTable,
  where: string,
): number {
  const perDay = sentinelTicksPerDay(fn);
  if (perDay === 0) return 0;
  const ticks = perDay * DAYS_A_MONTH;
  bill.add(
    'sentinelLambda',
    'Lambda compute and requests (sentinel ticks)',
    `${n(ticks)} ticks x ${a.sentinelTickSeconds} s x ${fn.memoryMb} MB`,
    lambdaUsd(fn, ticks, a.sentinelTickSeconds, p),
  );
  const logs = logsUsd(fn, a.sentinelLogBytes * perDay, p);
  bill.add(
    'sentinelLogs',
    `CloudWatch Logs, sentinel (kept ${fn.logRetentionDays ?? 'forever'} days)`,
    `${n(logs.inGb * 1000, 1)} MB in, ${n(logs.keptGb * 1000, 1)} MB kept`,
    logs.usd,
  );
  bill.add(
    'sentinelScheduler',
    'EventBridge Scheduler invocations (sentinel)',
    n(ticks),
    (ticks / 1e6) * p.schedulerInvocations.usd,
  );
  const writes = a.sentinelWriteUnits * ticks;
  const reads = a.sentinelReadUnits * ticks;
  bill.add(
    'sentinelDynamodb',
    `DynamoDB writes and reads ${where} (sentinel heartbeat)`,
    `${n(writes)} WRU, ${n(reads)} RRU`,
    (writes / 1e6) * p.dynamoWriteUnits.usd + (reads / 1e6) * p.dynamoReadUnits.usd,
  );
  return ticks;
}

/** Dollars a month of the home stack, itemised: what exists once, the watch, the notifier, the widget. */
export function priceHome(inputs: HomePriceInputs): StackCost {
  const { shape, regions } = inputs;
  const p = inputs.prices ?? PRICES;
  const a = inputs.assumptions ?? DEFAULT_ASSUMPTIONS;
  const bill = new Bill();
  fixedItems(bill, shape, p);
  const changes = a.changesPerRegionMonth * regions;

  for (const fn of shape.functions.filter(isHome)) {
    const ticks = fn.schedules.reduce((sum, s) => sum + runsPerDay(s.expression), 0) * DAYS_A_MONTH;
    // One stream invocation per finished run of any region (the filter passes run items only).
    const batches = fn.eventSources > 0 ? inputs.regionRunsMonth : 0;
    const series = Object.keys(HOME_METRICS).length;
    bill.add(
      'metrics',
      'CloudWatch custom metric series (the home series, no dimensions)',
      `${series} series x ${HOURS_A_MONTH} h`,
      series * p.metricSeriesMonth.usd,
    );
    // The health series on every tick; the change counts only when a run had changes.
    const requests = ticks + Math.min(batches, changes);
    bill.add(
      'putMetricData',
      'CloudWatch PutMetricData requests (every tick, and a run with changes)',
      n(requests),
      (requests / 1000) * p.putMetricDataRequests.usd,
    );
    bill.add(
      'homeLambda',
      'Lambda compute and requests (home: watch ticks, stream batches)',
      `${n(ticks)} ticks + ${n(batches)} batches x ${a.homeInvocationSeconds} s x ${fn.memoryMb} MB`,
      lambdaUsd(fn, ticks + batches, a.homeInvocationSeconds, p),
    );
    bill.add(
      'scheduler',
      'EventBridge Scheduler invocations (watch)',
      n(ticks),
      (ticks / 1e6) * p.schedulerInvocations.usd,
    );
    const logs = logsUsd(fn, ((ticks + batches) * a.homeLogBytes) / DAYS_A_MONTH, p);
    bill.add(
      'homeLogs',
      `CloudWatch Logs, home function (kept ${fn.logRetentionDays ?? 'forever'} days)`,
      `${n(logs.inGb * 1000, 1)} MB in, ${n(logs.keptGb * 1000, 1)} MB kept`,
      logs.usd,
    );
    const reads = ticks * regions * a.watchReadUnitsPerRegion;
    bill.add(
      'watchReads',
      'DynamoDB reads of the watch (every region, every tick)',
      `${n(reads)} RRU`,
      (reads / 1e6) * p.dynamoReadUnits.usd,
    );
    bill.add(
      'notifications',
      'SNS publishes and EventBridge events, one per change',
      `${n(changes)} + ${n(changes)}`,
      (changes / 1e6) * p.snsPublishes.usd + (changes / 1e6) * p.eventBridgeEvents.usd,
    );
  }
  for (const fn of shape.functions.filter(isWidget)) {
    // The rollout, the changes and one matrix per region: each a call on every view.
    const calls = a.dashboardViewsMonth * (2 + regions);
    bill.add(
      'widget',
      'Lambda compute and requests (dashboard widget)',
      `${n(calls)} calls x ${a.widgetSeconds} s x ${fn.memoryMb} MB`,
      lambdaUsd(fn, calls, a.widgetSeconds, p),
    );
  }
  if (shape.tables.length > 0)
    bill.add(
      'table',
      'DynamoDB table, on demand (its stream read by Lambda is free)',
      'no fixed charge; storage priced per region',
      0,
    );
  return bill.cost();
}

/** The dearest price (by output) of the model's provider, else of the whole table: an upper bound. */
export function fallbackPrice(model: string, models: Readonly<Record<string, ModelPrice>>): ModelPrice {
  const provider = model.split('.')[0];
  const all = Object.entries(models);
  const same = all.filter(([k]) => k.split('.')[0] === provider);
  const pool = same.length > 0 ? same : all;
  const dearest = pool.reduce((best, cur) => (cur[1].output > best[1].output ? cur : best));
  return dearest[1];
}
