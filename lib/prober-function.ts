import { ArnFormat, Aws, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV, EVENT_SOURCE, HOME_TABLE_NAME, METRICS_NAMESPACE } from '../lambda/shared/names';
import { type SettingValue, settingText } from '../lambda/shared/settings';
import { bundledFunctionProps, esmBundling, ownLogGroupAndRole, PROJECT_ROOT } from './bundled-function';
import { PROBER_ENV_SETTINGS, type ProberEnvSetting } from './config';
import { PROBER_BUNDLE } from './prober-bundle';
import { actionsByResource, isProberKind, MARKETPLACE_ACTIONS, type ResourceKind } from './prober-calls';
import { checkDuration, checkNumber, checkSetting, InvalidPropError } from './props';

/**
 * What the prober probes. Each prop is the setting of the same name; its meaning, bounds and
 * default are written once, in the settings spec (lambda/shared/settings.ts) and the README table
 * "Configuration". An absent prop sets no variable and the Lambda applies that default.
 * @default - the settings spec's default of each
 */
export type ProberSettingsProps = { readonly [K in ProberEnvSetting]?: SettingValue<K> };

/** The prober settings of a wider object (the app's validated configuration), nothing else. */
export const pickProberSettings = (values: ProberSettingsProps): ProberSettingsProps =>
  Object.fromEntries(PROBER_ENV_SETTINGS.map((key) => [key, values[key]]));

/** The probe Guardrail as the prober needs it. */
export interface ProberGuardrailRef {
  readonly guardrailId: string;
  readonly guardrailArn: string;
  readonly guardrailVersion: string;
}

export interface ProberFunctionProps extends ProberSettingsProps {
  /**
   * Region of the results table (the home region). The prober writes there across regions; the
   * table is named, not referenced, so a region stack holds no reference to the home stack.
   */
  readonly tableRegion: string;
  /**
   * Physical name of the results table in `tableRegion`.
   * @default HOME_TABLE_NAME
   */
  readonly tableName?: string;
  readonly guardrail: ProberGuardrailRef;
  /**
   * Grant the AWS Marketplace actions a first call to a third-party model needs to subscribe.
   * @default false
   */
  readonly subscribeModels?: boolean;
  /**
   * Reserved concurrency. Runs are kept apart by a lease item in the table, so none is needed;
   * reserving any fails on accounts whose concurrency limit is 10 (Lambda keeps 10 unreserved).
   * @default - none
   */
  readonly reservedConcurrency?: number;
  /**
   * Function timeout, 1 second to 15 minutes. Measured (`npm run bench`, docs/bench.md): a full run of today's surface is
   * ~740 probes taking 12 s at concurrency 8 with 40-160 ms simulated latency, ~1.7-5 min with
   * real Bedrock's 1-3 s per call; 10 min leaves room for slow models and confirmations, and the handler
   * ends the run `partial` when the budget runs out rather than being killed.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
  /**
   * Memory size in MB (128 to 10240). Measured peak RSS of a full run is ~160 MB (docs/bench.md); 512 MB is
   * three times that, and Lambda's CPU share grows with memory, which the TLS-heavy run uses.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * How long Lambda keeps retrying to start a scheduled invocation that was throttled (account
   * concurrency, or a reserved concurrency), 1 minute to 6 hours. Older than this, the next schedule tick wins.
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
  /**
   * Retention of the function's log group: it bounds what the logs cost (cost/model.ts prices
   * the measured run's log bytes kept this long).
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * Handler entry file.
   * @default lambda/index.ts of this repository
   */
  readonly entry?: string;
}

/** Default prober timeout; the schedule may not fire more often than this (see config.ts). */
export const PROBER_TIMEOUT = Duration.minutes(10);

/**
 * A region's prober Lambda: bundles `lambda/index.ts` with esbuild and owns its role, so every
 * permission it has is listed here, scoped to this stack's resources where IAM allows it. It
 * writes to the results table at home and publishes nothing: no metric, no SNS, no event
 * (the home function notifies, once, from what the regions stored).
 */
export class ProberFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: ProberFunctionProps) {
    super(scope, id);
    validate(props);
    const stack = Stack.of(this);
    this.timeout = props.timeout ?? PROBER_TIMEOUT;
    const tableName = props.tableName ?? HOME_TABLE_NAME;

    const { logGroup, role } = ownLogGroupAndRole(this, {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      roleDescription:
        'bedrock-matrix prober: probes Bedrock in this region, writes results to the home table',
    });
    this.logGroup = logGroup;
    this.role = role;

    this.function = new NodejsFunction(this, 'Function', {
      ...bundledFunctionProps(props.entry ?? `${PROJECT_ROOT}lambda/index.ts`),
      role: this.role,
      logGroup: this.logGroup,
      timeout: this.timeout,
      memorySize: props.memorySize ?? 512,
      // Overlapping runs are stopped by the lease item in the table, not by concurrency: an account
      // limited to 10 concurrent executions cannot reserve any (Lambda keeps 10 unreserved).
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      // The scheduler owns retries (with a dead-letter queue); an async Lambda retry would
      // start a second full run of the matrix.
      retryAttempts: 0,
      maxEventAge: props.maxEventAge ?? Duration.hours(1),
      description: 'bedrock-matrix prober: one run over the capability matrix of this region',
      bundling: esmBundling({
        minify: PROBER_BUNDLE.minify,
        sourceMap: PROBER_BUNDLE.sourceMap,
        // Bundled on purpose: the prober relies on recent Bedrock runtime and control-plane
        // operations, which the SDK copy in the Lambda runtime may predate.
        bundleAwsSDK: true,
      }),
      environment: {
        [ENV.tableName]: tableName,
        [ENV.tableRegion]: props.tableRegion,
        [ENV.account]: Aws.ACCOUNT_ID,
        [ENV.guardrailId]: props.guardrail.guardrailId,
        [ENV.guardrailVersion]: props.guardrail.guardrailVersion,
        ...settingsEnv(props),
      },
    });

    const resources: ProberResources = {
      guardrailArn: props.guardrail.guardrailArn,
      tableArn: homeTableArn(stack, props.tableRegion, tableName),
    };
    for (const statement of proberStatements(stack, resources, props.subscribeModels ?? false)) {
      this.role.addToPrincipalPolicy(statement);
    }

    acknowledgeProberFindings(this.role);
  }
}

/**
 * Acknowledges the cdk-nag findings of a prober role's policy (a region's prober or an
 * organization member): each IAM wildcard is forced by how the action is authorised; the reasons
 * say why.
 */
export const acknowledgeProberFindings = (role: Role): void => {
  const policy = role.node.tryFindChild('DefaultPolicy') ?? role;
  const stack = Stack.of(role);
  // Findings print concrete values as they are and tokens as <AWS::...>.
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const ack = (finding: string, reason: string): void =>
    Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  ack(
    'Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/*',
    'The prober discovers models at run time and cross-region inference profiles route to foundation models in other regions; the model set is the thing being measured.',
  );
  ack(
    'Resource::arn:<AWS::Partition>:bedrock:::foundation-model/*',
    'global. inference profiles authorise against the region-less foundation-model ARN; models are discovered at run time.',
  );
  ack(
    `Resource::arn:<AWS::Partition>:bedrock:${region}:${account}:inference-profile/*`,
    'System inference profiles of this region are discovered at run time (ListInferenceProfiles).',
  );
  ack(
    `Resource::arn:<AWS::Partition>:bedrock-mantle:${region}:${account}:project/*`,
    'Mantle calls run in the default project or a project id chosen at run time; scoped to this account and region.',
  );
  ack(
    'Resource::*',
    'Catalog list actions, bearer-token actions and AWS Marketplace subscription (opt-in) do not support resource-level permissions.',
  );
};

/** Fails synthesis on a prop the Lambda would reject at its first run, naming prop and value. */
const validate = (props: ProberFunctionProps): void => {
  checkSetting('ProberFunction', 'home', props.tableRegion);
  if (props.tableName !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(props.tableName))
    throw new InvalidPropError(
      'ProberFunction',
      'tableName',
      props.tableName,
      'is not a DynamoDB table name',
    );
  for (const key of PROBER_ENV_SETTINGS) checkSetting('ProberFunction', key, props[key]);
  checkSetting('ProberFunction', 'reservedConcurrency', props.reservedConcurrency);
  checkNumber('ProberFunction', 'memorySize', props.memorySize, { min: 128, max: 10_240 });
  checkDuration('ProberFunction', 'timeout', props.timeout, Duration.seconds(1), Duration.minutes(15));
  checkDuration('ProberFunction', 'maxEventAge', props.maxEventAge, Duration.minutes(1), Duration.hours(6));
};

/** The variables of the settings that were given, written as the Lambda's parsers read them. */
export const settingsEnv = (props: ProberSettingsProps): Record<string, string> =>
  Object.fromEntries(
    PROBER_ENV_SETTINGS.flatMap((key) => {
      const text = settingText(props[key]);
      return text === undefined ? [] : [[ENV[key], text]];
    }),
  );

/**
 * The ARN of the results table `tableName` in `tableRegion` of this account, formatted rather than
 * referenced: a cross-region reference would tie every region stack's deploy to the home stack's.
 */
export const homeTableArn = (
  stack: Stack,
  tableRegion: string,
  tableName: string = HOME_TABLE_NAME,
): string =>
  stack.formatArn({
    service: 'dynamodb',
    region: tableRegion,
    resource: 'table',
    resourceName: tableName,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });

/** The resources the statements are scoped to (the home function has no guardrail). */
export interface ProberResources {
  /** @default - no statement may be scoped to a guardrail */
  readonly guardrailArn?: string;
  readonly tableArn: string;
}

/** Statement id and ARNs of each resource kind of lib/prober-calls.ts. */
const resourceScope = (
  stack: Stack,
  r: ProberResources,
): Readonly<Record<ResourceKind, { sid: string; arns: string[] }>> => {
  const { partition, region, account } = stack;
  const bedrock = (rest: string): string => `arn:${partition}:bedrock:${rest}`;
  return {
    models: {
      sid: 'InvokeModels',
      arns: [
        // Profiles route to every region of their geography, so the region is a wildcard.
        bedrock('*::foundation-model/*'),
        // global. profiles authorise against the region-less ARN.
        bedrock('::foundation-model/*'),
        bedrock(`${region}:${account}:inference-profile/*`),
      ],
    },
    'runtime-project': { sid: 'RuntimeResponses', arns: [bedrock(`${region}:${account}:project/default`)] },
    guardrail: { sid: 'ProbeGuardrail', arns: r.guardrailArn === undefined ? [] : [r.guardrailArn] },
    'mantle-project': {
      sid: 'MantleProjects',
      arns: [`arn:${partition}:bedrock-mantle:${region}:${account}:project/*`],
    },
    any: { sid: 'NoResourceLevelPermissions', arns: ['*'] },
    table: { sid: 'ResultsTable', arns: [r.tableArn] },
    metrics: { sid: 'Metrics', arns: ['*'] },
    'event-bus': {
      sid: 'ChangeEvents',
      arns: [`arn:${partition}:events:${region}:${account}:event-bus/default`],
    },
    'account-facts': { sid: 'AccountFacts', arns: ['*'] },
    // The narrower ARNs name the management account, which no stack of this app knows.
    organizations: { sid: 'OrganizationsRead', arns: ['*'] },
  };
};

/**
 * One statement per resource kind that `include` keeps, with the actions of lib/prober-calls.ts.
 * The prober takes every kind but the home's; the home function takes the home's (metrics, events).
 */
export const callStatements = (
  stack: Stack,
  resources: ProberResources,
  include: (kind: ResourceKind) => boolean,
): PolicyStatement[] => {
  const scope = resourceScope(stack, resources);
  return [...actionsByResource()]
    .filter(([kind]) => include(kind))
    .map(
      ([kind, actions]) =>
        new PolicyStatement({
          sid: scope[kind].sid,
          effect: Effect.ALLOW,
          actions: [...actions],
          resources: scope[kind].arns,
          ...(kind === 'metrics'
            ? { conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } } }
            : {}),
          // Only events that say they come from bedrock-matrix, so rules can trust the source.
          ...(kind === 'event-bus'
            ? { conditions: { StringEquals: { 'events:source': EVENT_SOURCE } } }
            : {}),
        }),
    );
};

/**
 * The prober's statements, one per resource kind, built from the calls it makes
 * (lib/prober-calls.ts), the home's kinds (metrics, events) left out; `subscribeModels` adds the
 * AWS Marketplace subscription actions.
 */
export const proberStatements = (
  stack: Stack,
  resources: ProberResources,
  subscribeModels = false,
): PolicyStatement[] => {
  const statements = callStatements(stack, resources, isProberKind);
  if (subscribeModels) {
    statements.push(
      new PolicyStatement({
        sid: 'SubscribeModels',
        effect: Effect.ALLOW,
        // The first call to a third-party model subscribes the account through AWS Marketplace.
        actions: [...MARKETPLACE_ACTIONS],
        resources: ['*'],
      }),
    );
  }
  return statements;
};
