import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { publishAlert } from '../../../lambda/adapters/sns-alerts';
import { buildAlert } from '../../../lambda/core/alert-message';
import type { Change } from '../../../lambda/core/model';
import { accessLost } from '../../support/changes';
import { BEARER_PREFIX } from '../../support/planted-secrets';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:bedrock-matrix-alerts';
const AT = '2026-11-25T11:03:00.000Z';

const change = (message: string): Change => accessLost({ at: AT }, { message });
/** The alert of run `r1` in us-east-1 for one access-lost change with this evidence message. */
const alertFor = (message: string) =>
  buildAlert({ region: 'us-east-1', runId: 'r1', changes: [change(message)], at: AT });

describe('publishAlert', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
  });

  it('sends exactly one Publish with subject, JSON structure and filterable attributes', async () => {
    // Prepare
    const alert = alertFor('access denied');

    // Act
    const id = await publishAlert(new SNSClient({ region: 'us-east-1' }), TOPIC, alert);

    // Assess
    expect(id).toBe('msg-1');
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: 'bedrock-matrix: 1 change in us-east-1 (MEDIUM)',
      Message: alert.message,
      MessageStructure: 'json',
      MessageAttributes: {
        region: { DataType: 'String', StringValue: 'us-east-1' },
        severity: { DataType: 'String', StringValue: 'medium' },
        changeCount: { DataType: 'Number', StringValue: '1' },
      },
    });
    expect(JSON.parse(alert.message).default).toContain('supported -> no-access');
  });

  it('publishes one body per protocol: text for email, a Chatbot notification for https, JSON for sqs and lambda', async () => {
    // Prepare
    const alert = alertFor('access denied');

    // Act
    await publishAlert(new SNSClient({ region: 'us-east-1' }), TOPIC, alert);

    // Assess
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.MessageStructure).toBe('json');
    const bodies = JSON.parse(input.Message ?? '') as Record<string, string>;
    expect(Object.keys(bodies)).toEqual(['default', 'email', 'https', 'sqs', 'lambda']);
    expect(bodies.email).toBe(bodies.default);
    expect(bodies.email).toContain('[MEDIUM] openai.gpt-oss-120b mantle/chat/basic: supported -> no-access');
    expect(JSON.parse(bodies.https!)).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: '⚠️ bedrock-matrix: 1 change in us-east-1 (MEDIUM)',
        description: expect.stringContaining(
          '• *MEDIUM* `openai.gpt-oss-120b mantle/chat/basic: supported -> no-access`',
        ),
      },
      metadata: { threadId: 'bedrock-matrix-us-east-1', eventType: 'bedrock-matrix.changes' },
    });
    expect(JSON.parse(bodies.sqs!)).toMatchObject({ type: 'bedrock-matrix.changes', changeCount: 1 });
    expect(bodies.lambda).toBe(bodies.sqs);
  });

  it('never publishes a bearer token planted in evidence', async () => {
    // Prepare
    const secret = `${BEARER_PREFIX}c2VjcmV0LXRva2VuLXRoYXQtbXVzdC1uZXZlci1sZWFr`;
    const alert = alertFor(`bad token ${secret}`);

    // Act
    await publishAlert(new SNSClient({ region: 'us-east-1' }), TOPIC, alert);

    // Assess
    const sent = JSON.stringify(sns.commandCalls(PublishCommand)[0]!.args[0].input);
    expect(sent).not.toContain(secret);
    expect(sent).not.toContain('c2VjcmV0LXRva2Vu');
  });

  it('refuses a topic ARN that is not an SNS ARN, naming it, without calling SNS', async () => {
    // Prepare
    const alert = alertFor('x');

    // Act
    const publishing = publishAlert(new SNSClient({ region: 'us-east-1' }), 'bedrock-matrix-alerts', alert);

    // Assess
    await expect(publishing).rejects.toThrow(
      'alerts topic ARN is not an SNS topic ARN: "bedrock-matrix-alerts"',
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
