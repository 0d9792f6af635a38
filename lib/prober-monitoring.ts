import { Duration, Stack } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
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
import { HealthAlarmFactory, runMetric } from './alarm-factory';

export interface ProberMonitoringProps {
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
   * Error rate (percent of the cells probed in a run that ended `error`) above which a run
   * counts as unhealthy.
   * @default 25
   */
  readonly probeErrorRatePercent?: number;
}

/** Name of the dashboard of `region`. */
export const dashboardName = (region: string): string => `bedrock-matrix-${region}`;

/**
 * Health alarms on what the prober publishes and on the function itself, and a dashboard with
 * the matrix at a glance. Changes are not alarmed: the prober's own alert is the one change mail.
 */
export class ProberMonitoring extends Construct {
  readonly alarms: Readonly<Record<string, Alarm>>;
  readonly dashboard: Dashboard;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: ProberMonitoringProps) {
    super(scope, id);
    this.region = Stack.of(this).region;
    const period = props.schedulePeriod;
    const fiveMinutes = Duration.minutes(5);
    const threshold = props.probeErrorRatePercent ?? 25;
    const alarms = new HealthAlarmFactory(this, this.region, new SnsAction(props.topic));
    const run = (name: string, statistic = 'Sum', label?: string): Metric =>
      runMetric(this.region, name, period, statistic, label);

    const errorRate = new MathExpression({
      expression: '100 * errors / MAX([probed, 1])',
      usingMetrics: { errors: run(METRICS.probeErrors), probed: run(METRICS.cellsProbed) },
      period,
      label: 'error rate (% of cells probed)',
    });

    this.alarms = {
      noRecentRun: alarms.create('NoRecentRunAlarm', {
        what: 'no-run',
        means: 'No prober run completed for two schedule periods (RunHeartbeat missing).',
        todo: 'Check the schedule, the dead-letter queue, the function errors and its log group. Expected right after the first deploy until the first run has finished.',
        metric: run(METRICS.runHeartbeat),
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.BREACHING,
      }),
      probeErrorRate: alarms.create('ProbeErrorRateAlarm', {
        what: 'error-rate',
        means: `More than ${threshold}% of the cells probed in a run ended in error (ProbeErrors / CellsProbed: 5xx, timeout, unparseable answer).`,
        todo: 'Check the AWS Health Dashboard for Bedrock in this region, then the log group for the failing cells and their evidence.',
        metric: errorRate,
        threshold,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
      runPartial: alarms.create('RunPartialAlarm', {
        what: 'partial-run',
        means:
          'A run ended partial: it ran out of time budget or a step failed, so some cells were not probed.',
        todo: 'Read the run in the log group. If it hit the time budget, lower maxCalls or maxRunTokens, narrow includeModels, or lengthen the schedule.',
        metric: run(METRICS.runPartial, 'Maximum'),
      }),
      guardrailControl: alarms.create('GuardrailControlAlarm', {
        what: 'guardrail-control',
        means:
          'The probe Guardrail failed its own control: ApplyGuardrail did not block the canary, so no guardrail verdict of the run can be trusted.',
        todo: 'Check the guardrail and its pinned version (stack outputs GuardrailId, GuardrailVersion) in the Bedrock console and the control evidence in the log group.',
        metric: run(METRICS.guardrailControlFailed, 'Maximum'),
      }),
      iamDenied: alarms.create('IamDeniedAlarm', {
        what: 'iam-denied',
        means:
          "IAM refused a probe for the prober's own role (not the model's access state): a permission is missing.",
        todo: 'The evidence message names the missing action; compare it with lib/prober-calls.ts and redeploy. Models not yet subscribed need context subscribeModels=true.',
        metric: run(METRICS.iamDenied),
      }),
      runOverlap: alarms.create('RunOverlapAlarm', {
        what: 'run-overlap',
        means:
          "An invocation found another run's lease and exited without probing: runs take longer than the schedule period.",
        todo: 'Lengthen the schedule, or shorten runs (maxCalls, includeModels). A manual invocation during a scheduled run also causes one.',
        metric: run(METRICS.runOverlap),
      }),
      functionErrors: alarms.create('FunctionErrorsAlarm', {
        what: 'function-errors',
        means:
          'The prober function failed (uncaught error, timeout, or a store/metrics/alert failure after everything savable was saved).',
        todo: 'Read the log group. If the run hit the timeout, lower maxCalls or narrow includeModels.',
        metric: props.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      }),
      functionThrottles: alarms.create('FunctionThrottlesAlarm', {
        what: 'function-throttles',
        means:
          "Lambda throttled the prober: the account's concurrency limit is exhausted in this region (or a reserved concurrency is).",
        todo: 'Check the account concurrency metrics; remove reservedConcurrency or ask for a higher Lambda concurrency quota.',
        metric: props.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
      }),
      scheduleDeadLetters: alarms.create('ScheduleDeadLettersAlarm', {
        what: 'dead-letters',
        means: 'EventBridge Scheduler could not start a run; the failed tick is in the dead-letter queue.',
        todo: 'Read the message attributes for the error (permissions, deleted function), fix it, then purge the queue.',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: fiveMinutes,
          statistic: 'Maximum',
        }),
      }),
    };

    this.dashboard = this.buildDashboard(props, errorRate);
  }

  /** One line per api of an endpoint: the per-cell aggregate `metricName`, labelled `suffix`. */
  private cellMetrics(metricName: string, endpoint: Endpoint, period: Duration, suffix = ''): Metric[] {
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
          label: `${endpoint} ${api}${suffix}`,
        }),
    );
  }

  private buildDashboard(props: ProberMonitoringProps, errorRate: MathExpression): Dashboard {
    const period = props.schedulePeriod;
    const stack = Stack.of(this);
    const run = (name: string, label: string, statistic = 'Sum'): Metric =>
      runMetric(this.region, name, period, statistic, label);
    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: dashboardName(this.region),
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
          run(METRICS.confirmedChanges, 'cell and model changes'),
          run(METRICS.guardrailChanges, 'guardrail changes'),
        ],
        width: 12,
      }),
      new AlarmStatusWidget({ title: 'Health alarms', alarms: Object.values(this.alarms), width: 12 }),
    );
    dashboard.addWidgets(
      ...ENDPOINTS.map(
        (endpoint) =>
          new GraphWidget({
            title: `Guardrail enforced / ignored: ${endpoint}`,
            left: this.cellMetrics(METRICS.guardrailEnforced, endpoint, period, ' enforced'),
            right: this.cellMetrics(METRICS.guardrailIgnored, endpoint, period, ' ignored'),
            width: 12,
          }),
      ),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Probe errors and throttles',
        left: [
          run(METRICS.cellsProbed, 'cells probed'),
          run(METRICS.probeErrors, 'cells in error'),
          run(METRICS.probeThrottles, 'cells throttled'),
          props.function.metricErrors({ period, statistic: 'Sum', label: 'function errors' }),
          props.function.metricThrottles({ period, statistic: 'Sum', label: 'function throttles' }),
        ],
        right: [errorRate],
        width: 12,
      }),
      new GraphWidget({
        title: 'Run health',
        left: [
          run(METRICS.runPartial, 'partial runs', 'Maximum'),
          run(METRICS.runOverlap, 'overlapping runs skipped'),
          run(METRICS.guardrailControlFailed, 'guardrail control failed', 'Maximum'),
          run(METRICS.iamDenied, 'cells denied by IAM'),
          run(METRICS.endpointAbsent, 'endpoints absent', 'Maximum'),
        ],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Run duration vs timeout (ms)',
        left: [
          run(METRICS.runDuration, 'run duration (prober)', 'Maximum'),
          props.function.metricDuration({ period, statistic: 'Maximum', label: 'function duration' }),
        ],
        leftAnnotations: [{ value: props.functionTimeout.toMilliseconds(), label: 'function timeout' }],
        width: 12,
      }),
    );
    return dashboard;
  }
}
