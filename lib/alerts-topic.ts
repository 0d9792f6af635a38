import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlertsTopicProps {
  /**
   * E-mail addresses to subscribe (each must confirm the subscription mail).
   * @default - no subscription
   */
  readonly emails?: readonly string[];
  /**
   * Display name shown as the sender of e-mail alerts.
   * @default 'bedrock-matrix'
   */
  readonly displayName?: string;
}

/**
 * The topic alarms and the prober publish to: TLS enforced and encrypted with a customer-managed
 * key, because CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key.
 */
export class AlertsTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AlertsTopicProps = {}) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `bedrock-matrix alerts topic key (${Stack.of(this).stackName})`,
      enableKeyRotation: true,
      // Nothing is stored under this key; messages in flight are its only ciphertext.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: props.displayName ?? 'bedrock-matrix',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new EmailSubscription(email));
    }
  }
}
