import { Duration, Stack } from 'aws-cdk-lib';
import { CustomWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_NOTICE_DAYS, MAX_NOTICE_DAYS } from '../lambda/core/retirement';
import { ENV } from '../lambda/shared/names';
import { ORG_ENV } from '../lambda/shared/org-names';
import type { WidgetEvent, WidgetView } from '../lambda/widget/handler';
import { bundledFunctionProps, esmBundling, ownLogGroupAndRole, PROJECT_ROOT } from './bundled-function';
import { checkDuration, checkNumber, checkSetting } from './props';

/**
 * What a widget asks the function for (lambda/widget/handler.ts reads the same names): `rollout`
 * (model x region, each region's last report), `matrix` of one `region`, `changes` of all regions;
 * an organization home's `org`, `org-model` of one `model` and `org-member` of one `account` in
 * one `region` (which the `org` widget's buttons open; no dashboard widget of its own is needed).
 */
export type WidgetParams = Pick<WidgetEvent, 'days' | 'noticeDays'> &
  (
    | { readonly view: Exclude<WidgetView, 'matrix' | 'org-model' | 'org-member'> }
    | { readonly view: Extract<WidgetView, 'matrix'>; readonly region: string }
    | { readonly view: Extract<WidgetView, 'org-model'>; readonly model: string }
    | { readonly view: Extract<WidgetView, 'org-member'>; readonly account: string; readonly region: string }
  );

export interface MatrixWidgetProps {
  /** The results table of every region; the widget only queries it. */
  readonly table: ITableV2;
  /** The probed regions the widget shows. */
  readonly regions: readonly string[];
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
   * Days ahead the matrix and rollout widgets list retirement notices (the stack passes its `noticeDays`).
   * @default DEFAULT_NOTICE_DAYS (30)
   */
  readonly noticeDays?: number;
  /**
   * An organization's home: the function's `org` views read the org items of the table.
   * @default false
   */
  readonly organization?: boolean;
  /**
   * Handler entry file.
   * @default lambda/widget/index.ts of this repository
   */
  readonly entry?: string;
}

/**
 * The matrix where people look: a custom-widget Lambda that renders what the results table holds
 * (the rollout across regions, one region's matrix, the changes), and the `CustomWidget`s that
 * call it. The function may only Query the results table: it can neither write nor scan.
 */
export class MatrixWidget extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly noticeDays: number;

  constructor(scope: Construct, id: string, props: MatrixWidgetProps) {
    super(scope, id);
    checkDuration('MatrixWidget', 'timeout', props.timeout, Duration.seconds(1), Duration.minutes(1));
    checkNumber('MatrixWidget', 'memorySize', props.memorySize, { min: 128, max: 10_240 });
    checkNumber('MatrixWidget', 'noticeDays', props.noticeDays, { min: 0, max: MAX_NOTICE_DAYS });
    checkSetting('MatrixWidget', 'regions', props.regions);
    this.noticeDays = props.noticeDays ?? DEFAULT_NOTICE_DAYS;
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
      environment: {
        [ENV.tableName]: props.table.tableName,
        [ENV.account]: Stack.of(this).account,
        [ENV.regions]: props.regions.join(','),
        ...(props.organization ? { [ORG_ENV.orgView]: '1' } : {}),
      },
    });
  }

  /** The rollout view: model x region, where a model serves which api, each region's last report. */
  rolloutWidget(): CustomWidget {
    return this.widget(
      'Rollout across regions (stored, confirmed)',
      { view: 'rollout', noticeDays: this.noticeDays },
      12,
    );
  }

  /** One region's stored matrix. */
  matrixWidget(region: string): CustomWidget {
    return this.widget(
      `Capability matrix: ${region}`,
      { view: 'matrix', region, days: 7, noticeDays: this.noticeDays },
      14,
    );
  }

  /**
   * An organization home: model x region, with how many accounts can use each model and why the
   * others cannot.
   */
  orgWidget(): CustomWidget {
    return this.widget('Organization: which accounts can use each model, where', { view: 'org' }, 14);
  }

  /** An organization home: one model (its key) across every account and region. */
  orgModelWidget(model: string): CustomWidget {
    return this.widget(`Organization: ${model}`, { view: 'org-model', model }, 12);
  }

  /** Recent confirmed changes of every region. */
  changesWidget(): CustomWidget {
    return this.widget('Recent confirmed changes, all regions', { view: 'changes', days: 30 }, 6);
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
