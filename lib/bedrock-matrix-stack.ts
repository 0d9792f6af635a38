import { Annotations, CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { STACK_OUTPUTS } from '../lambda/shared/names';
import { alarmName } from './alarm-factory';
import { AlertsTopic } from './alerts-topic';
import type { MatrixConfig } from './config';
import { MatrixWidget } from './matrix-widget';
import { ProbeGuardrail } from './probe-guardrail';
import { ProberFunction, pickProberSettings } from './prober-function';
import { dashboardName, ProberMonitoring } from './prober-monitoring';
import { ProberSchedule } from './prober-schedule';
import { ResultsTable } from './results-table';

/**
 * The stack's settings are the app's validated configuration (`readConfig`), flat, minus the
 * list of regions: the stack's own region is `env.region`.
 */
export interface BedrockMatrixStackProps extends StackProps, Omit<MatrixConfig, 'regions'> {
  /**
   * Handler entry file of the prober.
   * @default lambda/index.ts of this repository
   */
  readonly proberEntry?: string;
}

export { stackNameFor } from '../lambda/shared/names';

/** The monitoring stack of one region. It only composes; each construct owns its settings. */
export class BedrockMatrixStack extends Stack {
  readonly guardrail: ProbeGuardrail;
  readonly results: ResultsTable;
  /** The prober's change alerts: one message per run with confirmed changes. */
  readonly alerts: AlertsTopic;
  /** Health alarms (ALARM and OK); the only topic CloudWatch may publish to. */
  readonly ops: AlertsTopic;
  readonly prober: ProberFunction;
  readonly schedule: ProberSchedule;
  readonly monitoring: ProberMonitoring;
  readonly widget: MatrixWidget;

  constructor(scope: Construct, id: string, props: BedrockMatrixStackProps) {
    super(scope, id, props);
    const region = this.region;

    this.guardrail = new ProbeGuardrail(this, 'ProbeGuardrail', { canary: props.canary });
    this.results = new ResultsTable(this, 'Results');
    // Two topics, so change mail and health pages can go to different people or filters; one key.
    this.alerts = new AlertsTopic(this, 'Alerts', {
      emails: props.alarmEmails,
      topicName: `bedrock-matrix-${region}-alerts`,
      displayName: 'bedrock-matrix changes',
    });
    if (props.alarmEmails.length === 0) {
      // Without an address the topics have no subscriber: alerts and alarms reach nobody.
      Annotations.of(this).addWarningV2(
        'bedrock-matrix:noAlarmEmails',
        'No alarm e-mail is set: the alerts and ops topics get no subscriber, so change alerts and health alarms reach nobody. Deploy with -c alarmEmails=you@example.com (comma list), or subscribe to the TopicArn and OpsTopicArn outputs yourself.',
      );
    }
    this.ops = new AlertsTopic(this, 'Ops', {
      emails: props.alarmEmails,
      topicName: `bedrock-matrix-${region}-ops`,
      displayName: 'bedrock-matrix health',
      key: this.alerts.key,
      alarmNamePattern: alarmName(region, '*'),
    });
    this.prober = new ProberFunction(this, 'Prober', {
      ...pickProberSettings(props),
      subscribeModels: props.subscribeModels,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrency: props.reservedConcurrency }),
      table: this.results.table,
      topic: this.alerts.topic,
      guardrail: this.guardrail,
      ...(props.proberEntry === undefined ? {} : { entry: props.proberEntry }),
    });
    this.schedule = new ProberSchedule(this, 'Schedule', {
      target: this.prober.function,
      expression: props.schedule,
    });
    this.monitoring = new ProberMonitoring(this, 'Monitoring', {
      metrics: this.prober,
      function: this.prober.function,
      functionTimeout: this.prober.timeout,
      topic: this.ops.topic,
      schedulePeriod: Duration.minutes(props.schedulePeriodMinutes),
      deadLetterQueue: this.schedule.deadLetterQueue,
    });
    // The live matrix itself on the same dashboard, read from the table (read-only).
    this.widget = new MatrixWidget(this, 'MatrixWidget', {
      table: this.results.table,
      dashboard: this.monitoring.dashboard,
      noticeDays: props.noticeDays,
    });
    this.addOutputs();
  }

  private addOutputs(): void {
    const region = this.region;
    const functionName = this.prober.function.functionName;
    const output = (id: string, value: string, description: string): void => {
      new CfnOutput(this, id, { value, description });
    };
    output(
      'DashboardUrl',
      `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboardName(region)}`,
      'CloudWatch dashboard of this region',
    );
    output(STACK_OUTPUTS.functionName, functionName, 'The prober Lambda function');
    output('LogGroupName', this.prober.logGroup.logGroupName, "The prober's log group");
    output(
      STACK_OUTPUTS.tableName,
      this.results.table.tableName,
      'Results table (retained when the stack is deleted); the CLI finds it with --stack',
    );
    output(
      STACK_OUTPUTS.topicArn,
      this.alerts.topic.topicArn,
      'Change alerts topic (the prober publishes here)',
    );
    output(STACK_OUTPUTS.topicName, this.alerts.topic.topicName, 'Change alerts topic name');
    output(STACK_OUTPUTS.opsTopicArn, this.ops.topic.topicArn, 'Health alarms topic (ALARM and OK)');
    output(STACK_OUTPUTS.opsTopicName, this.ops.topic.topicName, 'Health alarms topic name');
    output(
      STACK_OUTPUTS.widgetFunctionName,
      this.widget.function.functionName,
      'Dashboard widget function: a dashboard viewer needs lambda:InvokeFunction on it',
    );
    output(
      'DeadLetterQueueName',
      this.schedule.deadLetterQueue.queueName,
      'Dead-letter queue of the schedule',
    );
    output('GuardrailId', this.guardrail.guardrailId, 'The probe Guardrail');
    output('GuardrailVersion', this.guardrail.guardrailVersion, "The probe Guardrail's pinned version");
    output(
      'StartFirstRunCommand',
      Fn.join('', [
        `aws lambda invoke --region ${region} --function-name `,
        functionName,
        " --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{}' /dev/null",
      ]),
      'Starts a run now instead of waiting for the schedule',
    );
  }
}
