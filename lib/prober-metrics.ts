import { Duration, Stack } from 'aws-cdk-lib';
import { MathExpression, Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { Api, Endpoint } from '../lambda/core/model';
import { DIMENSIONS, METRICS, METRICS_NAMESPACE } from '../lambda/shared/names';

/**
 * A metric the prober publishes in `region` (namespace `BedrockMatrix`, dimension `Region`, plus
 * `extra` dimensions for per-endpoint or per-cell aggregates).
 */
export const proberMetric = (
  region: string,
  metricName: string,
  options: MetricOptions = {},
  extra: Readonly<Record<string, string>> = {},
): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    ...options,
    dimensionsMap: { [DIMENSIONS.region]: region, ...extra },
  });

/** The metric helpers of whatever publishes the prober's metrics (lambda/shared/names.ts `METRICS`). */
export interface IProberMetrics {
  /** `RunHeartbeat`: 1 per run whose results were stored; missing = the prober stopped. @default Sum */
  metricRunHeartbeat(options?: MetricOptions): Metric;
  /** `RunPartial`: 1 per run that ended partial. @default Maximum */
  metricRunPartial(options?: MetricOptions): Metric;
  /** `RunDurationMs`: wall time of a run. @default Maximum */
  metricRunDuration(options?: MetricOptions): Metric;
  /** `ProbesSent`: probe calls, retries and re-probes included (never a divisor). @default Sum */
  metricProbesSent(options?: MetricOptions): Metric;
  /** `CellsProbed`: cells not `skipped`, the error rate's divisor. @default Sum */
  metricCellsProbed(options?: MetricOptions): Metric;
  /** `ProbeErrors`: cells ending `error`. @default Sum */
  metricProbeErrors(options?: MetricOptions): Metric;
  /** `ProbeThrottles`: cells ending `throttled`. @default Sum */
  metricProbeThrottles(options?: MetricOptions): Metric;
  /** `100 * ProbeErrors / CellsProbed` of a period (cells by cells, not calls). */
  metricProbeErrorRate(options?: Pick<MetricOptions, 'period' | 'label'>): MathExpression;
  /** `ProbeIamDenied`: cells refused by IAM for the prober's own role. @default Sum */
  metricIamDenied(options?: MetricOptions): Metric;
  /** `GuardrailControlFailed`: 1 when ApplyGuardrail did not answer `enforced`. @default Maximum */
  metricGuardrailControlFailed(options?: MetricOptions): Metric;
  /** `RunOverlapSkipped`: 1 per invocation that met another run's lease. @default Sum */
  metricRunOverlap(options?: MetricOptions): Metric;
  /** `ConfirmedChanges`: confirmed cell and model changes of a run. @default Sum */
  metricChanges(options?: MetricOptions): Metric;
  /** `GuardrailChanges`: confirmed changes of `guardrail` cells. @default Sum */
  metricGuardrailChanges(options?: MetricOptions): Metric;
  /** `DeclaredDisagreements`: where ListFoundationModels disagrees with what was measured. @default Sum */
  metricDeclaredDisagreements(options?: MetricOptions): Metric;
  /** `EndpointAbsent` (per Endpoint): 1 when the endpoint's host does not resolve. @default Maximum */
  metricEndpointAbsent(endpoint: Endpoint, options?: MetricOptions): Metric;
  /** `SupportedModels` (per Endpoint x Api): models whose `basic` cell is `supported`. @default Maximum */
  metricSupportedModels(endpoint: Endpoint, api: Api, options?: MetricOptions): Metric;
  /** `GuardrailEnforced` (per Endpoint x Api). @default Maximum */
  metricGuardrailEnforced(endpoint: Endpoint, api: Api, options?: MetricOptions): Metric;
  /** `GuardrailIgnored` (per Endpoint x Api). @default Maximum */
  metricGuardrailIgnored(endpoint: Endpoint, api: Api, options?: MetricOptions): Metric;
}

/** CloudWatch's own default period, as `Function.metricErrors()` has it. */
const DEFAULT_PERIOD = Duration.minutes(5);

/**
 * The prober's metrics, one `metricXxx()` helper each, in the manner of aws-cdk-lib's
 * `Function.metricErrors()` and the metric factories of cdklabs/cdk-monitoring-constructs. A
 * construct base class so the construct that publishes them (ProberFunction) owns the helpers,
 * and a test can stand one in without bundling a function. The region is the stack's.
 */
export class ProberMetrics extends Construct implements IProberMetrics {
  metricRunHeartbeat(options?: MetricOptions): Metric {
    return this.metric(METRICS.runHeartbeat, 'Sum', options);
  }
  metricRunPartial(options?: MetricOptions): Metric {
    return this.metric(METRICS.runPartial, 'Maximum', options);
  }
  metricRunDuration(options?: MetricOptions): Metric {
    return this.metric(METRICS.runDuration, 'Maximum', options);
  }
  metricProbesSent(options?: MetricOptions): Metric {
    return this.metric(METRICS.probesSent, 'Sum', options);
  }
  metricCellsProbed(options?: MetricOptions): Metric {
    return this.metric(METRICS.cellsProbed, 'Sum', options);
  }
  metricProbeErrors(options?: MetricOptions): Metric {
    return this.metric(METRICS.probeErrors, 'Sum', options);
  }
  metricProbeThrottles(options?: MetricOptions): Metric {
    return this.metric(METRICS.probeThrottles, 'Sum', options);
  }
  metricProbeErrorRate(options: Pick<MetricOptions, 'period' | 'label'> = {}): MathExpression {
    const period = options.period ?? DEFAULT_PERIOD;
    return new MathExpression({
      expression: '100 * errors / MAX([probed, 1])',
      usingMetrics: {
        errors: this.metricProbeErrors({ period }),
        probed: this.metricCellsProbed({ period }),
      },
      period,
      label: options.label ?? 'error rate (% of cells probed)',
    });
  }
  metricIamDenied(options?: MetricOptions): Metric {
    return this.metric(METRICS.iamDenied, 'Sum', options);
  }
  metricGuardrailControlFailed(options?: MetricOptions): Metric {
    return this.metric(METRICS.guardrailControlFailed, 'Maximum', options);
  }
  metricRunOverlap(options?: MetricOptions): Metric {
    return this.metric(METRICS.runOverlap, 'Sum', options);
  }
  metricChanges(options?: MetricOptions): Metric {
    return this.metric(METRICS.confirmedChanges, 'Sum', options);
  }
  metricGuardrailChanges(options?: MetricOptions): Metric {
    return this.metric(METRICS.guardrailChanges, 'Sum', options);
  }
  metricDeclaredDisagreements(options?: MetricOptions): Metric {
    return this.metric(METRICS.declaredDisagreements, 'Sum', options);
  }
  metricEndpointAbsent(endpoint: Endpoint, options?: MetricOptions): Metric {
    return this.metric(METRICS.endpointAbsent, 'Maximum', options, { [DIMENSIONS.endpoint]: endpoint });
  }
  metricSupportedModels(endpoint: Endpoint, api: Api, options?: MetricOptions): Metric {
    return this.metric(METRICS.supportedModels, 'Maximum', options, cellDimensions(endpoint, api));
  }
  metricGuardrailEnforced(endpoint: Endpoint, api: Api, options?: MetricOptions): Metric {
    return this.metric(METRICS.guardrailEnforced, 'Maximum', options, cellDimensions(endpoint, api));
  }
  metricGuardrailIgnored(endpoint: Endpoint, api: Api, options?: MetricOptions): Metric {
    return this.metric(METRICS.guardrailIgnored, 'Maximum', options, cellDimensions(endpoint, api));
  }

  private metric(
    metricName: string,
    statistic: string,
    options: MetricOptions = {},
    extra: Readonly<Record<string, string>> = {},
  ): Metric {
    return proberMetric(
      Stack.of(this).region,
      metricName,
      { period: DEFAULT_PERIOD, statistic, ...options },
      extra,
    );
  }
}

const cellDimensions = (endpoint: Endpoint, api: Api): Record<string, string> => ({
  [DIMENSIONS.endpoint]: endpoint,
  [DIMENSIONS.api]: api,
});
