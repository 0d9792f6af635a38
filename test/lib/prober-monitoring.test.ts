import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { METRICS, METRICS_NAMESPACE } from '../../lambda/shared/names';
import { ProberMonitoring } from '../../lib/prober-monitoring';

describe('ProberMonitoring', () => {
  // Prepare (shared): plain resources stand in for the prober, topic and DLQ.
  const stack = new Stack(new App(), 'Test', { env: { region: 'eu-west-1' } });
  const fn = new LambdaFunction(stack, 'Fn', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => {};'),
  });
  const topic = new Topic(stack, 'Topic');
  const deadLetterQueue = new Queue(stack, 'Dlq');
  new ProberMonitoring(stack, 'Monitoring', {
    function: fn,
    functionTimeout: Duration.minutes(10),
    topic,
    schedulePeriod: Duration.hours(1),
    deadLetterQueue,
  });
  const template = Template.fromStack(stack);
  const topicRef = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
  const regionDim = [{ Name: 'Region', Value: 'eu-west-1' }];

  it('creates seven alarms, every one acting on the alerts topic', () => {
    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    // Assess
    expect(alarms).toHaveLength(7);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
  });

  it.each([
    [METRICS.confirmedChanges, 'GreaterThanOrEqualToThreshold', 1, 300, 1, 'notBreaching'],
    [METRICS.guardrailChanges, 'GreaterThanOrEqualToThreshold', 1, 300, 1, 'notBreaching'],
    [METRICS.runHeartbeat, 'LessThanThreshold', 1, 3600, 2, 'breaching'],
  ])(
    'alarms on %s (%s %i, period %i s x %i, missing data %s)',
    (metric, op, threshold, period, periods, missing) => {
      // Act + Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRICS_NAMESPACE,
        MetricName: metric,
        Dimensions: regionDim,
        Statistic: 'Sum',
        ComparisonOperator: op,
        Threshold: threshold,
        Period: period,
        EvaluationPeriods: periods,
        DatapointsToAlarm: periods,
        TreatMissingData: missing,
      });
    },
  );

  it('alarms when more than 25% of the probes of a run end in error', () => {
    // Act + Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 25,
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * errors / MAX([sent, 1])' }),
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: { Namespace: METRICS_NAMESPACE, MetricName: METRICS.probeErrors, Dimensions: regionDim },
            Period: 3600,
          }),
        }),
        Match.objectLike({
          Id: 'sent',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: METRICS.probesSent }) }),
        }),
      ]),
    });
  });

  it.each(['Errors', 'Throttles'])('alarms on any function %s', (metric) => {
    // Act + Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: metric,
      Dimensions: [
        {
          Name: 'FunctionName',
          Value: { Ref: Object.keys(template.findResources('AWS::Lambda::Function'))[0] },
        },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when a schedule tick lands in the dead-letter queue', () => {
    // Act + Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('draws the matrix, guardrail enforcement, changes, errors, duration vs timeout and alarm states', () => {
    // Act
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.stringify(stack.resolve(dashboard?.Properties.DashboardBody));

    // Assess
    expect(dashboard?.Properties.DashboardName).toBe('bedrock-matrix-eu-west-1');
    for (const title of [
      'Supported models: runtime',
      'Supported models: mantle',
      'Guardrail enforced / ignored: mantle',
      'Confirmed changes',
      'Probe errors and throttles',
      'Run duration vs timeout (ms)',
      'Alarms',
    ]) {
      expect(body).toContain(title);
    }
    expect(body).toContain(
      `\\"${METRICS.supportedModels}\\",\\"Api\\",\\"chat\\",\\"Endpoint\\",\\"mantle\\"`,
    );
    expect(body).toContain('Function timeout');
    expect(body).toContain('600000');
  });
});
