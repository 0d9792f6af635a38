import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  type ISynthesisSession,
  Validations,
} from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  INBOX_BATCH,
  MEMBER_EVENT_SOURCE,
  MEMBER_STACK_SET_NAME,
  ORG_BUS_NAME,
} from '../../lambda/shared/org-names';
import type { OrgConfig } from './org-config';

/** The file in the cloud assembly holding the StackSet's member template, for people to read. */
export const MEMBER_TEMPLATE_FILE = `${MEMBER_STACK_SET_NAME}.member.template.json`;

/** Receives of one inbox message before it goes to the dead-letter queue. */
const INBOX_MAX_RECEIVES = 100;

/** What the organization parts of the home are built from. */
export interface OrgHomeProps {
  readonly config: Pick<OrgConfig, 'organizationId' | 'targets' | 'callAs'>;
  /** The member stack's synthesized template (lib/org/member-stack.ts). */
  readonly memberTemplate: Record<string, unknown>;
  /** The home function, which stores what members send (read from the inbox in batches). */
  readonly homeFunction: { readonly function: IFunction; readonly timeout: Duration };
}

/**
 * The organization's side of the home: the bus members send to (only principals of the
 * organization may put events on it), the rule that hands their events to the home function, and
 * the service-managed StackSet that puts the member stack in every account of the target OUs, in
 * every target region, including accounts that join later.
 */
export class OrgHome extends Construct {
  readonly bus: EventBus;
  readonly rule: Rule;
  /** Member events wait here for the home function (batches of INBOX_BATCH). */
  readonly inbox: Queue;
  readonly deadLetterQueue: Queue;
  readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: OrgHomeProps) {
    super(scope, id);
    const { organizationId, targets, callAs } = props.config;
    this.bus = new EventBus(this, 'Bus', { eventBusName: ORG_BUS_NAME });
    this.bus.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OrganizationPutsEvents',
        effect: Effect.ALLOW,
        principals: [new AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
      }),
    );

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the member events: of the rule, and of the home inbox.',
    });
    // An inbox between the bus and the home function: the function runs one at a time (reserved
    // concurrency 1), and Lambda's asynchronous queue would drop an event that waited past its
    // maximum age behind a burst (every member's first facts after a deployment). A queue keeps
    // each event until the function took it, and hands them over in batches.
    this.inbox = new Queue(this, 'Inbox', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // Twice the function's timeout: a batch is never handed to a second invocation while the
      // first still holds it, and a throttled one is offered again within minutes (alerts wait
      // for it); Lambda's 6x advice is for functions that may run many at once.
      visibilityTimeout: Duration.seconds(props.homeFunction.timeout.toSeconds() * 2),
      // The function runs one at a time and Lambda reads with at least two pollers, so about half
      // the receives of a busy hour are throttled and count here: a hundred before an event is
      // given up (each throttle is a coin toss; the daily snapshots heal even that).
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: INBOX_MAX_RECEIVES },
    });
    this.rule = new Rule(this, 'MemberEvents', {
      eventBus: this.bus,
      description: 'bedrock-matrix: puts every member event in the home inbox',
      eventPattern: { source: [MEMBER_EVENT_SOURCE] },
      targets: [
        new SqsQueue(this.inbox, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    props.homeFunction.function.addEventSource(
      new SqsEventSource(this.inbox, {
        batchSize: INBOX_BATCH,
        maxBatchingWindow: Duration.seconds(10),
        reportBatchItemFailures: true,
        // The fewest Lambda allows: the home function itself runs one at a time (reserved
        // concurrency 1), so facts of one account are never merged by two invocations at once.
        maxConcurrency: 2,
      }),
    );

    this.stackSet = new CfnStackSet(this, 'Members', {
      stackSetName: MEMBER_STACK_SET_NAME,
      description: 'bedrock-matrix member: account facts of every account and region, sent to the home',
      permissionModel: 'SERVICE_MANAGED',
      // New accounts in a target OU get the member stack with nothing to run; a leaving one loses it.
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs,
      // The member creates roles without names.
      capabilities: ['CAPABILITY_IAM'],
      // Operations queue behind each other instead of failing while one runs.
      managedExecution: { Active: true },
      // Regions in parallel; at most a tenth of a region's accounts may fail before that region
      // stops. Automatic deployment ignores these (cloudformation-coverage-roadmap #1429).
      operationPreferences: {
        regionConcurrencyType: 'PARALLEL',
        concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
      },
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...targets.organizationalUnitIds] },
          regions: [...targets.regions],
        },
      ],
      templateBody: JSON.stringify(props.memberTemplate),
    });

    new CfnOutput(this, 'OrgBusArn', {
      value: this.bus.eventBusArn,
      description: 'The organization bus members send their events to',
    });
    new CfnOutput(this, 'MemberStackSetName', {
      value: MEMBER_STACK_SET_NAME,
      description: 'The StackSet of the member stacks (aws cloudformation list-stack-instances)',
    });
  }
}

/**
 * The home's synthesizer: the default one, which also writes the member template into the cloud
 * assembly beside the stacks' templates, so a user reads what the StackSet deploys.
 */
export class OrgHomeSynthesizer extends DefaultStackSynthesizer {
  constructor(private readonly memberTemplate: Record<string, unknown>) {
    super();
  }

  override synthesize(session: ISynthesisSession): void {
    super.synthesize(session);
    writeFileSync(
      join(session.assembly.outdir, MEMBER_TEMPLATE_FILE),
      `${JSON.stringify(this.memberTemplate, null, 1)}\n`,
    );
  }
}
