import { Duration } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { HealthAlarmFactory, HealthAlarmSpec } from './alarm-factory';
import type { IProberMetrics } from './prober-metrics';

/** What the health alarms watch. */
export interface ProberAlarmInputs {
  readonly metrics: IProberMetrics;
  readonly function: IFunction;
  readonly deadLetterQueue: IQueue;
  /** Period of the prober's own metrics: the longest gap between two scheduled runs. */
  readonly schedulePeriod: Duration;
  /** Error rate (percent of the cells probed) above which a run counts as unhealthy. */
  readonly probeErrorRatePercent: number;
}

/** Construct id of each health alarm (stable: a new id would replace the alarm on deploy). */
export type ProberAlarmId =
  | 'noRecentRun'
  | 'probeErrorRate'
  | 'runPartial'
  | 'guardrailControl'
  | 'iamDenied'
  | 'runOverlap'
  | 'functionErrors'
  | 'functionThrottles'
  | 'scheduleDeadLetters';

/**
 * The health alarms, as data: the id, what each watches, what it means and what to do. Changes
 * are not alarmed: the prober's own alert is the one change mail. Order is the dashboard's.
 */
const alarmSpecs = (i: ProberAlarmInputs): ReadonlyArray<[ProberAlarmId, string, HealthAlarmSpec]> => {
  const period = i.schedulePeriod;
  const fiveMinutes = Duration.minutes(5);
  const threshold = i.probeErrorRatePercent;
  const m = i.metrics;
  return [
    [
      'noRecentRun',
      'NoRecentRunAlarm',
      {
        what: 'no-run',
        means: 'No prober run completed for two schedule periods (RunHeartbeat missing).',
        todo: 'Check the schedule, the dead-letter queue, the function errors and its log group. Expected right after the first deploy until the first run has finished.',
        metric: m.metricRunHeartbeat({ period }),
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.BREACHING,
      },
    ],
    [
      'probeErrorRate',
      'ProbeErrorRateAlarm',
      {
        what: 'error-rate',
        means: `More than ${threshold}% of the cells probed in a run ended in error (ProbeErrors / CellsProbed: 5xx, timeout, unparseable answer).`,
        todo: 'Check the AWS Health Dashboard for Bedrock in this region, then the log group for the failing cells and their evidence.',
        metric: m.metricProbeErrorRate({ period }),
        threshold,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      },
    ],
    [
      'runPartial',
      'RunPartialAlarm',
      {
        what: 'partial-run',
        means:
          'A run ended partial: it ran out of time budget or a step failed, so some cells were not probed.',
        todo: 'Read the run in the log group. If it hit the time budget, lower maxCalls or maxRunTokens, narrow includeModels, or lengthen the schedule.',
        metric: m.metricRunPartial({ period }),
      },
    ],
    [
      'guardrailControl',
      'GuardrailControlAlarm',
      {
        what: 'guardrail-control',
        means:
          'The probe Guardrail failed its own control: ApplyGuardrail did not block the canary, so no guardrail verdict of the run can be trusted.',
        todo: 'Check the guardrail and its pinned version (stack outputs GuardrailId, GuardrailVersion) in the Bedrock console and the control evidence in the log group.',
        metric: m.metricGuardrailControlFailed({ period }),
      },
    ],
    [
      'iamDenied',
      'IamDeniedAlarm',
      {
        what: 'iam-denied',
        means:
          "IAM refused a probe for the prober's own role (not the model's access state): a permission is missing.",
        todo: 'The evidence message names the missing action; compare it with lib/prober-calls.ts and redeploy. Models not yet subscribed need context subscribeModels=true.',
        metric: m.metricIamDenied({ period }),
      },
    ],
    [
      'runOverlap',
      'RunOverlapAlarm',
      {
        what: 'run-overlap',
        means:
          "An invocation found another run's lease and exited without probing: runs take longer than the schedule period.",
        todo: 'Lengthen the schedule, or shorten runs (maxCalls, includeModels). A manual invocation during a scheduled run also causes one.',
        metric: m.metricRunOverlap({ period }),
      },
    ],
    [
      'functionErrors',
      'FunctionErrorsAlarm',
      {
        what: 'function-errors',
        means:
          'The prober function failed (uncaught error, timeout, or a store/metrics/alert failure after everything savable was saved).',
        todo: 'Read the log group. If the run hit the timeout, lower maxCalls or narrow includeModels.',
        metric: i.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      },
    ],
    [
      'functionThrottles',
      'FunctionThrottlesAlarm',
      {
        what: 'function-throttles',
        means:
          "Lambda throttled the prober: the account's concurrency limit is exhausted in this region (or a reserved concurrency is).",
        todo: 'Check the account concurrency metrics; remove reservedConcurrency or ask for a higher Lambda concurrency quota.',
        metric: i.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
      },
    ],
    [
      'scheduleDeadLetters',
      'ScheduleDeadLettersAlarm',
      {
        what: 'dead-letters',
        means: 'EventBridge Scheduler could not start a run; the failed tick is in the dead-letter queue.',
        todo: 'Read the message attributes for the error (permissions, deleted function), fix it, then purge the queue.',
        metric: i.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: fiveMinutes,
          statistic: 'Maximum',
        }),
      },
    ],
  ];
};

/** Creates every health alarm with `factory`, keyed by {@link ProberAlarmId}. */
export const proberHealthAlarms = (
  factory: HealthAlarmFactory,
  inputs: ProberAlarmInputs,
): Readonly<Record<ProberAlarmId, Alarm>> =>
  Object.fromEntries(alarmSpecs(inputs).map(([key, id, spec]) => [key, factory.create(id, spec)])) as Record<
    ProberAlarmId,
    Alarm
  >;
