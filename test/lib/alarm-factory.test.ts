import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { alarmName, HealthAlarmFactory } from '../../lib/alarm-factory';
import { proberMetric } from '../../lib/prober-metrics';
import { testApp } from '../support/cdk';

describe('HealthAlarmFactory', () => {
  it('makes a named alarm with runbook text that notifies on ALARM and on OK', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test', { env: { region: 'ap-south-1' } });
    const topic = new Topic(stack, 'Ops');
    const factory = new HealthAlarmFactory(stack, 'ap-south-1', new SnsAction(topic));

    // Act
    factory.create('Partial', {
      what: 'partial-run',
      means: 'A run ended partial.',
      todo: 'Lower maxCalls.',
      metric: proberMetric('ap-south-1', 'RunPartial', { period: Duration.hours(1), statistic: 'Maximum' }),
    });
    factory.create('Heartbeat', {
      what: 'no-run',
      means: 'No run.',
      todo: 'Check the schedule.',
      metric: proberMetric('ap-south-1', 'RunHeartbeat', { period: Duration.hours(1), statistic: 'Sum' }),
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.BREACHING,
    });
    const template = Template.fromStack(stack);

    // Assess
    const topicRef = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'bedrock-matrix-ap-south-1-partial-run',
      AlarmDescription: 'A run ended partial. What to do: Lower maxCalls.',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'Region', Value: 'ap-south-1' }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'bedrock-matrix-ap-south-1-no-run',
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
      OKActions: [topicRef],
    });
  });

  it('names alarms so one SourceArn pattern covers exactly a region’s alarms', () => {
    // Act
    const names = [alarmName('eu-west-1', 'no-run'), alarmName('eu-west-1', '*')];

    // Assess
    expect(names).toEqual(['bedrock-matrix-eu-west-1-no-run', 'bedrock-matrix-eu-west-1-*']);
  });
});
