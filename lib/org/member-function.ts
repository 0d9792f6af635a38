import { ArnFormat, Aws, Duration, Fn, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../lambda/shared/names';
import { codeBucketName, MEMBER_EVENT_SOURCE, ORG_ENV } from '../../lambda/shared/org-names';
import { ownLogGroupAndRole } from '../bundled-function';
import { PROBER_ENV_SETTINGS } from '../config';
import { MEMBER_ONLY_KINDS } from '../prober-calls';
import {
  acknowledgeProberFindings,
  callStatements,
  PROBER_TIMEOUT,
  type ProberGuardrailRef,
  type ProberSettingsProps,
  proberStatements,
  settingsEnv,
} from '../prober-function';
import { checkSetting } from '../props';

/** CloudFormation's placeholder of the stack's region inside an Fn::Sub string. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder, not a template
const REGION = '${AWS::Region}';

export interface MemberFunctionProps extends ProberSettingsProps {
  /** The member's own table (same account and region). */
  readonly table: ITableV2;
  readonly guardrail: ProberGuardrailRef;
  /** The home account: the code bucket of each region is its (`codeBucketName`). */
  readonly homeAccount: string;
  /** Key of the member code zip in the region's code bucket. */
  readonly codeKey: string;
  /** This region's probe account (a token: FindInMap on the stack's region). */
  readonly probeAccount: string;
  /** `1` when this account runs the full matrix too, `0` otherwise (a token: Fn::If on a condition). */
  readonly fullMatrix: string;
  /**
   * Retention of the function's log group.
   * @default RetentionDays.THREE_MONTHS, as a region's prober
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The member function: the prober bundle itself (lambda/index.ts) told it is a member
 * (`ORG_ENV.member`), its code read from the home account's code bucket of this region (no CDK
 * asset, so the StackSet needs no bootstrap in any member). It writes its own table, puts its
 * events on this account's default bus, and publishes nothing else: no metric, no topic.
 */
export class MemberFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: MemberFunctionProps) {
    super(scope, id);
    for (const key of PROBER_ENV_SETTINGS) checkSetting('MemberFunction', key, props[key]);
    const stack = Stack.of(this);
    const { logGroup, role } = ownLogGroupAndRole(this, {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      roleDescription:
        'bedrock-matrix member: reads account facts, probes Bedrock, writes its own table, sends events home',
    });
    this.logGroup = logGroup;
    this.role = role;
    // Lambda reads code only from a bucket in the function's own region: the bucket of this region.
    const bucket = Bucket.fromBucketName(
      this,
      'CodeBucket',
      Fn.sub(codeBucketName(props.homeAccount, REGION)),
    );
    this.function = new LambdaFunction(this, 'Function', {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromBucket(bucket, props.codeKey),
      role: this.role,
      logGroup: this.logGroup,
      timeout: PROBER_TIMEOUT,
      // A number, not a condition: the account tick and a probe account's sweep share one size.
      memorySize: 512,
      // The schedules own retries; an async Lambda retry would start a second run.
      retryAttempts: 0,
      maxEventAge: Duration.hours(1),
      description: 'bedrock-matrix member: account facts of this account and region, sent home',
      environment: {
        // The table is local (no table region: the prober defaults to its own region).
        [ENV.tableName]: props.table.tableName,
        [ENV.account]: Aws.ACCOUNT_ID,
        [ENV.guardrailId]: props.guardrail.guardrailId,
        [ENV.guardrailVersion]: props.guardrail.guardrailVersion,
        [ORG_ENV.member]: '1',
        [ORG_ENV.probeAccount]: props.probeAccount,
        [ORG_ENV.fullMatrix]: props.fullMatrix,
        ...settingsEnv(props),
      },
    });

    for (const statement of memberStatements(stack, props.table.tableArn, props.guardrail.guardrailArn)) {
      this.role.addToPrincipalPolicy(statement);
    }
    acknowledgeProberFindings(this.role);
  }
}

/**
 * The member role's statements: a region prober's (its own table in place of the home table, no
 * metric, topic or bus of the home), the availability read, and PutEvents on this account's
 * default bus for the member's own source only (the forwarding rule matches that source).
 */
export const memberStatements = (stack: Stack, tableArn: string, guardrailArn: string): PolicyStatement[] => [
  ...proberStatements(stack, { tableArn, guardrailArn }),
  ...callStatements(stack, { tableArn, guardrailArn }, (kind) => MEMBER_ONLY_KINDS.has(kind)),
  new PolicyStatement({
    sid: 'MemberEvents',
    effect: Effect.ALLOW,
    actions: ['events:PutEvents'],
    resources: [
      stack.formatArn({
        service: 'events',
        resource: 'event-bus',
        resourceName: 'default',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    ],
    conditions: { StringEquals: { 'events:source': MEMBER_EVENT_SOURCE } },
  }),
];
