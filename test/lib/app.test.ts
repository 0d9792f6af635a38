import { type App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, HOME_METRICS, HOME_STACK_NAME, HOME_TABLE_NAME, stackNameFor } from '../../lambda/shared/names';
import { OUTBOX_PK_PREFIX } from '../../lambda/shared/table-schema';
import { buildApp } from '../../lib/app';
import { dashboardBody, testApp } from '../support/cdk';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
type Statement = { Action: string | string[]; Resource: unknown; Sid?: string; Condition?: unknown };

const resourcesOf = (t: Template): Resources => t.toJSON().Resources as Resources;
const countsOf = (t: Template): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const r of Object.values(resourcesOf(t))) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
};
const statementsOf = (t: Template): Statement[] =>
  Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Statement[],
  );
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const outputsOf = (t: Template) => t.toJSON().Outputs as Record<string, { Value: unknown }>;
const idOf = (t: Template, type: string, prefix: string) =>
  Object.keys(t.findResources(type)).find((id) => id.startsWith(prefix)) ?? `no ${type} ${prefix}*`;

/** What the tests read of a dashboard widget. */
interface WidgetProperties {
  readonly params: Record<string, unknown>;
  readonly alarms: readonly unknown[];
  readonly endpoint?: unknown;
}

/** What the tests read of a function resource. */
interface FunctionProperties {
  readonly ReservedConcurrentExecutions?: number;
  readonly Environment: { readonly Variables: Record<string, unknown> };
}

describe('the app: one home stack and a region stack per probed region', () => {
  // Prepare (shared): the app as `cdk synth -c regions=... -c home=us-west-2` builds it, unbundled.
  let app: App;
  let home: Stack;
  let homeT: Template;
  let regionT: Record<string, Template>;
  beforeAll(() => {
    app = buildApp(
      testApp({ regions: REGIONS.join(','), home: 'us-west-2', alarmEmails: 'ops@example.com' }),
    );
    home = app.node.findChild(HOME_STACK_NAME) as Stack;
    homeT = Template.fromStack(home);
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
        'AWS::Scheduler::Schedule': 1,
        'AWS::SQS::Queue': 1,
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

  it('holds at home what exists once: one table with its stream, one key for both topics, two functions, one dashboard', () => {
    // Act
    const counts = countsOf(homeT);

    // Assess
    expect(counts).toMatchObject({
      'AWS::DynamoDB::GlobalTable': 1,
      'AWS::KMS::Key': 1,
      'AWS::SNS::Topic': 2,
      'AWS::SNS::Subscription': 2,
      'AWS::Lambda::Function': 2, // the home function and the widget
      'AWS::Lambda::EventSourceMapping': 1,
      'AWS::Scheduler::Schedule': 1,
      'AWS::CloudWatch::Alarm': 5,
      'AWS::CloudWatch::Dashboard': 1,
    });
    expect(counts['AWS::Bedrock::Guardrail']).toBeUndefined();
    homeT.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: HOME_TABLE_NAME,
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
    homeT.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    const key = idOf(homeT, 'AWS::KMS::Key', 'Alerts');
    for (const topic of Object.values(homeT.findResources('AWS::SNS::Topic')))
      expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key, 'Arn'] });
  });

  it('wakes the home function for new outbox items only, in batches, with bounded retries and a failure queue', () => {
    // Act
    const mapping = Object.values(homeT.findResources('AWS::Lambda::EventSourceMapping'))[0]?.Properties;

    // Assess
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [idOf(homeT, 'AWS::DynamoDB::GlobalTable', 'Results'), 'StreamArn'] },
      FunctionName: { Ref: idOf(homeT, 'AWS::Lambda::Function', 'HomeFunction') },
      StartingPosition: 'LATEST',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 30,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [idOf(homeT, 'AWS::SQS::Queue', 'HomeStreamFailures'), 'Arn'] },
        },
      },
    });
    expect(JSON.parse(mapping.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT'],
      dynamodb: { Keys: { pk: { S: [{ prefix: OUTBOX_PK_PREFIX }] } } },
    });
    homeT.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
    });
  });

  it('runs the home function one at a time, ticked every 5 minutes with an empty watch event', () => {
    // Act
    const fnId = idOf(homeT, 'AWS::Lambda::Function', 'HomeFunction');
    const fn = resourcesOf(homeT)[fnId]?.Properties as unknown as FunctionProperties;
    const schedule = Object.values(homeT.findResources('AWS::Scheduler::Schedule'))[0]?.Properties;

    // Assess
    expect(fn.ReservedConcurrentExecutions).toBe(1);
    expect(fn.Environment.Variables).toMatchObject({
      [ENV.tableName]: { Ref: idOf(homeT, 'AWS::DynamoDB::GlobalTable', 'Results') },
      [ENV.topicArn]: { Ref: idOf(homeT, 'AWS::SNS::Topic', 'AlertsTopic') },
      [ENV.metricsNamespace]: 'BedrockMatrix',
      [ENV.regions]: REGIONS.join(','),
      // 2 x 1 day + the prober's 10 minutes.
      [ENV.staleAfterMinutes]: '2890',
      [ENV.noticeDays]: '30',
      [ENV.dependencyTimeoutMs]: '10000',
    });
    homeT.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
    });
    expect(schedule.ScheduleExpression).toBe('rate(5 minutes)');
    expect(schedule.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(JSON.parse(schedule.Target.Input)).toEqual({});
  });

  it('lets the home function notify: publish on the alerts topic, events on its own default bus, metrics in its namespace', () => {
    // Act
    const role = idOf(homeT, 'AWS::IAM::Role', 'HomeRole');
    const policy = Object.values(homeT.findResources('AWS::IAM::Policy')).find(
      (p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role }]),
    );
    const statements = (policy?.Properties.PolicyDocument.Statement ?? []) as Statement[];
    const byAction = (action: string) => statements.filter((s) => actionsOf(s).includes(action));

    // Assess
    expect(byAction('dynamodb:UpdateItem')[0]?.Action).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(byAction('sns:Publish').map((s) => s.Resource)).toEqual([
      { Ref: idOf(homeT, 'AWS::SNS::Topic', 'AlertsTopic') },
    ]);
    expect(byAction('cloudwatch:PutMetricData')[0]?.Condition).toEqual({
      StringEquals: { 'cloudwatch:namespace': 'BedrockMatrix' },
    });
    expect(JSON.stringify(byAction('events:PutEvents')[0]?.Resource)).toContain(':events:us-west-2:');
    expect(byAction('kms:GenerateDataKey*').map((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [idOf(homeT, 'AWS::KMS::Key', 'Alerts'), 'Arn'] },
    ]);
  });

  it('alarms on the home series without dimensions, and on the home function, to the ops topic only', () => {
    // Act
    const alarms = Object.values(homeT.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const byName = Object.fromEntries(alarms.map((a) => [a.AlarmName as string, a]));
    const ops = idOf(homeT, 'AWS::SNS::Topic', 'OpsTopic');

    // Assess
    expect(Object.keys(byName).sort()).toEqual(
      [
        'bedrock-matrix-home-drift',
        'bedrock-matrix-home-failing-regions',
        'bedrock-matrix-home-function-errors',
        'bedrock-matrix-home-guardrail-changes',
        'bedrock-matrix-home-stale-regions',
      ].sort(),
    );
    const onSeries = (name: string, metric: string) =>
      expect(byName[name], name).toMatchObject({
        Namespace: 'BedrockMatrix',
        MetricName: metric,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    onSeries('bedrock-matrix-home-drift', HOME_METRICS.confirmedChanges);
    onSeries('bedrock-matrix-home-guardrail-changes', HOME_METRICS.guardrailChanges);
    onSeries('bedrock-matrix-home-stale-regions', HOME_METRICS.staleRegions);
    onSeries('bedrock-matrix-home-failing-regions', HOME_METRICS.failingRegions);
    expect(byName['bedrock-matrix-home-stale-regions']?.TreatMissingData).toBe('breaching');
    expect(byName['bedrock-matrix-home-drift']?.TreatMissingData).toBe('notBreaching');
    expect(byName['bedrock-matrix-home-function-errors']).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
    });
    for (const a of alarms) {
      if (a.Namespace === 'BedrockMatrix') expect(a.Dimensions, a.AlarmName as string).toBeUndefined();
      expect(a.AlarmActions).toEqual([{ Ref: ops }]);
      expect(a.OKActions).toEqual([{ Ref: ops }]);
      expect(a.AlarmDescription).toMatch(/\. What to do: .+/);
    }
    // The ops topic lets exactly these alarms publish.
    expect(JSON.stringify(homeT.findResources('AWS::SNS::TopicPolicy'))).toContain(
      ':alarm:bedrock-matrix-home-*',
    );
  });

  it('draws one dashboard: the rollout on top, the alarms, the changes, then a matrix per region', () => {
    // Act
    const board = Object.values(homeT.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties;
    const { widgets } = dashboardBody<{ widgets: { type: string; properties: WidgetProperties }[] }>(
      home,
      board.DashboardBody,
    );
    const shown = widgets
      .filter((w) => w.type !== 'text')
      .map((w) =>
        w.type === 'alarm'
          ? `alarms ${w.properties.alarms.length}`
          : [w.properties.params.view, w.properties.params.region].filter(Boolean).join(' '),
      );

    // Assess
    expect(board.DashboardName).toBe('bedrock-matrix');
    expect(shown).toEqual(['rollout', 'alarms 5', 'changes', ...REGIONS.map((r) => `matrix ${r}`)]);
  });

  it('tells the widget which account and regions to show', () => {
    // Act
    const fn = resourcesOf(homeT)[idOf(homeT, 'AWS::Lambda::Function', 'MatrixWidget')]
      ?.Properties as unknown as FunctionProperties;

    // Assess
    expect(fn.Environment.Variables).toEqual({
      [ENV.tableName]: { Ref: idOf(homeT, 'AWS::DynamoDB::GlobalTable', 'Results') },
      [ENV.account]: { Ref: 'AWS::AccountId' },
      [ENV.regions]: REGIONS.join(','),
    });
  });

  it('outputs the table with its region, the topics, both functions and the dashboard', () => {
    // Act
    const outputs = outputsOf(homeT);

    // Assess
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'DashboardUrl',
        'HomeFunctionName',
        'OpsTopicArn',
        'OpsTopicName',
        'TableName',
        'TableRegion',
        'TopicArn',
        'TopicName',
        'WidgetFunctionName',
      ].sort(),
    );
    expect(outputs.TableName?.Value).toEqual({ Ref: idOf(homeT, 'AWS::DynamoDB::GlobalTable', 'Results') });
    expect(outputs.TableRegion?.Value).toBe('us-west-2');
    expect(outputs.DashboardUrl?.Value).toBe(
      'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#dashboards/dashboard/bedrock-matrix',
    );
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
