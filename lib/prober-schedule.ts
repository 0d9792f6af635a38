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
import type { RunKind } from '../lambda/shared/names';
import { type ScheduleSetting, scheduleGap, schedulePeriod } from './config';
import { checkDuration, checkNumber, InvalidPropError } from './props';

/**
 * What a prober tick sends: its kind (lambda/handler.ts reads `event.kind`) and its scheduled time,
 * which names the run, so a retried delivery replays the same run id (the store writes it
 * idempotently).
 */
export const proberTickInput = (kind: Extract<RunKind, 'sweep' | 'sentinel'>): ScheduleTargetInput =>
  ScheduleTargetInput.fromObject({ kind, scheduledTime: ContextAttribute.scheduledTime });

/** One schedule of the target: its expression, what each tick sends, its retry limits. */
export interface TickProps {
  /** EventBridge Scheduler expression, `rate(...)` or a daily `cron(...)` (checked as `readConfig` does). */
  readonly expression: string;
  /**
   * The setting whose bounds the expression must keep (lib/config.ts SCHEDULE_BOUNDS), and the
   * name a bad expression is reported under.
   * @default 'schedule' (15 minutes to 1 day), unless `minimumPeriod` is set
   */
  readonly setting?: ScheduleSetting;
  /**
   * Shortest gap allowed between two ticks, for a schedule that is no setting (the home's watch);
   * replaces the setting's bounds.
   * @default - the bounds of `setting`
   */
  readonly minimumPeriod?: Duration;
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
   * What the schedule is for (its description).
   * @default 'start one prober run'
   */
  readonly purpose?: string;
}

export interface ProberScheduleProps extends TickProps {
  readonly target: IFunction;
  /**
   * What the role is for (its description), when it serves more schedules than the first.
   * @default - the first schedule's `purpose`
   */
  readonly rolePurpose?: string;
}

/**
 * EventBridge Scheduler invoking a function (a region's prober, or the home's watch), with bounded
 * retries and a dead-letter queue. More schedules of the same function ({@link addSchedule}) share
 * the role and the queue: no new permission, and one queue to watch.
 */
export class ProberSchedule extends Construct {
  /** The first schedule. */
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;
  /** The role the scheduler assumes to invoke the target and to dead-letter a tick. */
  readonly role: Role;
  private readonly target: IFunction;

  constructor(scope: Construct, id: string, props: ProberScheduleProps) {
    super(scope, id);
    checkTick(props);
    this.target = props.target;
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
      description: `bedrock-matrix: lets EventBridge Scheduler ${props.rolePurpose ?? props.purpose ?? DEFAULT_PURPOSE}`,
    });
    const fnDefault = props.target.node.defaultChild as CfnFunction | undefined;
    if (fnDefault) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fnDefault)}.Arn>:*]`,
        reason:
          'LambdaInvoke grants lambda:InvokeFunction on the target function and its versions/aliases only; the scheduler calls the unqualified function.',
      });
    }
    this.schedule = this.newSchedule('Schedule', props);
  }

  /** Another schedule of the same target, with the same role and dead-letter queue. */
  addSchedule(id: string, props: TickProps): Schedule {
    checkTick(props);
    return this.newSchedule(id, props);
  }

  private newSchedule(id: string, props: TickProps): Schedule {
    return new Schedule(this, id, {
      description: `bedrock-matrix: ${props.purpose ?? DEFAULT_PURPOSE}`,
      schedule: ScheduleExpression.expression(props.expression),
      target: new LambdaInvoke(this.target, {
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

const DEFAULT_PURPOSE = 'start one prober run';

/** Fails synthesis on an expression or limit the scheduler (or the setting's bounds) would refuse. */
const checkTick = (props: TickProps): void => {
  if (props.minimumPeriod === undefined) schedulePeriod(props.expression, props.setting ?? 'schedule');
  else if (scheduleGap(props.expression) < props.minimumPeriod.toMinutes())
    throw new InvalidPropError(
      'ProberSchedule',
      'expression',
      props.expression,
      `ticks more often than every ${props.minimumPeriod.toHumanString()}`,
    );
  checkNumber('ProberSchedule', 'retryAttempts', props.retryAttempts, { min: 0, max: 185 });
  checkDuration('ProberSchedule', 'maxEventAge', props.maxEventAge, Duration.minutes(1), Duration.hours(24));
};
