import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENDPOINT_APIS, ENDPOINTS, type Endpoint } from '../lambda/core/model';
import { DIMENSIONS, METRICS, METRICS_NAMESPACE } from '../lambda/shared/names';

export interface ProberMonitoringProps {
  readonly function: IFunction;
  /** The function's timeout, drawn on the run-duration graph. */
  readonly functionTimeout: Duration;
  readonly topic: ITopic;
  /** Longest gap between two scheduled runs; the heartbeat alarm allows two of them. */
  readonly schedulePeriod: Duration;
  /** Dead-letter queue of the schedule; any message in it means a run was never started. */
  readonly deadLetterQueue: IQueue;
  /**
   * Probe error rate (percent of probes sent) above which a run counts as unhealthy.
   * @default 25
   */
  readonly probeErrorRatePercent?: number;
}

/** Settings of one alarm made by {@link ProberMonitoring}'s factory. */
interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly metric: IMetric;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  readonly treatMissingData: TreatMissingData;
  readonly evaluationPeriods?: number;
}

/**
 * Alarms on what the prober publishes and on the function itself, all acting on the alerts
 * topic, and a dashboard showing the matrix at a glance.
 */
export class ProberMonitoring extends Construct {
  readonly alarms: Readonly<Record<string, Alarm>>;
  readonly dashboard: Dashboard;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: ProberMonitoringProps) {
    super(scope, id);
    this.region = Stack.of(this).region;
    const period = props.schedulePeriod;
    const action = new SnsAction(props.topic);
    const make = (spec: AlarmSpec): Alarm => {
      const alarm = new Alarm(this, spec.id, {
        alarmDescription: spec.description,
        metric: spec.metric,
        threshold: spec.threshold,
        comparisonOperator: spec.comparison,
        evaluationPeriods: spec.evaluationPeriods ?? 1,
        datapointsToAlarm: spec.evaluationPeriods ?? 1,
        treatMissingData: spec.treatMissingData,
      });
      alarm.addAlarmAction(action);
      return alarm;
    };

    const errorRate = new MathExpression({
      expression: '100 * errors / MAX([sent, 1])',
      usingMetrics: {
        errors: this.runMetric(METRICS.probeErrors, period),
        sent: this.runMetric(METRICS.probesSent, period),
      },
      period,
      label: 'Probe error rate (%)',
    });

    this.alarms = {
      capabilityChange: make({
        id: 'CapabilityChangeAlarm',
        description:
          'A confirmed capability change: a cell changed status or a model appeared/disappeared. See the SNS alert for details.',
        metric: this.runMetric(METRICS.confirmedChanges, Duration.minutes(5)),
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      guardrailChange: make({
        id: 'GuardrailChangeAlarm',
        description:
          'A confirmed change of guardrail enforcement (enforced <-> ignored) on some endpoint x api.',
        metric: this.runMetric(METRICS.guardrailChanges, Duration.minutes(5)),
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      noRecentRun: make({
        id: 'NoRecentRunAlarm',
        description: 'No completed prober run for two schedule periods: the prober stopped running.',
        metric: this.runMetric(METRICS.runHeartbeat, period),
        threshold: 1,
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.BREACHING,
      }),
      probeErrorRate: make({
        id: 'ProbeErrorRateAlarm',
        description: `More than ${props.probeErrorRatePercent ?? 25}% of the probes in a run ended in error (5xx, timeout, unparseable).`,
        metric: errorRate,
        threshold: props.probeErrorRatePercent ?? 25,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      functionErrors: make({
        id: 'FunctionErrorsAlarm',
        description: 'The prober function failed (uncaught error or timeout).',
        metric: props.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      functionThrottles: make({
        id: 'FunctionThrottlesAlarm',
        description:
          'The prober function was throttled: a run started while the previous one was still going.',
        metric: props.function.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      scheduleDeadLetters: make({
        id: 'ScheduleDeadLettersAlarm',
        description: 'The scheduler could not start a run; the failed tick is in the dead-letter queue.',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    };

    this.dashboard = this.buildDashboard(props, errorRate);
  }

  /** A run-level metric of the prober (dimension `Region` only). */
  private runMetric(metricName: string, period: Duration, statistic = 'Sum'): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { [DIMENSIONS.region]: this.region },
      period,
      statistic,
    });
  }

  /** One line per api of an endpoint: the per-cell aggregate `metricName`. */
  private cellMetrics(metricName: string, endpoint: Endpoint, period: Duration): Metric[] {
    return ENDPOINT_APIS[endpoint].map(
      (api) =>
        new Metric({
          namespace: METRICS_NAMESPACE,
          metricName,
          dimensionsMap: {
            [DIMENSIONS.region]: this.region,
            [DIMENSIONS.endpoint]: endpoint,
            [DIMENSIONS.api]: api,
          },
          period,
          statistic: 'Maximum',
          label: `${endpoint} ${api}`,
        }),
    );
  }

  private buildDashboard(props: ProberMonitoringProps, errorRate: MathExpression): Dashboard {
    const period = props.schedulePeriod;
    const stack = Stack.of(this);
    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `bedrock-matrix-${this.region}`,
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# bedrock-matrix ${this.region}\nSupported models per endpoint x api, guardrail enforcement, changes and prober health (stack ${stack.stackName}).`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      ...ENDPOINTS.map(
        (endpoint) =>
          new GraphWidget({
            title: `Supported models: ${endpoint}`,
            left: this.cellMetrics(METRICS.supportedModels, endpoint, period),
            width: 12,
          }),
      ),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Confirmed changes',
        left: [
          this.runMetric(METRICS.confirmedChanges, period),
          this.runMetric(METRICS.guardrailChanges, period),
        ],
        width: 12,
      }),
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: Object.values(this.alarms),
        width: 12,
      }),
    );
    dashboard.addWidgets(
      ...ENDPOINTS.map(
        (endpoint) =>
          new GraphWidget({
            title: `Guardrail enforced / ignored: ${endpoint}`,
            left: this.cellMetrics(METRICS.guardrailEnforced, endpoint, period),
            right: this.cellMetrics(METRICS.guardrailIgnored, endpoint, period),
            width: 12,
          }),
      ),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Probe errors and throttles',
        left: [
          this.runMetric(METRICS.probeErrors, period),
          this.runMetric(METRICS.probeThrottles, period),
          props.function.metricErrors({ period, statistic: 'Sum' }),
          props.function.metricThrottles({ period, statistic: 'Sum' }),
        ],
        right: [errorRate],
        width: 12,
      }),
      new GraphWidget({
        title: 'Run duration vs timeout (ms)',
        left: [
          this.runMetric(METRICS.runDuration, period, 'Maximum'),
          props.function.metricDuration({ period, statistic: 'Maximum' }),
        ],
        leftAnnotations: [{ value: props.functionTimeout.toMilliseconds(), label: 'Function timeout' }],
        width: 12,
      }),
    );
    return dashboard;
  }
}
