import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { checkNumber, InvalidPropError } from './props';

/** Stable alarm name: `bedrock-matrix-<scope>-<what>` (the home stack's scope is `home`). */
export const alarmName = (scope: string, what: string): string => `bedrock-matrix-${scope}-${what}`;

/** Settings of one health alarm. */
export interface HealthAlarmSpec {
  /** Short kebab-case name; the alarm is `bedrock-matrix-<scope>-<what>`. */
  readonly what: string;
  /** What the alarm means. */
  readonly means: string;
  /** What to do about it (runbook text, shown in the notification). */
  readonly todo: string;
  readonly metric: IMetric;
  /**
   * Fires at or above this value.
   * @default 1
   */
  readonly threshold?: number;
  /**
   * @default ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
   */
  readonly comparison?: ComparisonOperator;
  /**
   * Missing data is not a breach unless the metric's absence is the problem (heartbeat).
   * @default TreatMissingData.NOT_BREACHING
   */
  readonly treatMissingData?: TreatMissingData;
  /**
   * Periods evaluated (1 to 100), all of which must breach.
   * @default 1
   */
  readonly evaluationPeriods?: number;
}

/**
 * Makes the alarms of one scope (`home`) that notify `action` on ALARM and on OK, so whoever was
 * paged also learns when it is over (the pattern of cdklabs/cdk-monitoring-constructs).
 */
export class HealthAlarmFactory {
  constructor(
    private readonly scope: Construct,
    private readonly namePrefix: string,
    private readonly action: IAlarmAction,
  ) {}

  create(id: string, spec: HealthAlarmSpec): Alarm {
    // The name is the alarm's identity in the ops topic's SourceArn pattern: kebab-case only.
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(spec.what)) {
      throw new InvalidPropError('HealthAlarmFactory', 'what', spec.what, 'is not a kebab-case name');
    }
    checkNumber('HealthAlarmFactory', 'evaluationPeriods', spec.evaluationPeriods, { min: 1, max: 100 });
    const periods = spec.evaluationPeriods ?? 1;
    const alarm = new Alarm(this.scope, id, {
      alarmName: alarmName(this.namePrefix, spec.what),
      alarmDescription: `${spec.means} What to do: ${spec.todo}`,
      metric: spec.metric,
      threshold: spec.threshold ?? 1,
      comparisonOperator: spec.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}
