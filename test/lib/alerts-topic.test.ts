import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { AlertsTopic } from '../../lib/alerts-topic';

const synth = (emails: readonly string[]): Template => {
  const stack = new Stack(new App(), 'Test', { env: { region: 'us-east-1' } });
  new AlertsTopic(stack, 'Alerts', { emails });
  return Template.fromStack(stack);
};

describe('AlertsTopic', () => {
  it('encrypts with a rotating customer-managed key that CloudWatch alarms may use', () => {
    // Prepare
    const emails: string[] = [];

    // Act
    const template = synth(emails);

    // Assess
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
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
