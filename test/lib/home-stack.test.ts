import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, HOME_METRICS, HOME_STACK_NAME, HOME_TABLE_NAME } from '../../lambda/shared/names';
import { RUNS_PK_PREFIX } from '../../lambda/shared/table-schema';
import { buildApp } from '../../lib/app';
import { staleAfterMinutes } from '../../lib/home-stack';
import { dashboardBody, testApp } from '../support/cdk';
import {
  actionsOf,
  countsOf,
  type FunctionProperties,
  idOf,
  outputsOf,
  resourcesOf,
  type Statement,
} from '../support/templates';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;

/** What the tests read of a dashboard widget. */
interface WidgetProperties {
  readonly params: Record<string, unknown>;
  readonly alarms: readonly unknown[];
}

describe('HomeStack: what exists once, in the home region', () => {
  // Prepare (shared): the app as `cdk synth -c regions=... -c home=us-west-2` builds it, unbundled,
  // with a 2-minute sentinel (the staleness threshold follows it).
  let home: Stack;
  let homeT: Template;
  beforeAll(() => {
    const app = buildApp(
      testApp({
        regions: REGIONS.join(','),
        home: 'us-west-2',
        alarmEmails: 'ops@example.com',
        sentinelSchedule: 'rate(2 minutes)',
      }),
    );
    home = app.node.findChild(HOME_STACK_NAME) as Stack;
    homeT = Template.fromStack(home);
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
      MaximumBatchingWindowInSeconds: 5,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [idOf(homeT, 'AWS::SQS::Queue', 'HomeStreamFailures'), 'Arn'] },
        },
      },
    });
    // Only a run-list item written with a drained outcome: a run that finished, not one starting or failed.
    expect(JSON.parse(mapping.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: {
        Keys: { pk: { S: [{ prefix: RUNS_PK_PREFIX }] } },
        NewImage: { outcome: { S: ['completed', 'partial'] } },
      },
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
      // 3 x the 2-minute sentinel + 5 minutes, whatever the daily sweep.
      [ENV.staleAfterMinutes]: '11',
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
    // Query the outbox and run lists, empty the outbox: the home never writes results.
    expect(byAction('dynamodb:Query')[0]?.Action).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
    expect(byAction('dynamodb:PutItem')).toEqual([]);
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
});

describe('staleAfterMinutes', () => {
  it.each([
    [1, 8],
    [5, 20],
    [60, 185],
  ])('flags a region whose %i-minute sentinel is silent for %i minutes', (sentinelMinutes, stale) => {
    // Act
    const minutes = staleAfterMinutes(sentinelMinutes);

    // Assess
    expect(minutes).toBe(stale);
  });
});
