import { Duration, Stack } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  type Metric,
  type MetricOptions,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { type Api, ENDPOINT_APIS, ENDPOINTS, type Endpoint } from '../lambda/core/model';
import type { IProberMetrics } from './prober-metrics';

/** Name of the dashboard of `region`. */
export const dashboardName = (region: string): string => `bedrock-matrix-${region}`;

/** What the dashboard draws. */
export interface ProberDashboardInputs {
  readonly metrics: IProberMetrics;
  readonly function: IFunction;
  /** The function's timeout, drawn on the run-duration graph. */
  readonly functionTimeout: Duration;
  /** Period of every graph: the longest gap between two scheduled runs. */
  readonly schedulePeriod: Duration;
  readonly alarms: readonly Alarm[];
}

type CellMetric = (endpoint: Endpoint, api: Api, options?: MetricOptions) => Metric;

/** A half-width graph, the dashboard's unit. */
const graph = (title: string, left: IMetric[], more: { right?: IMetric[]; timeout?: Duration } = {}) =>
  new GraphWidget({
    title,
    left,
    ...(more.right ? { right: more.right } : {}),
    ...(more.timeout
      ? { leftAnnotations: [{ value: more.timeout.toMilliseconds(), label: 'function timeout' }] }
      : {}),
    width: 12,
  });

/**
 * The dashboard `bedrock-matrix-<region>`: the matrix at a glance (supported models and guardrail
 * verdicts per endpoint x api), changes, per-run counts and health, duration and alarm states.
 * One row per `addWidgets`, so a new graph added to a row moves no other widget.
 */
export const proberDashboard = (scope: Construct, id: string, inputs: ProberDashboardInputs): Dashboard => {
  const stack = Stack.of(scope);
  const region = stack.region;
  const period = inputs.schedulePeriod;
  const m = inputs.metrics;
  const fn = inputs.function;
  const labelled = (label: string): MetricOptions => ({ period, label });
  /** One line per api of an endpoint, labelled `<endpoint> <api><suffix>`. */
  const cells = (metric: CellMetric, endpoint: Endpoint, suffix = ''): Metric[] =>
    ENDPOINT_APIS[endpoint].map((api) =>
      metric(endpoint, api, { period, label: `${endpoint} ${api}${suffix}` }),
    );

  const dashboard = new Dashboard(scope, id, {
    dashboardName: dashboardName(region),
    defaultInterval: Duration.days(7),
  });
  dashboard.addWidgets(
    new TextWidget({
      markdown: `# bedrock-matrix ${region}\nSupported models per endpoint x api, guardrail enforcement, changes and prober health (stack ${stack.stackName}).`,
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    ...ENDPOINTS.map((e) =>
      graph(
        `Supported models: ${e}`,
        cells((...a) => m.metricSupportedModels(...a), e),
      ),
    ),
  );
  dashboard.addWidgets(
    graph('Confirmed changes', [
      m.metricChanges(labelled('cell and model changes')),
      m.metricGuardrailChanges(labelled('guardrail changes')),
    ]),
    new AlarmStatusWidget({ title: 'Health alarms', alarms: [...inputs.alarms], width: 12 }),
  );
  dashboard.addWidgets(
    ...ENDPOINTS.map((e) =>
      graph(
        `Guardrail enforced / ignored: ${e}`,
        cells((...a) => m.metricGuardrailEnforced(...a), e, ' enforced'),
        {
          right: cells((...a) => m.metricGuardrailIgnored(...a), e, ' ignored'),
        },
      ),
    ),
  );
  dashboard.addWidgets(
    graph(
      'Probe errors and throttles',
      [
        m.metricCellsProbed(labelled('cells probed')),
        m.metricProbeErrors(labelled('cells in error')),
        m.metricProbeThrottles(labelled('cells throttled')),
        fn.metricErrors({ period, statistic: 'Sum', label: 'function errors' }),
        fn.metricThrottles({ period, statistic: 'Sum', label: 'function throttles' }),
      ],
      { right: [m.metricProbeErrorRate({ period })] },
    ),
    graph('Run health', [
      m.metricRunPartial(labelled('partial runs')),
      m.metricRunOverlap(labelled('overlapping runs skipped')),
      m.metricGuardrailControlFailed(labelled('guardrail control failed')),
      m.metricIamDenied(labelled('cells denied by IAM')),
      ...ENDPOINTS.map((e) => m.metricEndpointAbsent(e, labelled(`${e} endpoint absent`))),
    ]),
  );
  dashboard.addWidgets(
    graph(
      'Run duration vs timeout (ms)',
      [
        m.metricRunDuration(labelled('run duration (prober)')),
        fn.metricDuration({ period, statistic: 'Maximum', label: 'function duration' }),
      ],
      { timeout: inputs.functionTimeout },
    ),
    // Evidence for the user (README "Declared vs measured"), never a change, so no alarm.
    graph('Declared vs measured: disagreements', [
      m.metricDeclaredDisagreements(labelled('declarations contradicted by a probe')),
    ]),
  );
  return dashboard;
};
