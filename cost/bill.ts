/**
 * The cost model's building blocks: the month, the item and the bill, and the prices of what
 * every stack shape bills alike (a function's Lambda time and requests, its logs, fixed
 * CloudWatch and KMS resources). Pure, like cost/model.ts and cost/org-model.ts, which use them.
 */
import type { PriceTable } from './prices';
import type { FunctionShape, StackShape } from './template';

export const HOURS_A_MONTH = 730;
export const DAYS_A_MONTH = 365 / 12;
export const GB = 1e9;
export const KB = 1024;

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

/** A quantity for print: thousands separated, `digits` decimals. */
export const n = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Collects items and sums them. */
export class Bill {
  readonly items: CostItem[] = [];
  add(key: string, label: string, quantity: string, usd: number, inference = false): void {
    this.items.push({ key, label, quantity, usd, inference });
  }
  cost(fallbackPriced: readonly string[] = [], staleSettings: readonly string[] = []): StackCost {
    const total = this.items.reduce((s, i) => s + i.usd, 0);
    const inference = this.items.filter((i) => i.inference).reduce((s, i) => s + i.usd, 0);
    return {
      items: this.items,
      total,
      totalExcludingInference: total - inference,
      fallbackPriced,
      staleSettings,
    };
  }
}

/** Alarms, dashboards and keys, when the stack has any (a region stack has none). */
export function fixedItems(bill: Bill, shape: StackShape, p: PriceTable): void {
  const a = shape.alarms;
  if (a.standardMetrics + a.highResolutionMetrics + a.composite > 0)
    bill.add(
      'alarms',
      'CloudWatch alarms',
      `${a.standardMetrics} alarm metrics${a.highResolutionMetrics ? `, ${a.highResolutionMetrics} high-resolution` : ''}${a.composite ? `, ${a.composite} composite` : ''}`,
      a.standardMetrics * p.alarmMetricMonth.usd +
        a.highResolutionMetrics * p.highResAlarmMetricMonth.usd +
        a.composite * p.compositeAlarmMonth.usd,
    );
  if (shape.dashboards > 0)
    bill.add(
      'dashboards',
      'CloudWatch dashboards',
      `${shape.dashboards}`,
      shape.dashboards * p.dashboardMonth.usd,
    );
  if (shape.kmsKeys > 0)
    bill.add('kms', 'KMS customer-managed keys', `${shape.kmsKeys}`, shape.kmsKeys * p.kmsKeyMonth.usd);
}

/** Lambda GB-seconds and requests of `invocations` of `seconds` each. */
export const lambdaUsd = (fn: FunctionShape, invocations: number, seconds: number, p: PriceTable): number => {
  const gbSecond = fn.architecture === 'arm64' ? p.lambdaArmGbSecond.usd : p.lambdaX86GbSecond.usd;
  return (fn.memoryMb / 1024) * seconds * invocations * gbSecond + (invocations / 1e6) * p.lambdaRequests.usd;
};

/** Logs ingested a month and kept for the retention (bounded by it). */
export const logsUsd = (fn: FunctionShape, bytesPerDay: number, p: PriceTable) => {
  const inGb = (bytesPerDay * DAYS_A_MONTH) / GB;
  const keptGb = (bytesPerDay * (fn.logRetentionDays ?? 365 * 10)) / GB;
  return { inGb, keptGb, usd: inGb * p.logIngestGb.usd + keptGb * p.logStorageGbMonth.usd };
};

/** Cents, for printing and the README: `12.34`. */
export const dollars = (usd: number): string => usd.toFixed(2);
