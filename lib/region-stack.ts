import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { HOME_TABLE_NAME, STACK_OUTPUTS } from '../lambda/shared/names';
import { type MatrixConfig, scheduleGap } from './config';
import { ProbeGuardrail } from './probe-guardrail';
import { ProberFunction, pickProberSettings } from './prober-function';
import { ProberSchedule, proberTickInput } from './prober-schedule';

export { stackNameFor } from '../lambda/shared/names';

/**
 * A region stack's settings: the app's validated configuration, flat, minus what lives at home;
 * the stack's own region is `env.region`, `home` the region of the results table.
 */
export interface RegionStackProps
  extends StackProps,
    Omit<MatrixConfig, 'regions' | 'alarmEmails' | 'sentinelPeriodMinutes'> {
  /**
   * Handler entry file of the prober.
   * @default lambda/index.ts of this repository
   */
  readonly proberEntry?: string;
}

/**
 * What must run in a probed region: the probe guardrail (a regional resource), the prober, its
 * two schedules (the full sweep and the sentinel, which reads the free catalogs every few minutes
 * and starts a targeted run when they changed), log group and dead-letter queue. No table, topic,
 * key, alarm or dashboard: the prober writes to the table at home, and home notifies. It only
 * composes.
 */
export class RegionStack extends Stack {
  readonly guardrail: ProbeGuardrail;
  readonly prober: ProberFunction;
  /** The full sweep's schedule, its role and dead-letter queue (the sentinel's too). */
  readonly schedule: ProberSchedule;
  /** The sentinel's schedule: the same prober, role and dead-letter queue. */
  readonly sentinel: Schedule;

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
      input: proberTickInput('sweep'),
      purpose: 'start one full sweep of the prober',
      rolePurpose: 'start the prober: the full sweep and the sentinel ticks',
    });
    const sentinelMinutes = scheduleGap(props.sentinelSchedule, 'sentinelSchedule');
    this.sentinel = this.schedule.addSchedule('Sentinel', {
      expression: props.sentinelSchedule,
      setting: 'sentinelSchedule',
      input: proberTickInput('sentinel'),
      purpose: 'start one sentinel tick of the prober (read the catalogs, run the changed models)',
      // A missed tick is made up by the next one; a late one would only repeat it.
      retryAttempts: 0,
      maxEventAge: Duration.minutes(Math.min(Math.max(sentinelMinutes, 1), 24 * 60)),
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
      'Dead-letter queue of both schedules (the full sweep and the sentinel)',
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
