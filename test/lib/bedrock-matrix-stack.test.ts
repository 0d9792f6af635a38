import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { BedrockMatrixStack, stackNameFor } from '../../lib/bedrock-matrix-stack';
import { readConfig } from '../../lib/config';

describe('BedrockMatrixStack', () => {
  // Prepare (shared): one full stack, configured through context like `cdk synth -c` would.
  const app = new App({
    context: { regions: 'eu-west-1', alarmEmails: 'ops@example.com', schedule: 'rate(30 minutes)' },
  });
  const config = readConfig(app);
  const stack = new BedrockMatrixStack(app, stackNameFor('eu-west-1'), {
    env: { region: 'eu-west-1' },
    config,
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
      'AWS::SNS::Topic': 1,
      'AWS::SNS::Subscription': 1,
      'AWS::KMS::Key': 1,
      'AWS::CloudWatch::Alarm': 7,
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
    const other = new App();
    const bare = new Stack(other, 'Bare');
    new Queue(bare, 'Unencrypted', { encryption: QueueEncryption.UNENCRYPTED });

    // Act
    const report = new AwsSolutionsChecks(other).validateScope(bare);

    // Assess
    expect(report.success).toBe(false);
    expect(JSON.stringify(report.violations)).toContain('AwsSolutions-SQS');
  });
});
