import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlertsTopic } from './alerts-topic';
import type { MatrixConfig } from './config';
import { MatrixWidget } from './matrix-widget';
import { ProbeGuardrail } from './probe-guardrail';
import { ProberFunction } from './prober-function';
import { ProberMonitoring } from './prober-monitoring';
import { ProberSchedule } from './prober-schedule';
import { ResultsTable } from './results-table';

export interface BedrockMatrixStackProps extends StackProps {
  /** The validated app configuration (see `readConfig`). */
  readonly config: MatrixConfig;
  /**
   * Handler entry file of the prober.
   * @default lambda/index.ts of this repository
   */
  readonly proberEntry?: string;
}

/** Stack name of the monitoring stack of one region. */
export const stackNameFor = (region: string): string => `BedrockMatrix-${region}`;

/** The monitoring stack of one region. It only composes; each construct owns its settings. */
export class BedrockMatrixStack extends Stack {
  readonly guardrail: ProbeGuardrail;
  readonly results: ResultsTable;
  readonly alerts: AlertsTopic;
  readonly prober: ProberFunction;
  readonly schedule: ProberSchedule;
  readonly monitoring: ProberMonitoring;

  constructor(scope: Construct, id: string, props: BedrockMatrixStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.guardrail = new ProbeGuardrail(this, 'ProbeGuardrail', { canary: config.canary });
    this.results = new ResultsTable(this, 'Results');
    this.alerts = new AlertsTopic(this, 'Alerts', { emails: config.alarmEmails });
    this.prober = new ProberFunction(this, 'Prober', {
      settings: config,
      table: this.results.table,
      topic: this.alerts.topic,
      guardrail: this.guardrail,
      ...(props.proberEntry === undefined ? {} : { entry: props.proberEntry }),
    });
    this.schedule = new ProberSchedule(this, 'Schedule', {
      target: this.prober.function,
      expression: config.schedule,
    });
    this.monitoring = new ProberMonitoring(this, 'Monitoring', {
      function: this.prober.function,
      functionTimeout: this.prober.timeout,
      topic: this.alerts.topic,
      schedulePeriod: Duration.minutes(config.schedulePeriodMinutes),
      deadLetterQueue: this.schedule.deadLetterQueue,
    });

    new MatrixWidget(this, 'MatrixWidget', {
      table: this.results.table,
      dashboard: this.monitoring.dashboard,
    });

    new CfnOutput(this, 'TableName', { value: this.results.table.tableName });
    new CfnOutput(this, 'TopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'FunctionName', { value: this.prober.function.functionName });
    new CfnOutput(this, 'GuardrailId', { value: this.guardrail.guardrailId });
    new CfnOutput(this, 'GuardrailVersion', { value: this.guardrail.guardrailVersion });
  }
}
