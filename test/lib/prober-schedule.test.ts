import { Stack as CdkStack, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config';
import { ProberSchedule, proberTickInput } from '../../lib/prober-schedule';
import { standInFunction, testApp } from '../support/cdk';
import { thrownBy } from '../support/rejection';

describe('ProberSchedule', () => {
  // Prepare (shared): a plain function stands in for the prober, so no bundling is needed.
  const stack = new CdkStack(testApp(), 'Test', { env: { region: 'us-east-1' } });
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

describe('ProberSchedule with a second schedule (the sentinel)', () => {
  // Prepare (shared): a daily sweep and a 5-minute sentinel on one stand-in prober.
  const stack = new CdkStack(testApp(), 'Test', { env: { region: 'us-east-1' } });
  const target = standInFunction(stack, 'Target');
  const sweep = new ProberSchedule(stack, 'Schedule', {
    target,
    expression: 'rate(1 day)',
    input: proberTickInput('sweep'),
  });
  sweep.addSchedule('Sentinel', {
    expression: 'rate(5 minutes)',
    setting: 'sentinelSchedule',
    input: proberTickInput('sentinel'),
    retryAttempts: 0,
    maxEventAge: Duration.minutes(5),
  });
  const template = Template.fromStack(stack);
  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
    (r) =>
      r.Properties as { ScheduleExpression: string; Target: Record<string, unknown> & { Input: string } },
  );

  it('sends each tick its kind and scheduled time', () => {
    // Act
    const inputs = schedules.map((s) => [s.ScheduleExpression, JSON.parse(s.Target.Input)]);

    // Assess
    expect(inputs).toEqual([
      ['rate(1 day)', { kind: 'sweep', scheduledTime: '<aws.scheduler.scheduled-time>' }],
      ['rate(5 minutes)', { kind: 'sentinel', scheduledTime: '<aws.scheduler.scheduled-time>' }],
    ]);
  });

  it('shares the one role, its one invoke grant and the one dead-letter queue', () => {
    // Act
    const [first, second] = schedules;
    const invokes = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string }[]).filter(
        (st) => st.Action === 'lambda:InvokeFunction',
      ),
    );

    // Assess
    expect(second?.Target.RoleArn).toEqual(first?.Target.RoleArn);
    expect(second?.Target.DeadLetterConfig).toEqual(first?.Target.DeadLetterConfig);
    expect(second?.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 });
    template.resourceCountIs('AWS::IAM::Role', 2); // the stand-in's own and the scheduler's
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.resourceCountIs('AWS::Lambda::Permission', 0);
    expect(invokes).toHaveLength(1);
  });

  it("checks the added schedule against its own setting's bounds, naming it", () => {
    // Act
    const tooSlow = thrownBy(
      () => sweep.addSchedule('Slow', { expression: 'rate(2 hours)', setting: 'sentinelSchedule' }),
      ConfigError,
    );

    // Assess
    expect(tooSlow.message).toBe(
      'Invalid context "sentinelSchedule": "rate(2 hours)" runs every 120 minutes; allowed is 1 minute to 1 hour',
    );
  });
});
