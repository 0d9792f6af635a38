import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { alarmName, HealthAlarmFactory } from '../../lib/alarm-factory';
import { testApp } from '../support/cdk';

/** A series without dimensions, as the home publishes them. */
const series = (metricName: string, statistic: string) =>
  new Metric({ namespace: 'BedrockMatrix', metricName, period: Duration.minutes(5), statistic });

describe('HealthAlarmFactory', () => {
  it('makes a named alarm with runbook text that notifies on ALARM and on OK', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test', { env: { region: 'ap-south-1' } });
    const topic = new Topic(stack, 'Ops');
    const factory = new HealthAlarmFactory(stack, 'home', new SnsAction(topic));

    // Act
    factory.create('Failing', {
      what: 'failing-regions',
      means: 'A region failed.',
      todo: 'Read its log group.',
      metric: series('FailingRegions', 'Maximum'),
    });
    factory.create('Stale', {
      what: 'stale-regions',
      means: 'A region is stale.',
      todo: 'Check the schedule.',
      metric: series('StaleRegions', 'Maximum'),
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.BREACHING,
    });
    const template = Template.fromStack(stack);

    // Assess
    const topicRef = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'bedrock-matrix-home-failing-regions',
      AlarmDescription: 'A region failed. What to do: Read its log group.',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      Statistic: 'Maximum',
      Period: 300,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'bedrock-matrix-home-stale-regions',
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
      OKActions: [topicRef],
    });
  });

  it('names alarms so one SourceArn pattern covers exactly the home’s alarms', () => {
    // Act
    const names = [alarmName('home', 'stale-regions'), alarmName('home', '*')];

    // Assess
    expect(names).toEqual(['bedrock-matrix-home-stale-regions', 'bedrock-matrix-home-*']);
  });
});
