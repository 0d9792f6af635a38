import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { METRICS, METRICS_NAMESPACE } from '../../lambda/shared/names';
import { ProberMetrics } from '../../lib/prober-metrics';
import { ProberMonitoring } from '../../lib/prober-monitoring';
import { dashboardBody, standInFunction, testApp } from '../support/cdk';

type DashboardBody = { widgets: Array<{ properties: { title?: string; metrics?: unknown[][] } }> };

describe('ProberMonitoring', () => {
  // Prepare (shared): plain resources stand in for the prober, topic and DLQ.
  const stack = new Stack(testApp(), 'Test', { env: { region: 'eu-west-1' } });
  const fn = standInFunction(stack, 'Fn');
  const topic = new Topic(stack, 'Topic');
  const deadLetterQueue = new Queue(stack, 'Dlq');
  new ProberMonitoring(stack, 'Monitoring', {
    metrics: new ProberMetrics(stack, 'Prober'),
    function: fn,
    functionTimeout: Duration.minutes(10),
    topic,
    schedulePeriod: Duration.hours(1),
    deadLetterQueue,
  });
  const template = Template.fromStack(stack);
  const topicRef = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
  const regionDim = [{ Name: 'Region', Value: 'eu-west-1' }];
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const named = (what: string) => alarms.find((a) => a.AlarmName === `bedrock-matrix-eu-west-1-${what}`);

  it('names every health alarm bedrock-matrix-<region>-<what>, and none on changes', () => {
    // Act
    const names = alarms.map((a) => a.AlarmName).sort();

    // Assess
    expect(names).toEqual(
      [
        'dead-letters',
        'error-rate',
        'function-errors',
        'function-throttles',
        'guardrail-control',
        'iam-denied',
        'no-run',
        'partial-run',
        'run-overlap',
      ].map((what) => `bedrock-matrix-eu-west-1-${what}`),
    );
    const watched = JSON.stringify(alarms);
    expect(watched).not.toContain(METRICS.confirmedChanges);
    expect(watched).not.toContain(METRICS.guardrailChanges);
  });

  it('notifies the ops topic on ALARM and on OK, with runbook text', () => {
    // Act + Assess
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, alarm.AlarmName).toEqual([topicRef]);
      expect(alarm.OKActions, alarm.AlarmName).toEqual([topicRef]);
      expect(alarm.AlarmDescription, alarm.AlarmName).toMatch(/\. What to do: .{20,}/);
    }
  });

  it.each([
    ['no-run', METRICS.runHeartbeat, 'Sum', 'LessThanThreshold', 2, 'breaching'],
    ['partial-run', METRICS.runPartial, 'Maximum', 'GreaterThanOrEqualToThreshold', 1, 'notBreaching'],
    [
      'guardrail-control',
      METRICS.guardrailControlFailed,
      'Maximum',
      'GreaterThanOrEqualToThreshold',
      1,
      'notBreaching',
    ],
    ['iam-denied', METRICS.iamDenied, 'Sum', 'GreaterThanOrEqualToThreshold', 1, 'notBreaching'],
    ['run-overlap', METRICS.runOverlap, 'Sum', 'GreaterThanOrEqualToThreshold', 1, 'notBreaching'],
  ])(
    '%s watches %s (%s, %s 1 over %i hourly periods, missing data %s)',
    (what, metric, stat, op, periods, missing) => {
      // Act
      const alarm = named(what);

      // Assess
      expect(alarm).toMatchObject({
        Namespace: METRICS_NAMESPACE,
        MetricName: metric,
        Dimensions: regionDim,
        Statistic: stat,
        ComparisonOperator: op,
        Threshold: 1,
        Period: 3600,
        EvaluationPeriods: periods,
        DatapointsToAlarm: periods,
        TreatMissingData: missing,
      });
    },
  );

  it('rates errors against cells probed, not calls, and says so', () => {
    // Act
    const alarm = named('error-rate');

    // Assess
    expect(alarm).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 25,
      TreatMissingData: 'notBreaching',
    });
    const metrics = JSON.stringify(alarm?.Metrics);
    expect(metrics).toContain('"Expression":"100 * errors / MAX([probed, 1])"');
    expect(metrics).toContain(`"MetricName":"${METRICS.probeErrors}"`);
    expect(metrics).toContain(`"MetricName":"${METRICS.cellsProbed}"`);
    expect(metrics).not.toContain(METRICS.probesSent);
    expect(alarm?.AlarmDescription).toContain('ProbeErrors / CellsProbed');
  });

  it.each([
    ['function-errors', 'AWS/Lambda', 'Errors'],
    ['function-throttles', 'AWS/Lambda', 'Throttles'],
    ['dead-letters', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
  ])('%s alarms on any %s %s', (what, namespace, metric) => {
    // Act + Assess
    expect(named(what)).toMatchObject({
      Namespace: namespace,
      MetricName: metric,
      Threshold: 1,
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('draws the matrix, guardrails, changes, errors, run health, duration and alarm states with distinct labels', () => {
    // Act
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = dashboardBody<DashboardBody>(stack, dashboard?.Properties.DashboardBody);

    // Assess
    expect(dashboard?.Properties.DashboardName).toBe('bedrock-matrix-eu-west-1');
    const titles = body.widgets.map((w) => w.properties.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Supported models: runtime',
        'Supported models: mantle',
        'Guardrail enforced / ignored: mantle',
        'Confirmed changes',
        'Probe errors and throttles',
        'Run health',
        'Run duration vs timeout (ms)',
        'Health alarms',
      ]),
    );
    for (const widget of body.widgets) {
      const labels = (widget.properties.metrics ?? []).map((m) => JSON.stringify(m.at(-1)));
      expect(new Set(labels).size, widget.properties.title).toBe(labels.length);
    }
    const runHealth = JSON.stringify(body.widgets.find((w) => w.properties.title === 'Run health'));
    expect(runHealth).toContain(METRICS.runPartial);
    expect(JSON.stringify(body)).toContain('mantle chat enforced');
    expect(JSON.stringify(body)).toContain('mantle chat ignored');
  });

  it('graphs declared-vs-measured disagreements beside the run duration, and alarms on none', () => {
    // Act
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = dashboardBody<DashboardBody>(stack, dashboard?.Properties.DashboardBody);
    const graph = body.widgets.find((w) => w.properties.title === 'Declared vs measured: disagreements');
    const duration = body.widgets.find((w) => w.properties.title === 'Run duration vs timeout (ms)');

    // Assess
    expect(graph?.properties.metrics).toEqual([
      [
        METRICS_NAMESPACE,
        METRICS.declaredDisagreements,
        'Region',
        'eu-west-1',
        { label: 'declarations contradicted by a probe', period: 3600, stat: 'Sum' },
      ],
    ]);
    expect(graph).toMatchObject({ y: (duration as { y?: number } | undefined)?.y });
    expect(JSON.stringify(alarms)).not.toContain(METRICS.declaredDisagreements);
  });

  it('draws absent endpoints with the Endpoint dimension the prober publishes them under', () => {
    // Act
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = dashboardBody<DashboardBody>(stack, dashboard?.Properties.DashboardBody);
    const runHealth = body.widgets.find((w) => w.properties.title === 'Run health');
    const absent = (runHealth?.properties.metrics ?? []).filter((m) => m[1] === METRICS.endpointAbsent);

    // Assess
    expect(absent.map((m) => m.slice(2, 6))).toEqual([
      ['Endpoint', 'runtime', 'Region', 'eu-west-1'],
      ['Endpoint', 'mantle', 'Region', 'eu-west-1'],
    ]);
  });
});
