/**
 * The cost model: a stack's shape (cost/template.ts, counted from its synthesized template), a
 * measured run (cost/measurement.ts) and a price table (cost/prices.ts) in, itemised dollars a
 * month out. Pure: no I/O, no clock. Fixed items come from the template; per-run items are the
 * measured run times the runs the template's schedule starts in a month.
 */

import { DEFAULTS, ENV } from '../lambda/shared/names';
import { runsPerDay } from '../lib/config';
import type { RunMeasurement } from './measurement';
import { MODEL_PRICES, type ModelPrice, PRICES, type PriceTable } from './prices';
import type { StackShape } from './template';

export const HOURS_A_MONTH = 730;
const DAYS_A_MONTH = 365 / 12;
const GB = 1e9;

/** What the simulator cannot measure. */
export interface CostAssumptions {
  /**
   * Seconds one Bedrock call takes for real: 1 s for small warm models to 3 s for frontier models
   * and cross-region profiles (docs/bench.md "Lambda sizing"); the simulator answers at once.
   */
  readonly callSeconds: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = { callSeconds: 2 };

export interface CostItem {
  readonly key: string;
  readonly label: string;
  /** How much, in the item's own unit, a month. */
  readonly quantity: string;
  readonly usd: number;
  /** Bedrock inference (tokens, guardrail text units): what `regionsExcludingTokens` leaves out. */
  readonly inference: boolean;
}

export interface StackCost {
  readonly items: readonly CostItem[];
  readonly total: number;
  readonly totalExcludingInference: number;
  /** Models with no price of their own, priced at their provider's (or the table's) dearest. */
  readonly fallbackPriced: readonly string[];
  /** Settings where the template and the measured run differ: re-measure before trusting it. */
  readonly staleSettings: readonly string[];
}

export interface PriceInputs {
  readonly shape: StackShape;
  readonly run: RunMeasurement;
  /** @default PRICES */
  readonly prices?: PriceTable;
  /** @default MODEL_PRICES */
  readonly models?: Readonly<Record<string, ModelPrice>>;
  /** @default DEFAULT_ASSUMPTIONS */
  readonly assumptions?: CostAssumptions;
}

const n = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Dollars a month of one stack, itemised. */
export function priceStack(inputs: PriceInputs): StackCost {
  const { shape, run } = inputs;
  const p = inputs.prices ?? PRICES;
  const assumptions = inputs.assumptions ?? DEFAULT_ASSUMPTIONS;
  const items: CostItem[] = [];
  const add = (key: string, label: string, quantity: string, usd: number, inference = false) =>
    items.push({ key, label, quantity, usd, inference });

  const a = shape.alarms;
  add(
    'alarms',
    'CloudWatch alarms',
    `${a.standardMetrics} alarm metrics${a.highResolutionMetrics ? `, ${a.highResolutionMetrics} high-resolution` : ''}${a.composite ? `, ${a.composite} composite` : ''}`,
    a.standardMetrics * p.alarmMetricMonth.usd +
      a.highResolutionMetrics * p.highResAlarmMetricMonth.usd +
      a.composite * p.compositeAlarmMonth.usd,
  );
  add('dashboards', 'CloudWatch dashboards', `${shape.dashboards}`, shape.dashboards * p.dashboardMonth.usd);
  add('kms', 'KMS customer-managed keys', `${shape.kmsKeys}`, shape.kmsKeys * p.kmsKeyMonth.usd);

  const fallbackPriced = new Set<string>();
  const staleSettings: string[] = [];
  for (const fn of shape.scheduled) {
    const perDay = runsPerDay(fn.schedule);
    const runs = perDay * DAYS_A_MONTH;
    // A series is billed for the hours it receives data; a run touches one hour at most.
    const hoursWithData = Math.min(HOURS_A_MONTH, perDay * DAYS_A_MONTH);
    for (const [k, v] of Object.entries(run.settings)) {
      if (fn.environment[k] !== v) staleSettings.push(`${k}: template ${fn.environment[k]}, measured ${v}`);
    }
    for (const [k, v] of Object.entries(fn.environment)) {
      if (v !== null && run.settings[k] === undefined)
        staleSettings.push(`${k}: template ${v}, not measured`);
    }
    const series = run.metricSeries.length;
    add(
      'metrics',
      'CloudWatch custom metric series',
      `${series} series x ${n(hoursWithData)} h`,
      (series * p.metricSeriesMonth.usd * hoursWithData) / HOURS_A_MONTH,
    );
    add(
      'putMetricData',
      'CloudWatch PutMetricData requests',
      n(run.putMetricDataRequests * runs),
      ((run.putMetricDataRequests * runs) / 1000) * p.putMetricDataRequests.usd,
    );
    add('scheduler', 'EventBridge Scheduler invocations', n(runs), (runs / 1e6) * p.schedulerInvocations.usd);

    const concurrency = Number(fn.environment[ENV.concurrency] ?? DEFAULTS.concurrency);
    const seconds = Math.ceil(run.calls / concurrency) * assumptions.callSeconds;
    const gbSeconds = (fn.memoryMb / 1024) * seconds * runs;
    const gbSecondPrice = fn.architecture === 'arm64' ? p.lambdaArmGbSecond.usd : p.lambdaX86GbSecond.usd;
    add(
      'lambda',
      'Lambda compute and requests',
      `${n(runs)} runs x ${seconds} s x ${fn.memoryMb} MB`,
      gbSeconds * gbSecondPrice + (runs / 1e6) * p.lambdaRequests.usd,
    );

    const logGb = (run.logBytes * runs) / GB;
    const retainedDays = fn.logRetentionDays ?? 365 * 10;
    const storedLogGb = (run.logBytes * perDay * retainedDays) / GB;
    add(
      'logs',
      'CloudWatch Logs ingestion and storage',
      `${n(logGb, 3)} GB in, ${n(storedLogGb, 3)} GB kept`,
      logGb * p.logIngestGb.usd + storedLogGb * p.logStorageGbMonth.usd,
    );

    const ttlDays = Number(fn.environment[ENV.historyTtlDays] ?? DEFAULTS.historyTtlDays);
    const storedGb = (run.expiringBytes * perDay * ttlDays + run.lastingBytes) / GB;
    const pitr = shape.tables.some((t) => t.pointInTimeRecovery);
    add(
      'dynamodb',
      `DynamoDB writes, reads, storage${pitr ? ', point-in-time recovery' : ''}`,
      `${n(run.writeUnits * runs)} WRU, ${n(run.readUnits * runs)} RRU, ${n(storedGb, 2)} GB`,
      ((run.writeUnits * runs) / 1e6) * p.dynamoWriteUnits.usd +
        ((run.readUnits * runs) / 1e6) * p.dynamoReadUnits.usd +
        storedGb * (p.dynamoStorageGbMonth.usd + (pitr ? p.dynamoPitrGbMonth.usd : 0)),
    );
    add(
      'notifications',
      'SNS publishes and EventBridge events',
      `${n(run.snsPublishes * runs)} + ${n(run.events * runs)}`,
      ((run.snsPublishes * runs) / 1e6) * p.snsPublishes.usd +
        ((run.events * runs) / 1e6) * p.eventBridgeEvents.usd,
    );

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
    add(
      'tokens',
      'Bedrock tokens, each model at its own price',
      `${n(inputTokens)} in, ${n(outputTokens)} out`,
      tokensUsd,
      true,
    );
    const paid = shape.paidGuardrailPolicies.length;
    const textUnits = run.guardrailTextUnits * runs;
    add(
      'guardrail',
      `Guardrail text units (${paid ? shape.paidGuardrailPolicies.join(', ') : 'free policies only'})`,
      `${n(textUnits)} text units x ${paid} paid ${paid === 1 ? 'policy' : 'policies'}`,
      (textUnits / 1000) * p.guardrailContentTextUnits.usd * paid,
      true,
    );
  }

  const total = items.reduce((s, i) => s + i.usd, 0);
  const inference = items.filter((i) => i.inference).reduce((s, i) => s + i.usd, 0);
  return {
    items,
    total,
    totalExcludingInference: total - inference,
    fallbackPriced: [...fallbackPriced].sort(),
    staleSettings,
  };
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

/** Cents, for printing and the README: `12.34`. */
export const dollars = (usd: number): string => usd.toFixed(2);
