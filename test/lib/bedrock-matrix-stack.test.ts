import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { BedrockMatrixStack, stackNameFor } from '../../lib/bedrock-matrix-stack';
import { readConfig } from '../../lib/config';
import { testApp } from '../support/cdk';

describe('BedrockMatrixStack', () => {
  // Prepare (shared): one full stack, configured through context like `cdk synth -c` would.
  const app = testApp({ regions: 'eu-west-1', alarmEmails: 'ops@example.com', schedule: 'rate(30 minutes)' });
  const config = readConfig(app);
  const stack = new BedrockMatrixStack(app, stackNameFor('eu-west-1'), {
    env: { region: 'eu-west-1' },
    ...config,
  });
  const template = Template.fromStack(stack);

  it('composes guardrail, table, function, schedule, topic, alarms and dashboard', () => {
    // Act
    const counts: Record<string, number> = {};
    for (const r of Object.values(template.toJSON().Resources as Record<string, { Type: string }>)) {
      counts[r.Type] = (counts[r.Type] ?? 0) + 1;
    }

    // Assess
    expect(counts).toMatchObject({
      'AWS::Bedrock::Guardrail': 1,
      'AWS::Bedrock::GuardrailVersion': 1,
      'AWS::DynamoDB::GlobalTable': 1,
      'AWS::Lambda::Function': 2, // the prober and the dashboard widget
      'AWS::Scheduler::Schedule': 1,
      'AWS::SQS::Queue': 1,
      'AWS::SNS::Topic': 2,
      'AWS::SNS::Subscription': 2,
      'AWS::KMS::Key': 1,
      'AWS::CloudWatch::Alarm': 9,
      'AWS::CloudWatch::Dashboard': 1,
    });
  });

  it('hands the pinned guardrail version and its id to the prober', () => {
    // Act
    const env = Object.values(template.findResources('AWS::Lambda::Function'))[0]?.Properties.Environment
      .Variables;
    const guardrailId = Object.keys(template.findResources('AWS::Bedrock::Guardrail'))[0];
    const versionId = Object.keys(template.findResources('AWS::Bedrock::GuardrailVersion'))[0];

    // Assess
    expect(env.BEDROCK_MATRIX_GUARDRAIL_ID).toEqual({ 'Fn::GetAtt': [guardrailId, 'GuardrailId'] });
    expect(env.BEDROCK_MATRIX_GUARDRAIL_VERSION).toEqual({ 'Fn::GetAtt': [versionId, 'Version'] });
  });

  it('sends change mail and health alarms to separate topics; only ops takes alarms', () => {
    // Act
    const topics = template.findResources('AWS::SNS::Topic');
    const idOf = (name: string) =>
      Object.entries(topics).find(([, t]) => t.Properties.TopicName === name)?.[0] ?? 'missing';
    const alerts = idOf('bedrock-matrix-eu-west-1-alerts');
    const ops = idOf('bedrock-matrix-eu-west-1-ops');
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const env = Object.values(template.findResources('AWS::Lambda::Function'))[0]?.Properties.Environment
      .Variables;

    // Assess
    expect(env.BEDROCK_MATRIX_TOPIC_ARN).toEqual({ Ref: alerts });
    for (const alarm of alarms) expect(alarm.Properties.OKActions).toEqual([{ Ref: ops }]);
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    const allowing = policies.filter((p) => JSON.stringify(p).includes('cloudwatch.amazonaws.com'));
    expect(allowing.map((p) => p.Properties.Topics)).toEqual([[{ Ref: ops }]]);
  });

  it('lets every alarm of the stack publish to ops: each name matches the SourceArn pattern', () => {
    // Act
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.AlarmName as string,
    );
    const policy = JSON.stringify(template.findResources('AWS::SNS::TopicPolicy'));
    const pattern = /:alarm:(bedrock-matrix-eu-west-1-)\*/.exec(policy)?.[1];

    // Assess
    expect(pattern).toBe('bedrock-matrix-eu-west-1-');
    for (const name of names) expect(name.startsWith(pattern ?? '?'), name).toBe(true);
  });

  it('sets no reserved concurrency by default', () => {
    // Act
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0]?.Properties;

    // Assess
    expect(fn).not.toHaveProperty('ReservedConcurrentExecutions');
  });

  it('outputs what a user needs after deploy, including a command to start the first run', () => {
    // Act
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const fnId = Object.keys(template.findResources('AWS::Lambda::Function'))[0];

    // Assess
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'DashboardUrl',
        'DeadLetterQueueName',
        'FunctionName',
        'GuardrailId',
        'GuardrailVersion',
        'LogGroupName',
        'OpsTopicArn',
        'OpsTopicName',
        'StartFirstRunCommand',
        'TableName',
        'TopicArn',
        'TopicName',
        'WidgetFunctionName',
      ].sort(),
    );
    const idOf = (type: string, prefix: string) =>
      Object.keys(template.findResources(type)).find((id) => id.startsWith(prefix));
    expect(outputs.TableName?.Value).toEqual({ Ref: idOf('AWS::DynamoDB::GlobalTable', 'Results') });
    expect(outputs.TopicName?.Value).toEqual({
      'Fn::GetAtt': [idOf('AWS::SNS::Topic', 'AlertsTopic'), 'TopicName'],
    });
    expect(outputs.OpsTopicName?.Value).toEqual({
      'Fn::GetAtt': [idOf('AWS::SNS::Topic', 'OpsTopic'), 'TopicName'],
    });
    expect(outputs.WidgetFunctionName?.Value).toEqual({ Ref: idOf('AWS::Lambda::Function', 'MatrixWidget') });
    expect(outputs.DashboardUrl?.Value).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/bedrock-matrix-eu-west-1',
    );
    expect(outputs.StartFirstRunCommand?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'aws lambda invoke --region eu-west-1 --function-name ',
          { Ref: fnId },
          " --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{}' /dev/null",
        ],
      ],
    });
  });

  it('warns at synth only when no alarm e-mail is set', () => {
    // Prepare: the same stack without alarmEmails, unbundled (the warning needs no Lambda code).
    const bare = testApp({ regions: 'eu-west-1' });
    const silent = new BedrockMatrixStack(bare, stackNameFor('eu-west-1'), {
      env: { region: 'eu-west-1' },
      ...readConfig(bare),
    });

    // Act
    const warningsOf = (s: Stack) =>
      Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('No alarm e-mail is set'));

    // Assess
    expect(warningsOf(silent)).toHaveLength(1);
    expect(JSON.stringify(warningsOf(silent))).toContain('-c alarmEmails=');
    expect(warningsOf(stack)).toEqual([]);
  });

  it('sizes the heartbeat alarm from the configured schedule', () => {
    // Act + Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RunHeartbeat',
      Period: 1800,
      EvaluationPeriods: 2,
      TreatMissingData: 'breaching',
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(30 minutes)' });
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding, and every acknowledgement has a reason', () => {
    // Act
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    const acknowledgements = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ id, reason }));

    // Assess
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) expect(ack.reason.length, ack.id).toBeGreaterThan(20);
  });

  it('would report a finding the stack did not acknowledge (the check is live)', () => {
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
