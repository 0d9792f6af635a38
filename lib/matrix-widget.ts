import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { CustomWidget, type Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../lambda/shared/names';

export interface MatrixWidgetProps {
  /** The results table the prober writes; the widget only queries it. */
  readonly table: ITableV2;
  /** When given, both widgets are added to this dashboard. @default not added anywhere */
  readonly dashboard?: Dashboard;
  /**
   * Function timeout. A dashboard gives a custom widget at most a minute; the store queries have
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
   * Handler entry file.
   * @default lambda/widget/index.ts of this repository
   */
  readonly entry?: string;
}

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

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
    const logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'bedrock-matrix dashboard widget: reads (Query) the results table',
    });
    logGroup.grantWrite(this.role);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'QueryResults',
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [props.table.tableArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry ?? `${PROJECT_ROOT}lambda/widget/index.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      role: this.role,
      logGroup,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 256,
      description: 'bedrock-matrix dashboard widget: the stored capability matrix as HTML',
      bundling: {
        minify: true,
        target: 'node24',
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      environment: { [ENV.tableName]: props.table.tableName },
    });

    this.matrixWidget = new CustomWidget({
      functionArn: this.function.functionArn,
      title: 'Capability matrix (stored, confirmed)',
      params: { view: 'matrix', days: 7 },
      width: 24,
      height: 14,
      updateOnRefresh: true,
      updateOnResize: false,
      updateOnTimeRangeChange: false,
    });
    this.changesWidget = new CustomWidget({
      functionArn: this.function.functionArn,
      title: 'Recent confirmed changes',
      params: { view: 'changes', days: 30 },
      width: 24,
      height: 6,
      updateOnRefresh: true,
      updateOnResize: false,
      updateOnTimeRangeChange: false,
    });
    props.dashboard?.addWidgets(this.matrixWidget);
    props.dashboard?.addWidgets(this.changesWidget);
  }
}
