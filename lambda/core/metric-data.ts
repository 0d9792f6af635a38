/**
 * The CloudWatch datums of one region's run. Pure: `cloudwatch-metrics.ts` sends them. Every
 * endpoint x api combination is emitted even at zero, so graphs and alarms see 0, not missing data.
 */
import type { Dimension, MetricDatum, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { DIMENSIONS, METRICS } from '../shared/names';
import { isIamDenial } from './classify';
import { declaredDisagreements } from './declared';
import { type Change, ENDPOINT_APIS, ENDPOINTS, type Report } from './model';

export interface MetricOptions {
  readonly region: string;
  readonly durationMs: number;
  /** Confirmed changes of this region's run. @default the report's changes in `region` */
  readonly changes?: readonly Change[];
  /** Probe calls sent in this region. @default report.summary.probesSent */
  readonly probesSent?: number;
}

export function buildMetricData(report: Report, opts: MetricOptions): MetricDatum[] {
  if (!Number.isFinite(opts.durationMs) || opts.durationMs < 0) {
    throw new Error(`durationMs must be a non-negative number, got ${String(opts.durationMs)}`);
  }
  const region = opts.region;
  const timestamp = new Date(report.finishedAt);
  if (Number.isNaN(timestamp.getTime())) {
    throw new Error(`report.finishedAt is not a valid time: ${JSON.stringify(report.finishedAt)}`);
  }
  const cells = report.cells.filter((c) => c.region === region);
  const changes = (opts.changes ?? report.changes).filter((c) => c.region === region);
  const regionDims: Dimension[] = [{ Name: DIMENSIONS.region, Value: region }];
  const datum = (
    name: string,
    value: number,
    unit: StandardUnit,
    dims: Dimension[] = regionDims,
  ): MetricDatum => ({
    MetricName: name,
    Dimensions: dims,
    Timestamp: timestamp,
    Value: value,
    Unit: unit,
  });
  const count = (pred: (c: (typeof cells)[number]) => boolean): number => cells.filter(pred).length;

  const data: MetricDatum[] = [
    datum(METRICS.runHeartbeat, 1, 'Count'),
    datum(METRICS.runPartial, report.partial ? 1 : 0, 'Count'),
    datum(METRICS.runDuration, opts.durationMs, 'Milliseconds'),
    datum(METRICS.probesSent, opts.probesSent ?? report.summary.probesSent, 'Count'),
    datum(
      METRICS.probeErrors,
      count((c) => c.status === 'error'),
      'Count',
    ),
    datum(
      METRICS.probeThrottles,
      count((c) => c.status === 'throttled'),
      'Count',
    ),
    // The error rate's denominator: cells that were probed, never calls (a cell may take several).
    datum(
      METRICS.cellsProbed,
      count((c) => c.status !== 'skipped'),
      'Count',
    ),
    datum(METRICS.guardrailControlFailed, controlFailed(report, region) ? 1 : 0, 'Count'),
    // A lasting gap in the prober's own role: the operator fixes IAM, nothing else will.
    datum(
      METRICS.iamDenied,
      count((c) => c.status === 'no-access' && isIamDenial(c.evidence)),
      'Count',
    ),
    datum(METRICS.confirmedChanges, changes.length, 'Count'),
    datum(METRICS.guardrailChanges, changes.filter((c) => c.variant === 'guardrail').length, 'Count'),
    // Evidence, never a change: the catalog and the measurement disagree on streaming, inference type or lifecycle.
    datum(
      METRICS.declaredDisagreements,
      declaredDisagreements(report).filter((d) => d.region === region).length,
      'Count',
    ),
  ];
  for (const endpoint of ENDPOINTS) {
    for (const api of ENDPOINT_APIS[endpoint]) {
      const dims = [
        ...regionDims,
        { Name: DIMENSIONS.endpoint, Value: endpoint },
        { Name: DIMENSIONS.api, Value: api },
      ];
      const here = (c: (typeof cells)[number]) => c.endpoint === endpoint && c.api === api;
      data.push(
        datum(
          METRICS.supportedModels,
          count((c) => here(c) && c.variant === 'basic' && c.status === 'supported'),
          'Count',
          dims,
        ),
        datum(
          METRICS.guardrailEnforced,
          count((c) => here(c) && c.variant === 'guardrail' && c.status === 'enforced'),
          'Count',
          dims,
        ),
        datum(
          METRICS.guardrailIgnored,
          count((c) => here(c) && c.variant === 'guardrail' && c.status === 'ignored'),
          'Count',
          dims,
        ),
      );
    }
  }
  return data;
}

/**
 * The probe Guardrail failed its own control (ApplyGuardrail did not intervene on the canary):
 * every `guardrail` verdict of the run is then doubtful. No control (no guardrail configured) is
 * not a failure.
 */
function controlFailed(report: Report, region: string): boolean {
  return (report.guardrailControls ?? []).some((c) => c.region === region && c.status !== 'enforced');
}
