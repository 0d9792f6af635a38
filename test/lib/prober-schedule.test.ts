import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ProberSchedule } from '../../lib/prober-schedule';
import { standInFunction, testApp } from '../support/cdk';

describe('ProberSchedule', () => {
  // Prepare (shared): a plain function stands in for the prober, so no bundling is needed.
  const stack = new Stack(testApp(), 'Test', { env: { region: 'us-east-1' } });
  const target = standInFunction(stack, 'Target');
  new ProberSchedule(stack, 'Schedule', { target, expression: 'rate(2 hours)' });
  const template = Template.fromStack(stack);
  const id = (type: string): string => Object.keys(template.findResources(type))[0] ?? '';

  it('invokes the prober on the configured expression with small retry and age limits and a DLQ', () => {
    // Act
    const targetId = Object.keys(template.findResources('AWS::Lambda::Function'))[0];

    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(2 hours)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [targetId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id('AWS::SQS::Queue'), 'Arn'] } },
      },
    });
  });

  it('names each run by its scheduled time, so a retried delivery replays the same run id', () => {
    // Act
    const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule'))[0];

    // Assess
    expect(JSON.parse(schedule?.Properties.Target.Input)).toEqual({
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  it('encrypts the dead-letter queue and denies access without TLS', () => {
    // Act
    const queueId = id('AWS::SQS::Queue');

    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets only the scheduler of this account invoke the prober and write to the DLQ', () => {
    // Act
    const roleId = Object.keys(template.findResources('AWS::IAM::Role')).find((k) =>
      k.startsWith('ScheduleRole'),
    );

    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: Match.objectLike({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }) },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'lambda:InvokeFunction' }),
          {
            Action: 'sqs:SendMessage',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [id('AWS::SQS::Queue'), 'Arn'] },
          },
        ],
      },
    });
  });
});
