import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { STACK_OUTPUTS } from '../lambda/shared/names';
import { AlertsTopic } from './alerts-topic';
import type { MatrixConfig } from './config';
import { HomeFunction } from './home-function';
import { HOME_DASHBOARD_NAME, HomeMonitoring, homeAlarmPattern } from './home-monitoring';
import { MatrixWidget } from './matrix-widget';
import type { OrgConfig } from './org/org-config';
import { OrgHome, type OrgHomeProps } from './org/org-home';
import { ResultsTable } from './results-table';

export { HOME_STACK_NAME } from '../lambda/shared/names';

/** The home's settings: the app's validated configuration, the part that lives at home. */
export interface HomeStackProps
  extends StackProps,
    Pick<
      MatrixConfig,
      'regions' | 'alarmEmails' | 'sentinelPeriodMinutes' | 'noticeDays' | 'dependencyTimeoutMs'
    > {
  /**
   * Handler entry file of the home function.
   * @default lambda/home/index.ts of this repository
   */
  readonly homeEntry?: string;
  /**
   * Makes it an organization's home (docs/organization.md): the organization bus and its rule to
   * the home function, the member StackSet, the stale-members alarm and the organization view.
   * @default - a single account's home
   */
  readonly org?: Omit<OrgHomeProps, 'homeFunction'> & {
    readonly config: OrgHomeProps['config'] & Pick<OrgConfig, 'probeAccounts'>;
  };
}

/**
 * A region is stale when its sentinel's last heartbeat (written every tick, whatever the catalogs
 * say) is older than three sentinel periods plus 5 minutes: two missed or late ticks are no
 * outage, and the 5 minutes cover a slow tick and the home's watch period. 20 minutes for the
 * 5-minute default, so a silent region is flagged within minutes, not after two daily sweeps.
 */
export const staleAfterMinutes = (sentinelPeriodMinutes: number): number =>
  3 * sentinelPeriodMinutes + STALE_MARGIN_MINUTES;

const STALE_MARGIN_MINUTES = 5;

/**
 * What exists once per account: the results table of every region, the alerts and ops topics under
 * one key, the home function (notifier and watch), the widget, the one dashboard and the few alarms.
 * It only composes; each construct owns its defaults and grants.
 */
export class HomeStack extends Stack {
  readonly results: ResultsTable;
  /** Change alerts: the home function publishes one message per finished run with changes, naming its region. */
  readonly alerts: AlertsTopic;
  /** The alarms (ALARM and OK); the only topic CloudWatch may publish to. */
  readonly ops: AlertsTopic;
  readonly home: HomeFunction;
  readonly widget: MatrixWidget;
  readonly monitoring: HomeMonitoring;
  /** The organization parts; undefined for a single account's home. */
  readonly org?: OrgHome;

  constructor(scope: Construct, id: string, props: HomeStackProps) {
    super(scope, id, props);
    this.results = new ResultsTable(this, 'Results');
    // Two topics, so change mail and alarm pages can go to different people or filters; one key,
    // customer-managed because CloudWatch alarms cannot publish under the AWS-managed SNS key.
    this.alerts = new AlertsTopic(this, 'Alerts', {
      emails: props.alarmEmails,
      topicName: 'bedrock-matrix-alerts',
      displayName: 'bedrock-matrix changes',
    });
    if (props.alarmEmails.length === 0) {
      Annotations.of(this).addWarningV2(
        'bedrock-matrix:noAlarmEmails',
        'No alarm e-mail is set: the alerts and ops topics get no subscriber, so change alerts and alarms reach nobody. Deploy with -c alarmEmails=you@example.com (comma list), or subscribe to the TopicArn and OpsTopicArn outputs yourself.',
      );
    }
    this.ops = new AlertsTopic(this, 'Ops', {
      emails: props.alarmEmails,
      topicName: 'bedrock-matrix-ops',
      displayName: 'bedrock-matrix health',
      key: this.alerts.key,
      alarmNamePattern: homeAlarmPattern(),
    });
    this.home = new HomeFunction(this, 'Home', {
      table: this.results.table,
      topic: this.alerts.topic,
      regions: props.regions,
      staleAfterMinutes: staleAfterMinutes(props.sentinelPeriodMinutes),
      noticeDays: props.noticeDays,
      dependencyTimeoutMs: props.dependencyTimeoutMs,
      ...(props.homeEntry === undefined ? {} : { entry: props.homeEntry }),
      ...(props.org === undefined
        ? {}
        : {
            org: {
              probeAccounts: props.org.config.probeAccounts,
              organizationalUnitIds: props.org.config.targets.organizationalUnitIds,
            },
          }),
    });
    this.widget = new MatrixWidget(this, 'MatrixWidget', {
      table: this.results.table,
      regions: props.regions,
      noticeDays: props.noticeDays,
      ...(props.org === undefined ? {} : { organization: true }),
    });
    this.monitoring = new HomeMonitoring(this, 'Monitoring', {
      home: this.home,
      widget: this.widget,
      regions: props.regions,
      topic: this.ops.topic,
      ...(props.org === undefined ? {} : { org: true }),
    });
    if (props.org !== undefined)
      this.org = new OrgHome(this, 'Org', { ...props.org, homeFunction: this.home });
    this.addOutputs();
  }

  private addOutputs(): void {
    const region = this.region;
    const output = (id: string, value: string, description: string): void => {
      new CfnOutput(this, id, { value, description });
    };
    output(
      'DashboardUrl',
      `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${HOME_DASHBOARD_NAME}`,
      'The one CloudWatch dashboard of every region',
    );
    output(
      STACK_OUTPUTS.tableName,
      this.results.table.tableName,
      'Results table of every region (retained when the stack is deleted); the CLI finds it with --stack',
    );
    output(STACK_OUTPUTS.tableRegion, region, 'Region of the results table');
    output(
      STACK_OUTPUTS.topicArn,
      this.alerts.topic.topicArn,
      'Change alerts topic (the home function publishes here)',
    );
    output(STACK_OUTPUTS.topicName, this.alerts.topic.topicName, 'Change alerts topic name');
    output(STACK_OUTPUTS.opsTopicArn, this.ops.topic.topicArn, 'Alarms topic (ALARM and OK)');
    output(STACK_OUTPUTS.opsTopicName, this.ops.topic.topicName, 'Alarms topic name');
    output(
      STACK_OUTPUTS.homeFunctionName,
      this.home.function.functionName,
      'The home function: notifies changes from the outbox, watches every region',
    );
    output(
      STACK_OUTPUTS.widgetFunctionName,
      this.widget.function.functionName,
      'Dashboard widget function: a dashboard viewer needs lambda:InvokeFunction on it',
    );
  }
}
