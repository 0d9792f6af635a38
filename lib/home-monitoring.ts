import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { memberStaleAfterMinutes } from '../lambda/shared/org-names';
import { alarmName, HealthAlarmFactory, type HealthAlarmSpec } from './alarm-factory';
import type { HomeFunction } from './home-function';
import type { MatrixWidget } from './matrix-widget';

/** The alarms' name scope: every home alarm is `bedrock-matrix-home-<what>`. */
export const HOME_ALARM_SCOPE = 'home';

/** Name of the one dashboard. */
export const HOME_DASHBOARD_NAME = 'bedrock-matrix';

/** Construct id of each home alarm (stable: a new id would replace the alarm on deploy). */
export type HomeAlarmId = 'drift' | 'guardrailChanges' | 'staleRegions' | 'failingRegions' | 'homeErrors';

/** Construct id of the organization home's own alarm. */
export type OrgAlarmId = 'staleMembers';

export interface HomeMonitoringProps {
  readonly home: HomeFunction;
  readonly widget: MatrixWidget;
  /** The probed regions: one matrix widget each. */
  readonly regions: readonly string[];
  /** Where the alarms notify, on ALARM and on OK (the ops topic). */
  readonly topic: ITopic;
  /**
   * An organization's home: an alarm on stale members and the organization view on the dashboard.
   * @default false
   */
  readonly org?: boolean;
}

/**
 * The alarms on the home's few series (no dimensions: the alert text names the region) and on the
 * home function itself, as data; the rows are the README's "Alarms and what to do".
 */
const alarmSpecs = (home: HomeFunction): ReadonlyArray<[HomeAlarmId, string, HealthAlarmSpec]> => {
  const fiveMinutes = Duration.minutes(5);
  // Three watch ticks: one late tick is no outage.
  const watchPeriod = Duration.minutes(15);
  return [
    [
      'drift',
      'DriftAlarm',
      {
        what: 'drift',
        means:
          'A region confirmed a capability change (ConfirmedChanges): a model, cell or endpoint moved. The alert mail on the alerts topic names the region and each change.',
        todo: 'Read the alert mail or the dashboard changes widget; nothing to fix unless the change breaks a caller.',
        metric: home.metricConfirmedChanges({ period: fiveMinutes }),
      },
    ],
    [
      'guardrailChanges',
      'GuardrailChangesAlarm',
      {
        what: 'guardrail-changes',
        means:
          'A guardrail verdict changed in a region (GuardrailChanges): a guardrail is now enforced or ignored where it was not.',
        todo: 'Read the alert mail for the region, model and api; a guardrail now ignored needs a policy or route change at the caller.',
        metric: home.metricGuardrailChanges({ period: fiveMinutes }),
      },
    ],
    [
      'staleRegions',
      'StaleRegionsAlarm',
      {
        what: 'stale-regions',
        means:
          "A region's sentinel has not written its heartbeat for three sentinel periods plus 5 minutes (StaleRegions; 20 minutes by default), or the home's watch itself stopped (no data).",
        todo: "The dashboard's rollout widget shows when each region last reported; check that region's sentinel schedule, its dead-letter queue and the prober's log group (outputs of BedrockMatrix-<region>). No data: check the home function's errors and its watch schedule.",
        metric: home.metricStaleRegions({ period: watchPeriod }),
        treatMissingData: TreatMissingData.BREACHING,
      },
    ],
    [
      'failingRegions',
      'FailingRegionsAlarm',
      {
        what: 'failing-regions',
        means:
          'The last run of a region failed or ended partial (FailingRegions); it stays so until that region runs again.',
        todo: "Read the region's run in the prober's log group (output LogGroupName of BedrockMatrix-<region>): a budget to raise, a permission to add, or a Bedrock outage.",
        metric: home.metricFailingRegions({ period: watchPeriod }),
      },
    ],
    [
      'homeErrors',
      'HomeErrorsAlarm',
      {
        what: 'function-errors',
        means:
          'The home function failed (a stream batch or a watch tick); its outbox items stay in the table and are sent by a later tick.',
        todo: "Read the home function's log group; a stream batch that failed every retry is in the StreamFailures queue.",
        metric: home.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      },
    ],
  ];
};

/** The organization home's alarm: a member stopped reporting. */
const orgAlarmSpecs = (home: HomeFunction): ReadonlyArray<[OrgAlarmId, string, HealthAlarmSpec]> => [
  [
    'staleMembers',
    'StaleMembersAlarm',
    {
      what: 'stale-members',
      means: `A member (an account in a region) has sent no event for two heartbeats plus a tick (StaleMembers; ${memberStaleAfterMinutes()} minutes), or the home's watch itself stopped (no data).`,
      todo: "The dashboard's organization view names the stale members; check that member's schedules, its forwarding rule's dead-letter queue and its log group (StackSet bedrock-matrix-members). No data: check the home function's errors and its watch schedule.",
      metric: home.metricStaleMembers({ period: Duration.minutes(15) }),
      threshold: 1,
      treatMissingData: TreatMissingData.BREACHING,
    },
  ],
];

/**
 * The home's alarms (to the ops topic) and the one dashboard: the rollout across regions, the
 * alarms' state, the changes of every region, then each region's matrix. It only composes.
 */
export class HomeMonitoring extends Construct {
  /** The home's alarms (an organization home has no FailingRegions: it never sees the runs). */
  readonly alarms: Readonly<Partial<Record<HomeAlarmId, Alarm>>>;
  /** The organization home's alarms; empty for a single account. */
  readonly orgAlarms: Readonly<Partial<Record<OrgAlarmId, Alarm>>>;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: HomeMonitoringProps) {
    super(scope, id);
    const factory = new HealthAlarmFactory(this, HOME_ALARM_SCOPE, new SnsAction(props.topic));
    this.alarms = Object.fromEntries(
      alarmSpecs(props.home)
        // An organization's home never sees the members' runs, only their events: no FailingRegions.
        .filter(([key]) => !(props.org && key === 'failingRegions'))
        .map(([key, alarmId, spec]) => [key, factory.create(alarmId, spec)]),
    );
    this.orgAlarms = props.org
      ? Object.fromEntries(
          orgAlarmSpecs(props.home).map(([key, alarmId, spec]) => [key, factory.create(alarmId, spec)]),
        )
      : {};

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: HOME_DASHBOARD_NAME,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: props.org
          ? `# bedrock-matrix organization\nEvery member account in ${props.regions.length} regions, from the members' events at home.`
          : `# bedrock-matrix\nEvery probed region (${props.regions.join(', ')}), from the results table at home.`,
        width: 24,
        height: 2,
      }),
    );
    const alarms = new AlarmStatusWidget({
      title: 'Alarms',
      alarms: [...Object.values(this.alarms), ...Object.values(this.orgAlarms)],
      width: 24,
    });
    if (props.org) {
      // An organization's regions are measured in its members, whose runs stay in their own tables:
      // the home shows the organization view (and a member's matrix on demand), not per-region runs.
      this.dashboard.addWidgets(props.widget.orgWidget(), alarms);
      return;
    }
    this.dashboard.addWidgets(props.widget.rolloutWidget());
    this.dashboard.addWidgets(alarms);
    this.dashboard.addWidgets(props.widget.changesWidget());
    for (const region of props.regions) this.dashboard.addWidgets(props.widget.matrixWidget(region));
  }
}

/** The SourceArn pattern that lets exactly the home's alarms publish to the ops topic. */
export const homeAlarmPattern = (): string => alarmName(HOME_ALARM_SCOPE, '*');
