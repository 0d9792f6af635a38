import { Aws, Duration, Validations } from 'aws-cdk-lib';
import { type CfnRule, EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MEMBER_EVENT_SOURCE, ORG_BUS_NAME } from '../../lambda/shared/org-names';

export interface MemberForwarderProps {
  readonly homeAccount: string;
  readonly homeRegion: string;
}

/** The organization home's bus as a member names it (no reference crosses accounts). */
export const orgBusArn = (homeAccount: string, homeRegion: string): string =>
  `arn:${Aws.PARTITION}:events:${homeRegion}:${homeAccount}:event-bus/${ORG_BUS_NAME}`;

/** EventBridge's longest retry of a target: a day (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html). */
const MAX_EVENT_AGE = Duration.hours(24);
const MAX_RETRY_ATTEMPTS = 185;

/**
 * The member's way home: a rule on this account's default bus that forwards the member's own
 * events (`source` MEMBER_EVENT_SOURCE) to the organization's bus at home, across accounts and
 * regions, with a role allowed PutEvents on that one bus. A delivery that fails for a day lands in
 * a dead-letter queue here; the member's next state-based event repeats what it held anyway.
 */
export class MemberForwarder extends Construct {
  readonly rule: Rule;
  readonly role: Role;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: MemberForwarderProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the rule that forwards member events home.',
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      description: 'bedrock-matrix member: lets EventBridge forward member events to the organization bus',
    });
    const bus = EventBus.fromEventBusArn(this, 'OrgBus', orgBusArn(props.homeAccount, props.homeRegion));
    this.rule = new Rule(this, 'ToHome', {
      description: 'bedrock-matrix member: forwards the member events to the organization bus at home',
      eventPattern: { source: [MEMBER_EVENT_SOURCE] },
      // The target grants the role events:PutEvents on exactly the org bus's ARN.
      targets: [new EventBusTarget(bus, { role: this.role, deadLetterQueue: this.deadLetterQueue })],
    });
    // The EventBus target has no retry props (aws/aws-cdk#28735); CloudFormation takes them on any
    // target. Explicit, so a home outage of up to a day is made up, not dropped.
    const cfnRule = this.rule.node.defaultChild as CfnRule;
    cfnRule.addPropertyOverride('Targets.0.RetryPolicy', {
      MaximumEventAgeInSeconds: MAX_EVENT_AGE.toSeconds(),
      MaximumRetryAttempts: MAX_RETRY_ATTEMPTS,
    });
  }
}
