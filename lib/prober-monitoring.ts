import { type Duration, Stack } from 'aws-cdk-lib';
import type { Alarm, Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HealthAlarmFactory } from './alarm-factory';
import { type ProberAlarmId, proberHealthAlarms } from './prober-alarms';
import { proberDashboard } from './prober-dashboard';
import type { IProberMetrics } from './prober-metrics';
import { checkNumber } from './props';

export { dashboardName } from './prober-dashboard';

export interface ProberMonitoringProps {
  /** The prober's metric helpers (the ProberFunction). */
  readonly metrics: IProberMetrics;
  readonly function: IFunction;
  /** The function's timeout, drawn on the run-duration graph. */
  readonly functionTimeout: Duration;
  /** Where health alarms notify, on ALARM and on OK (the ops topic). */
  readonly topic: ITopic;
  /** Longest gap between two scheduled runs; the heartbeat alarm allows two of them. */
  readonly schedulePeriod: Duration;
  /** Dead-letter queue of the schedule; any message in it means a run was never started. */
  readonly deadLetterQueue: IQueue;
  /**
   * Error rate (percent of the cells probed in a run that ended `error`, above 0 and at most
   * 100) above which a run counts as unhealthy.
   * @default 25
   */
  readonly probeErrorRatePercent?: number;
}

/**
 * Health alarms on what the prober publishes and on the function itself (lib/prober-alarms.ts),
 * and a dashboard with the matrix at a glance (lib/prober-dashboard.ts). It only composes.
 */
export class ProberMonitoring extends Construct {
  readonly alarms: Readonly<Record<ProberAlarmId, Alarm>>;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ProberMonitoringProps) {
    super(scope, id);
    checkNumber('ProberMonitoring', 'probeErrorRatePercent', props.probeErrorRatePercent, {
      min: 0,
      max: 100,
      aboveMin: true,
    });
    const region = Stack.of(this).region;
    const factory = new HealthAlarmFactory(this, region, new SnsAction(props.topic));
    this.alarms = proberHealthAlarms(factory, {
      metrics: props.metrics,
      function: props.function,
      deadLetterQueue: props.deadLetterQueue,
      schedulePeriod: props.schedulePeriod,
      probeErrorRatePercent: props.probeErrorRatePercent ?? 25,
    });
    this.dashboard = proberDashboard(this, 'Dashboard', {
      metrics: props.metrics,
      function: props.function,
      functionTimeout: props.functionTimeout,
      schedulePeriod: props.schedulePeriod,
      alarms: Object.values(this.alarms),
    });
  }
}
