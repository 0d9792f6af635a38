import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduleGap, schedulePeriod } from './config';
import { checkDuration, checkNumber, InvalidPropError } from './props';

export interface ProberScheduleProps {
  readonly target: IFunction;
  /** EventBridge Scheduler expression, `rate(...)` or a daily `cron(...)` (checked as `readConfig` does). */
  readonly expression: string;
  /**
   * Delivery retries of one tick. Scheduler's default (185 retries over 24 h) would replay
   * stale runs long after the next tick. 0 to 185.
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * Age after which an undelivered tick is dropped into the dead-letter queue, 1 minute to 24 hours.
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
  /**
   * What each tick sends the target.
   * @default `{ scheduledTime }`: the scheduled time names the prober's run
   */
  readonly input?: ScheduleTargetInput;
  /**
   * What the schedule and its role are for.
   * @default 'start one prober run'
   */
  readonly purpose?: string;
  /**
   * Shortest gap allowed between two ticks. Unset, the expression is checked as the `schedule`
   * setting is (15 minutes to 1 day, as `readConfig` does).
   * @default - the `schedule` setting's bounds
   */
  readonly minimumPeriod?: Duration;
}

/**
 * EventBridge Scheduler invoking a function (a region's prober, or the home's watch), with bounded
 * retries and a dead-letter queue.
 */
export class ProberSchedule extends Construct {
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;
  /** The role the scheduler assumes to invoke the prober and to dead-letter a tick. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ProberScheduleProps) {
    super(scope, id);
    if (props.minimumPeriod === undefined) schedulePeriod(props.expression);
    else if (scheduleGap(props.expression) < props.minimumPeriod.toMinutes())
      throw new InvalidPropError(
        'ProberSchedule',
        'expression',
        props.expression,
        `ticks more often than every ${props.minimumPeriod.toHumanString()}`,
      );
    checkNumber('ProberSchedule', 'retryAttempts', props.retryAttempts, { min: 0, max: 185 });
    checkDuration(
      'ProberSchedule',
      'maxEventAge',
      props.maxEventAge,
      Duration.minutes(1),
      Duration.hours(24),
    );
    const purpose = props.purpose ?? 'start one prober run';
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of a schedule.',
    });
    const stack = Stack.of(this);
    // Own role (instead of the stack-level singleton the target would create) so its trust is
    // pinned to this account's default schedule group and its findings are acknowledged here.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
      description: `bedrock-matrix: lets EventBridge Scheduler ${purpose}`,
    });
    const fnDefault = props.target.node.defaultChild as CfnFunction | undefined;
    if (fnDefault) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fnDefault)}.Arn>:*]`,
        reason:
          'LambdaInvoke grants lambda:InvokeFunction on the target function and its versions/aliases only; the scheduler calls the unqualified function.',
      });
    }
    this.schedule = new Schedule(this, 'Schedule', {
      description: `bedrock-matrix: ${purpose}`,
      schedule: ScheduleExpression.expression(props.expression),
      target: new LambdaInvoke(props.target, {
        role: this.role,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.retryAttempts ?? 2,
        maxEventAge: props.maxEventAge ?? Duration.hours(1),
        // The scheduled time names the run: a retried delivery replays the same run id, which the
        // store writes idempotently (see lambda/handler.ts).
        input:
          props.input ?? ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
      }),
    });
  }
}
