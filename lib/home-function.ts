import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAX_NOTICE_DAYS } from '../lambda/core/retirement';
import { ENV, HOME_METRICS, METRICS_NAMESPACE, TABLE, WATCH_PERIOD_MINUTES } from '../lambda/shared/names';
import { ORG_ENV, ORG_METRICS } from '../lambda/shared/org-names';
import { DRAINED_OUTCOMES, RUNS_PK_PREFIX } from '../lambda/shared/table-schema';
import { bundledFunctionProps, esmBundling, ownLogGroupAndRole, PROJECT_ROOT } from './bundled-function';
import { HOME_ONLY_KINDS, ORG_HOME_KINDS } from './prober-calls';
import { callStatements } from './prober-function';
import { ProberSchedule } from './prober-schedule';
import { checkDuration, checkNumber, checkSetting, InvalidPropError } from './props';

/**
 * The table actions of the home's notifier and watch (lambda/home/notifier.ts): Query the outbox and
 * the run lists, BatchWriteItem to empty the outbox. Nothing else: the home never writes results.
 */
export const HOME_TABLE_ACTIONS: readonly string[] = ['dynamodb:BatchWriteItem', 'dynamodb:Query'];

/** An organization home's settings for its function (docs/organization.md). */
export interface HomeFunctionOrgProps {
  /** The account that measures each target region's facts. */
  readonly probeAccounts: Readonly<Record<string, string>>;
  /** The target OU (or root) ids. */
  readonly organizationalUnitIds: readonly string[];
}

export interface HomeFunctionProps {
  /** The results table; its stream (new images) must be on. */
  readonly table: ITableV2;
  /** Where change alerts go (one message per finished run with changes, naming its region). */
  readonly topic: ITopic;
  /** The probed regions the watch checks and the alerts name. */
  readonly regions: readonly string[];
  /**
   * A region whose sentinel last wrote its heartbeat longer ago than this is stale
   * (`StaleRegions`); the home stack passes three sentinel periods plus 5 minutes.
   */
  readonly staleAfterMinutes: number;
  /** Days ahead a retirement notice is given. @default - the Lambda's default */
  readonly noticeDays?: number;
  /** Timeout of one call to DynamoDB, CloudWatch, SNS or EventBridge. @default - the Lambda's default */
  readonly dependencyTimeoutMs?: number;
  /**
   * How often the watch ticks: it drains what the stream missed and publishes the home series.
   * @default 'rate(5 minutes)'
   */
  readonly watchSchedule?: string;
  /**
   * Function timeout: a stream batch is at most 100 outbox items, one SNS message per region.
   * @default Duration.minutes(2)
   */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Handler entry file.
   * @default lambda/home/index.ts of this repository
   */
  readonly entry?: string;
  /**
   * Makes it an organization's home: it is told the probe accounts and the target OUs, and may
   * read account names and OUs from AWS Organizations.
   * @default - a single account's home
   */
  readonly org?: HomeFunctionOrgProps;
}

/**
 * The home function: notifies once per change (SNS, EventBridge, the home series) from the outbox
 * items the regions write, driven by the table's stream, and every few minutes watches that each
 * region still reports (`StaleRegions`, `FailingRegions`). It publishes the home series, so their
 * `metricXxx()` helpers are its own.
 */
export class HomeFunction extends Construct {
  readonly function: NodejsFunction;
  /** The function's timeout (a queue it reads sizes its visibility timeout from it). */
  readonly timeout: Duration;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly watch: ProberSchedule;
  /** Stream batches that failed every retry: their outbox items stay in the table for the watch. */
  readonly streamFailures: Queue;

  constructor(scope: Construct, id: string, props: HomeFunctionProps) {
    super(scope, id);
    validate(props);
    const stack = Stack.of(this);
    const { logGroup, role } = ownLogGroupAndRole(this, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      roleDescription: 'bedrock-matrix home: notifies changes from the outbox, watches the regions',
    });
    this.logGroup = logGroup;
    this.role = role;
    this.timeout = props.timeout ?? Duration.minutes(2);

    this.function = new NodejsFunction(this, 'Function', {
      ...bundledFunctionProps(props.entry ?? `${PROJECT_ROOT}lambda/home/index.ts`),
      role: this.role,
      logGroup,
      timeout: this.timeout,
      memorySize: props.memorySize ?? 256,
      // One at a time, so a stream batch and a watch tick never drain one region's outbox at once
      // (two drains would send the same alert twice).
      reservedConcurrentExecutions: 1,
      // A failed watch tick is retried by the next one five minutes later; a stream batch by its
      // mapping. A tick throttled behind a running batch waits at most until the next tick.
      retryAttempts: 0,
      maxEventAge: Duration.minutes(5),
      description: 'bedrock-matrix home: one alert per change, and the watch over every region',
      bundling: esmBundling({ minify: true }),
      environment: {
        [ENV.tableName]: props.table.tableName,
        [ENV.topicArn]: props.topic.topicArn,
        [ENV.metricsNamespace]: METRICS_NAMESPACE,
        [ENV.account]: stack.account,
        [ENV.regions]: props.regions.join(','),
        [ENV.staleAfterMinutes]: String(props.staleAfterMinutes),
        ...(props.dependencyTimeoutMs === undefined
          ? {}
          : { [ENV.dependencyTimeoutMs]: String(props.dependencyTimeoutMs) }),
        ...(props.noticeDays === undefined ? {} : { [ENV.noticeDays]: String(props.noticeDays) }),
        ...(props.org === undefined ? {} : orgEnvironment(props.org)),
      },
    });

    this.streamFailures = new Queue(this, 'StreamFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.streamFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the on-failure destination of the stream mapping.',
    });
    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        // A finished run is one record: waiting longer only delays the alert (issue 23's budget).
        maxBatchingWindow: Duration.seconds(5),
        bisectBatchOnError: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(this.streamFailures),
        // Only a run that finished (its run-list item written with a drained outcome) wakes the
        // function, as the prober itself alerted after its run before the home existed: a run
        // whose results did not fully reach home ends `failed` and leaves its changes for the next
        // run. Every other write (history, state, outbox, a run starting) is filtered out before
        // an invocation is billed.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: {
              Keys: { [TABLE.partitionKey]: { S: FilterRule.beginsWith(RUNS_PK_PREFIX) } },
              NewImage: { outcome: { S: FilterRule.or(...DRAINED_OUTCOMES) } },
            },
          }),
        ],
      }),
    );

    // Any event that is not a stream batch is a watch tick: the input carries nothing.
    this.watch = new ProberSchedule(this, 'Watch', {
      target: this.function,
      expression: props.watchSchedule ?? `rate(${WATCH_PERIOD_MINUTES} minutes)`,
      minimumPeriod: Duration.minutes(1),
      input: ScheduleTargetInput.fromObject({}),
      purpose: 'start one watch tick of the home function',
      // A missed tick is made up by the next one; a late one would only repeat it.
      retryAttempts: 0,
      maxEventAge: Duration.minutes(5),
    });

    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ResultsTable',
        effect: Effect.ALLOW,
        actions: [...HOME_TABLE_ACTIONS],
        resources: [props.table.tableArn],
      }),
    );
    for (const statement of callStatements(stack, { tableArn: props.table.tableArn }, (kind) =>
      HOME_ONLY_KINDS.has(kind),
    )) {
      this.role.addToPrincipalPolicy(statement);
    }
    if (props.org !== undefined) {
      for (const statement of callStatements(stack, { tableArn: props.table.tableArn }, (kind) =>
        ORG_HOME_KINDS.has(kind),
      )) {
        this.role.addToPrincipalPolicy(statement);
      }
    }
    // Publish plus the topic key's data-key actions, exactly what SNS needs for an encrypted topic.
    props.topic.grantPublish(this.role);
    this.acknowledgeFindings(props.org !== undefined);
  }

  /** `ConfirmedChanges`: changes the home notified, any kind. @default Sum over 5 minutes */
  metricConfirmedChanges(options?: MetricOptions): Metric {
    return this.metric(HOME_METRICS.confirmedChanges, 'Sum', options);
  }
  /** `GuardrailChanges`: of those, changes of `guardrail` cells. @default Sum over 5 minutes */
  metricGuardrailChanges(options?: MetricOptions): Metric {
    return this.metric(HOME_METRICS.guardrailChanges, 'Sum', options);
  }
  /** `StaleRegions`: probed regions whose last run is too old. @default Maximum over 5 minutes */
  metricStaleRegions(options?: MetricOptions): Metric {
    return this.metric(HOME_METRICS.staleRegions, 'Maximum', options);
  }
  /** `FailingRegions`: probed regions whose last run failed or ended partial. @default Maximum over 5 minutes */
  metricFailingRegions(options?: MetricOptions): Metric {
    return this.metric(HOME_METRICS.failingRegions, 'Maximum', options);
  }

  /** `StaleMembers` (an organization home): members whose last event is too old. @default Maximum over 5 minutes */
  metricStaleMembers(options?: MetricOptions): Metric {
    return this.metric(ORG_METRICS.staleMembers, 'Maximum', options);
  }

  private metric(metricName: string, statistic: string, options: MetricOptions = {}): Metric {
    // No dimensions: one series per deployment; the alert text names the region.
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      period: Duration.minutes(5),
      statistic,
      ...options,
    });
  }

  private acknowledgeFindings(org: boolean): void {
    const policy = this.role.node.tryFindChild('DefaultPolicy') ?? this.role;
    const ack = (finding: string, reason: string): void =>
      Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    ack(
      'Resource::*',
      `PutMetricData supports no resource-level permission; it is limited to the BedrockMatrix namespace by a cloudwatch:namespace condition.${
        org
          ? ' The Organizations reads (ListAccounts and the OU lookups) are read-only, and their narrower ARNs would name the management account, which this stack does not know.'
          : ''
      }`,
    );
    ack(
      'Action::kms:GenerateDataKey*',
      'Granted by Topic.grantPublish on the alerts topic key only: SNS needs a data key to encrypt each message.',
    );
  }
}

/** The variables of an organization home: `region=account` pairs and the OU list. */
const orgEnvironment = (org: HomeFunctionOrgProps): Record<string, string> => ({
  [ORG_ENV.probeAccounts]: Object.entries(org.probeAccounts)
    .map(([region, account]) => `${region}=${account}`)
    .join(','),
  [ORG_ENV.organizationalUnits]: org.organizationalUnitIds.join(','),
});

/** Fails synthesis on a prop the Lambda would reject, naming prop and value. */
const validate = (props: HomeFunctionProps): void => {
  if (props.regions.length === 0)
    throw new InvalidPropError('HomeFunction', 'regions', props.regions, 'names no region');
  checkSetting('HomeFunction', 'regions', props.regions);
  checkNumber('HomeFunction', 'staleAfterMinutes', props.staleAfterMinutes, { min: 1, max: 100_000 });
  checkNumber('HomeFunction', 'noticeDays', props.noticeDays, { min: 0, max: MAX_NOTICE_DAYS });
  checkSetting('HomeFunction', 'dependencyTimeoutMs', props.dependencyTimeoutMs);
  checkNumber('HomeFunction', 'memorySize', props.memorySize, { min: 128, max: 10_240 });
  checkDuration('HomeFunction', 'timeout', props.timeout, Duration.seconds(10), Duration.minutes(15));
};
