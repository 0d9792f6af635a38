import { Duration, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DIMENSIONS, METRICS, METRICS_NAMESPACE } from '../../lambda/shared/names';
import { ProberMetrics } from '../../lib/prober-metrics';
import { testApp } from '../support/cdk';

describe('ProberMetrics', () => {
  // Prepare (shared): the helpers need only a stack's region.
  const stack = new Stack(testApp(), 'Test', { env: { region: 'eu-west-1' } });
  const metrics = new ProberMetrics(stack, 'Prober');
  const region = { [DIMENSIONS.region]: 'eu-west-1' };

  it('counts declared-vs-measured disagreements per run and region, summed', () => {
    // Act
    const metric = metrics.metricDeclaredDisagreements({ period: Duration.hours(1) });

    // Assess
    expect(METRICS.declaredDisagreements).toBe('DeclaredDisagreements');
    expect(metric).toMatchObject({
      namespace: METRICS_NAMESPACE,
      metricName: 'DeclaredDisagreements',
      dimensions: region,
      statistic: 'Sum',
    });
    expect(metric.period.toSeconds()).toBe(3600);
  });

  it.each([
    ['metricRunHeartbeat', METRICS.runHeartbeat, 'Sum'],
    ['metricRunPartial', METRICS.runPartial, 'Maximum'],
    ['metricRunDuration', METRICS.runDuration, 'Maximum'],
    ['metricProbesSent', METRICS.probesSent, 'Sum'],
    ['metricCellsProbed', METRICS.cellsProbed, 'Sum'],
    ['metricProbeErrors', METRICS.probeErrors, 'Sum'],
    ['metricProbeThrottles', METRICS.probeThrottles, 'Sum'],
    ['metricIamDenied', METRICS.iamDenied, 'Sum'],
    ['metricGuardrailControlFailed', METRICS.guardrailControlFailed, 'Maximum'],
    ['metricRunOverlap', METRICS.runOverlap, 'Sum'],
    ['metricChanges', METRICS.confirmedChanges, 'Sum'],
    ['metricGuardrailChanges', METRICS.guardrailChanges, 'Sum'],
  ] as const)('%s reads %s of the region (%s by default)', (helper, metricName, statistic) => {
    // Act
    const metric = metrics[helper]();

    // Assess
    expect(metric).toMatchObject({ namespace: METRICS_NAMESPACE, metricName, dimensions: region, statistic });
    expect(metric.period.toSeconds()).toBe(300);
  });

  it('reads per-endpoint and per-cell metrics with the dimensions the prober publishes them under', () => {
    // Act
    const absent = metrics.metricEndpointAbsent('mantle');
    const supported = metrics.metricSupportedModels('runtime', 'converse', { label: 'runtime converse' });

    // Assess
    expect(absent).toMatchObject({
      metricName: METRICS.endpointAbsent,
      dimensions: { ...region, [DIMENSIONS.endpoint]: 'mantle' },
      statistic: 'Maximum',
    });
    expect(supported).toMatchObject({
      metricName: METRICS.supportedModels,
      dimensions: { ...region, [DIMENSIONS.endpoint]: 'runtime', [DIMENSIONS.api]: 'converse' },
      label: 'runtime converse',
    });
  });

  it('rates errors against cells probed over one period', () => {
    // Act
    const rate = metrics.metricProbeErrorRate({ period: Duration.hours(2) });

    // Assess
    expect(rate.expression).toBe('100 * errors / MAX([probed, 1])');
    expect(rate.usingMetrics).toMatchObject({
      errors: { metricName: METRICS.probeErrors },
      probed: { metricName: METRICS.cellsProbed },
    });
    expect(rate.period.toSeconds()).toBe(7200);
  });
});
