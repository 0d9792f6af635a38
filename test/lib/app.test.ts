import { type App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, HOME_STACK_NAME, HOME_TABLE_NAME, stackNameFor } from '../../lambda/shared/names';
import { buildApp } from '../../lib/app';
import { scheduleGap } from '../../lib/config';
import { testApp } from '../support/cdk';
import { actionsOf, countsOf, idOf, outputsOf, statementsOf } from '../support/templates';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;

describe('the app: one home stack and a region stack per probed region', () => {
  // Prepare (shared): the app as `cdk synth -c regions=... -c home=us-west-2` builds it, unbundled.
  let app: App;
  let home: Stack;
  let regionT: Record<string, Template>;
  beforeAll(() => {
    app = buildApp(
      testApp({ regions: REGIONS.join(','), home: 'us-west-2', alarmEmails: 'ops@example.com' }),
    );
    home = app.node.findChild(HOME_STACK_NAME) as Stack;
    regionT = Object.fromEntries(
      REGIONS.map((r) => [r, Template.fromStack(app.node.findChild(stackNameFor(r)) as Stack)]),
    );
  });

  it('puts the home stack in the home region and each region stack in its region, home deployed first', () => {
    // Act
    const stacks = app.node.children.filter((c): c is Stack => c instanceof Stack);

    // Assess
    expect(stacks.map((s) => [s.stackName, s.region])).toEqual([
      [HOME_STACK_NAME, 'us-west-2'],
      ...REGIONS.map((r) => [stackNameFor(r), r]),
    ]);
    for (const s of stacks.slice(1)) expect(s.dependencies).toEqual([home]);
  });

  it('gives a region stack only what runs there: no table, topic, key, alarm or dashboard', () => {
    for (const region of REGIONS) {
      // Act
      const counts = countsOf(regionT[region] as Template);

      // Assess
      expect(counts, region).toMatchObject({
        'AWS::Bedrock::Guardrail': 1,
        'AWS::Bedrock::GuardrailVersion': 1,
        'AWS::Lambda::Function': 1,
        'AWS::Logs::LogGroup': 1,
        'AWS::Scheduler::Schedule': 2, // the full sweep and the sentinel
        'AWS::SQS::Queue': 1,
        'AWS::IAM::Role': 2, // the prober's and the scheduler's, shared by both schedules
      });
      for (const type of [
        'AWS::DynamoDB::Table',
        'AWS::DynamoDB::GlobalTable',
        'AWS::SNS::Topic',
        'AWS::KMS::Key',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Dashboard',
      ])
        expect(counts[type], `${region} ${type}`).toBeUndefined();
    }
  });

  it('ticks the sentinel every 5 minutes or faster and the full sweep daily, each naming its kind', () => {
    for (const region of REGIONS) {
      // Act
      const t = regionT[region] as Template;
      const prober = { 'Fn::GetAtt': [idOf(t, 'AWS::Lambda::Function', 'Prober'), 'Arn'] };
      const byKind = Object.fromEntries(
        Object.values(t.findResources('AWS::Scheduler::Schedule')).map((r) => {
          const { kind, ...rest } = JSON.parse(r.Properties.Target.Input);
          return [kind, { ...r.Properties, rest }];
        }),
      );

      // Assess
      expect(Object.keys(byKind).sort(), region).toEqual(['sentinel', 'sweep']);
      const { sentinel, sweep } = byKind;
      expect(scheduleGap(sentinel.ScheduleExpression)).toBeLessThanOrEqual(5);
      expect(sweep.ScheduleExpression).toBe('rate(1 day)');
      for (const s of [sentinel, sweep]) {
        expect(s.rest).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
        expect(s.Target.Arn).toEqual(prober);
        expect(s.Target.RoleArn).toEqual({
          'Fn::GetAtt': [idOf(t, 'AWS::IAM::Role', 'ScheduleRole'), 'Arn'],
        });
        expect(s.Target.DeadLetterConfig).toEqual({
          Arn: { 'Fn::GetAtt': [idOf(t, 'AWS::SQS::Queue', 'ScheduleDeadLetterQueue'), 'Arn'] },
        });
      }
      // A missed sentinel tick is made up by the next one: no retry, dropped after one period.
      expect(sentinel.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 });
      expect(sweep.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
    }
  });

  it('lets a region publish nothing: no metric, no SNS message, no event, no key', () => {
    for (const region of REGIONS) {
      // Act
      const actions = statementsOf(regionT[region] as Template).flatMap(actionsOf);

      // Assess
      expect(actions.length, region).toBeGreaterThan(10);
      for (const forbidden of [/^cloudwatch:/, /^sns:/, /^events:/, /^kms:/])
        expect(
          actions.filter((a) => forbidden.test(a)),
          `${region} ${forbidden}`,
        ).toEqual([]);
    }
  });

  it("points each prober at the home table by name and region, granting today's store actions on its ARN", () => {
    for (const region of REGIONS) {
      // Act
      const t = regionT[region] as Template;
      const fn = Object.values(t.findResources('AWS::Lambda::Function'))[0]?.Properties;
      const table = statementsOf(t).find((s) => s.Sid === 'ResultsTable');

      // Assess
      expect(fn.Environment.Variables).toMatchObject({
        [ENV.tableName]: HOME_TABLE_NAME,
        [ENV.tableRegion]: 'us-west-2',
        [ENV.account]: { Ref: 'AWS::AccountId' },
      });
      expect(fn.Environment.Variables).not.toHaveProperty(ENV.topicArn);
      expect(fn.Environment.Variables).not.toHaveProperty(ENV.metricsNamespace);
      expect(table?.Action).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
      ]);
      expect(table?.Resource).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':dynamodb:us-west-2:',
            { Ref: 'AWS::AccountId' },
            `:table/${HOME_TABLE_NAME}`,
          ],
        ],
      });
    }
  });

  it('outputs where a region writes and how to start its first run', () => {
    // Act
    const t = regionT['eu-west-1'] as Template;
    const outputs = outputsOf(t);

    // Assess
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'DeadLetterQueueName',
        'FunctionName',
        'GuardrailId',
        'GuardrailVersion',
        'LogGroupName',
        'StartFirstRunCommand',
        'TableName',
        'TableRegion',
      ].sort(),
    );
    expect(outputs.TableName?.Value).toBe(HOME_TABLE_NAME);
    expect(outputs.TableRegion?.Value).toBe('us-west-2');
    expect(outputs.StartFirstRunCommand?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'aws lambda invoke --region eu-west-1 --function-name ',
          { Ref: idOf(t, 'AWS::Lambda::Function', 'Prober') },
          " --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{}' /dev/null",
        ],
      ],
    });
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding in any stack, and every acknowledgement has a reason', () => {
    for (const stack of app.node.children.filter((c): c is Stack => c instanceof Stack)) {
      // Act
      const report = new AwsSolutionsChecks(app).validateScope(stack);
      const acknowledgements = stack.node
        .findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
        .flatMap((m) => Object.entries(m.data as Record<string, string>))
        .map(([id, reason]) => ({ id, reason }));

      // Assess
      expect(report.violations, stack.stackName).toEqual([]);
      expect(report.success).toBe(true);
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const ack of acknowledgements) expect(ack.reason.length, ack.id).toBeGreaterThan(20);
    }
  });

  it('warns once, on the home stack, when no alarm e-mail is set', () => {
    // Prepare: the default app (one region, home = that region) without alarmEmails.
    const bare = buildApp(testApp());
    const warningsOf = (s: Stack) =>
      Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('No alarm e-mail is set'));

    // Act
    const stacks = bare.node.children.filter((c): c is Stack => c instanceof Stack);

    // Assess
    expect(stacks.map((s) => [s.stackName, s.region])).toEqual([
      [HOME_STACK_NAME, 'us-east-1'],
      [stackNameFor('us-east-1'), 'us-east-1'],
    ]);
    expect(warningsOf(stacks[0] as Stack)).toHaveLength(1);
    expect(warningsOf(stacks[1] as Stack)).toEqual([]);
    expect(warningsOf(home)).toEqual([]);
  });

  it('would report a finding the app did not acknowledge (the check is live)', () => {
    // Prepare
    const other = testApp();
    const bare = new Stack(other, 'Bare');
    new Queue(bare, 'Unencrypted', { encryption: QueueEncryption.UNENCRYPTED });

    // Act
    const report = new AwsSolutionsChecks(other).validateScope(bare);

    // Assess
    expect(report.success).toBe(false);
    expect(JSON.stringify(report.violations)).toContain('AwsSolutions-SQS');
  });
});
