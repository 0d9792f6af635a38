import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AlertsTopic, type AlertsTopicProps } from '../../lib/alerts-topic';
import { testApp } from '../support/cdk';

const synth = (emails: readonly string[], more: Partial<AlertsTopicProps> = {}): Template => {
  const stack = new Stack(testApp(), 'Test', { env: { region: 'us-east-1', account: '111122223333' } });
  new AlertsTopic(stack, 'Alerts', { emails, ...more });
  return Template.fromStack(stack);
};

const scoped = {
  StringEquals: { 'aws:SourceAccount': '111122223333' },
  ArnLike: {
    'aws:SourceArn': {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':cloudwatch:us-east-1:111122223333:alarm:bedrock-matrix-us-east-1-*',
        ],
      ],
    },
  },
};

describe('AlertsTopic', () => {
  it('encrypts with a rotating customer-managed key', () => {
    // Act
    const template = synth([]);

    // Assess
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('lets this region’s bedrock-matrix alarms of this account publish, keeping the TLS deny', () => {
    // Act
    const template = synth([], {
      alarmNamePattern: 'bedrock-matrix-us-east-1-*',
      topicName: 'bedrock-matrix-us-east-1-ops',
    });

    // Assess
    const topic = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          {
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic,
            Condition: scoped,
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: scoped,
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'bedrock-matrix-us-east-1-ops' });
  });

  it('gives CloudWatch nothing on a topic that takes no alarms', () => {
    // Act
    const template = synth([]);

    // Assess
    expect(JSON.stringify(template.toJSON())).not.toContain('cloudwatch.amazonaws.com');
  });

  it('denies publishing without TLS', () => {
    // Prepare
    const emails: string[] = [];

    // Act
    const template = synth(emails);

    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('subscribes every configured e-mail address and none when the list is empty', () => {
    // Prepare
    const emails = ['ops@example.com', 'oncall@example.org'];

    // Act
    const withEmails = synth(emails);
    const without = synth([]);

    // Assess
    withEmails.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const email of emails) {
      withEmails.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email });
    }
    without.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
