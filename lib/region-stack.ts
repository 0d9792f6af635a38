import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { HOME_TABLE_NAME, STACK_OUTPUTS } from '../lambda/shared/names';
import type { MatrixConfig } from './config';
import { ProbeGuardrail } from './probe-guardrail';
import { ProberFunction, pickProberSettings } from './prober-function';
import { ProberSchedule } from './prober-schedule';

export { stackNameFor } from '../lambda/shared/names';

/**
 * A region stack's settings: the app's validated configuration, flat, minus what lives at home;
 * the stack's own region is `env.region`, `home` the region of the results table.
 */
export interface RegionStackProps
  extends StackProps,
    Omit<MatrixConfig, 'regions' | 'alarmEmails' | 'schedulePeriodMinutes'> {
  /**
   * Handler entry file of the prober.
   * @default lambda/index.ts of this repository
   */
  readonly proberEntry?: string;
}

/**
 * What must run in a probed region: the probe guardrail (a regional resource), the prober, its
 * schedule, log group and dead-letter queue. No table, topic, key, alarm or dashboard: the prober
 * writes to the table at home, and home notifies. It only composes.
 */
export class RegionStack extends Stack {
  readonly guardrail: ProbeGuardrail;
  readonly prober: ProberFunction;
  readonly schedule: ProberSchedule;

  constructor(scope: Construct, id: string, props: RegionStackProps) {
    super(scope, id, props);
    this.guardrail = new ProbeGuardrail(this, 'ProbeGuardrail', { canary: props.canary });
    this.prober = new ProberFunction(this, 'Prober', {
      ...pickProberSettings(props),
      subscribeModels: props.subscribeModels,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrency: props.reservedConcurrency }),
      tableRegion: props.home,
      guardrail: this.guardrail,
      ...(props.proberEntry === undefined ? {} : { entry: props.proberEntry }),
    });
    this.schedule = new ProberSchedule(this, 'Schedule', {
      target: this.prober.function,
      expression: props.schedule,
    });
    this.addOutputs(props.home);
  }

  private addOutputs(home: string): void {
    const region = this.region;
    const functionName = this.prober.function.functionName;
    const output = (id: string, value: string, description: string): void => {
      new CfnOutput(this, id, { value, description });
    };
    output(STACK_OUTPUTS.functionName, functionName, 'The prober Lambda function of this region');
    output('LogGroupName', this.prober.logGroup.logGroupName, "The prober's log group");
    output(
      STACK_OUTPUTS.tableName,
      HOME_TABLE_NAME,
      'Results table (in the home region, TableRegion); the CLI finds it with --stack',
    );
    output(STACK_OUTPUTS.tableRegion, home, 'Region of the results table (the home region)');
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
