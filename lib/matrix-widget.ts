import { Duration } from 'aws-cdk-lib';
import { CustomWidget, type Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_NOTICE_DAYS, MAX_NOTICE_DAYS } from '../lambda/core/retirement';
import { ENV } from '../lambda/shared/names';
import type { WidgetEvent } from '../lambda/widget/handler';
import { bundledFunctionProps, esmBundling, ownLogGroupAndRole, PROJECT_ROOT } from './bundled-function';
import { checkDuration, checkNumber } from './props';

/** What a widget asks the function for (lambda/widget/handler.ts reads the same names). */
type WidgetParams = Pick<WidgetEvent, 'view' | 'days' | 'noticeDays'>;

export interface MatrixWidgetProps {
  /** The results table the prober writes; the widget only queries it. */
  readonly table: ITableV2;
  /** When given, both widgets are added to this dashboard. @default not added anywhere */
  readonly dashboard?: Dashboard;
  /**
   * Function timeout, at most a minute: a dashboard gives a custom widget no longer; the store queries have
   * their own 5 s request timeout, so 30 s is only a backstop.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Memory size in MB. The 60-model matrix reads ~1,500 items and renders in well under 100 ms.
   * @default 256
   */
  readonly memorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Days ahead the matrix widget lists retirement notices (the stack passes its `noticeDays`).
   * @default DEFAULT_NOTICE_DAYS (30)
   */
  readonly noticeDays?: number;
  /**
   * Handler entry file.
   * @default lambda/widget/index.ts of this repository
   */
  readonly entry?: string;
}

/**
 * The matrix where people look: a custom-widget Lambda that renders the stored matrix of this
 * region, and the two `CustomWidget`s (matrix, recent changes) that call it. The function may
 * only Query the results table: it can neither write nor scan.
 */
export class MatrixWidget extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly matrixWidget: CustomWidget;
  readonly changesWidget: CustomWidget;

  constructor(scope: Construct, id: string, props: MatrixWidgetProps) {
    super(scope, id);
    checkDuration('MatrixWidget', 'timeout', props.timeout, Duration.seconds(1), Duration.minutes(1));
    checkNumber('MatrixWidget', 'memorySize', props.memorySize, { min: 128, max: 10_240 });
    checkNumber('MatrixWidget', 'noticeDays', props.noticeDays, { min: 0, max: MAX_NOTICE_DAYS });
    const { logGroup, role } = ownLogGroupAndRole(this, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      roleDescription: 'bedrock-matrix dashboard widget: reads (Query) the results table',
    });
    this.role = role;
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'QueryResults',
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [props.table.tableArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      ...bundledFunctionProps(props.entry ?? `${PROJECT_ROOT}lambda/widget/index.ts`),
      role: this.role,
      logGroup,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 256,
      description: 'bedrock-matrix dashboard widget: the stored capability matrix as HTML',
      bundling: esmBundling({ minify: true }),
      environment: { [ENV.tableName]: props.table.tableName },
    });

    this.matrixWidget = this.widget(
      'Capability matrix (stored, confirmed)',
      { view: 'matrix', days: 7, noticeDays: props.noticeDays ?? DEFAULT_NOTICE_DAYS },
      14,
    );
    this.changesWidget = this.widget('Recent confirmed changes', { view: 'changes', days: 30 }, 6);
    props.dashboard?.addWidgets(this.matrixWidget);
    props.dashboard?.addWidgets(this.changesWidget);
  }

  /** A full-width widget rendered by the function on each dashboard refresh only. */
  private widget(title: string, params: WidgetParams, height: number): CustomWidget {
    return new CustomWidget({
      functionArn: this.function.functionArn,
      title,
      params,
      width: 24,
      height,
      updateOnRefresh: true,
      updateOnResize: false,
      updateOnTimeRangeChange: false,
    });
  }
}
