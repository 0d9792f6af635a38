import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  App,
  Aws,
  BootstraplessSynthesizer,
  CfnCondition,
  CfnMapping,
  Duration,
  Fn,
  type ICfnConditionExpression,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { ContextAttribute, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { PATH_METADATA_ENABLE_CONTEXT } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { ACCOUNT_KIND, ACCOUNT_TICK_MINUTES, MEMBER_TABLE_NAME } from '../../lambda/shared/org-names';
import { TABLE_SCHEMA } from '../../lambda/shared/table-schema';
import { type MatrixConfig, scheduleGap } from '../config';
import { ProbeGuardrail } from '../probe-guardrail';
import { pickProberSettings } from '../prober-function';
import { ProberSchedule, proberTickInput } from '../prober-schedule';
import { MemberForwarder } from './member-forwarder';
import { MemberFunction } from './member-function';
import type { OrgConfig } from './org-config';

/** The member stack's name where it is synthesized on its own (StackSet instances get their own names). */
export const MEMBER_STACK_NAME = 'BedrockMatrix-Member';

/** CloudFormation's limit of a TemplateBody passed inline (the StackSet's), in bytes. */
export const TEMPLATE_BODY_LIMIT = 51_200;

/** The member's probe Guardrail (a region stack's is `bedrock-matrix-probe`). */
export const MEMBER_GUARDRAIL_NAME = 'bedrock-matrix-member-probe';

/** Name of the condition under which a member measures region facts (the sweep and the sentinel). */
export const PROBES_REGION_FACTS = 'ProbesRegionFacts';

export interface MemberStackProps
  extends StackProps,
    Omit<MatrixConfig, 'regions' | 'home' | 'alarmEmails' | 'sentinelPeriodMinutes'> {
  readonly org: Pick<OrgConfig, 'home' | 'probeAccounts' | 'fullMatrixAccounts'>;
  /** Key of the member code zip in each region's code bucket (lib/org/code-bucket-stack.ts). */
  readonly codeKey: string;
}

/**
 * What the StackSet puts in every member account and region, flat and self-contained: its own
 * small table, the probe Guardrail, the member function (code from the region's code bucket), its
 * schedules, and the rule that forwards its events home. No asset, no bootstrap parameter, no
 * key, topic, alarm, dashboard or custom metric: a member costs cents at rest. The account tick
 * runs everywhere; the sweep and the sentinel only where this account measures the region facts.
 */
export class MemberStack extends Stack {
  readonly table: TableV2;
  readonly guardrail: ProbeGuardrail;
  readonly member: MemberFunction;
  readonly schedule: ProberSchedule;
  readonly forwarder: MemberForwarder;
  readonly probesRegionFacts: CfnCondition;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, {
      ...props,
      // No bootstrap in a member: no BootstrapVersion parameter or rule, and no asset allowed.
      synthesizer: new BootstraplessSynthesizer(),
      analyticsReporting: false,
    });
    const { home, probeAccounts, fullMatrixAccounts } = props.org;
    const probeAccount = new CfnMapping(this, 'ProbeAccounts', {
      mapping: Object.fromEntries(Object.entries(probeAccounts).map(([r, a]) => [r, { account: a }])),
    }).findInMap(Aws.REGION, 'account');
    const isProbeAccount = Fn.conditionEquals(Aws.ACCOUNT_ID, probeAccount);
    const fullMatrix =
      fullMatrixAccounts.length === 0
        ? undefined
        : new CfnCondition(this, 'FullMatrixAccount', { expression: anyOf(fullMatrixAccounts) });
    this.probesRegionFacts = new CfnCondition(this, PROBES_REGION_FACTS, {
      expression: fullMatrix ? Fn.conditionOr(isProbeAccount, fullMatrix) : isProbeAccount,
    });

    this.table = memberTable(this);
    this.guardrail = new ProbeGuardrail(this, 'ProbeGuardrail', {
      canary: props.canary,
      // Not the region stack's name: an account that also runs the single-account stacks in this
      // region would otherwise fail the StackSet instance on a name clash.
      guardrailName: MEMBER_GUARDRAIL_NAME,
    });
    this.member = new MemberFunction(this, 'Member', {
      ...pickProberSettings(props),
      table: this.table,
      guardrail: this.guardrail,
      homeAccount: home.account,
      codeKey: props.codeKey,
      probeAccount,
      fullMatrix: fullMatrix ? Fn.conditionIf(fullMatrix.logicalId, '1', '0').toString() : '0',
    });

    this.schedule = new ProberSchedule(this, 'Schedule', {
      target: this.member.function,
      expression: `rate(${ACCOUNT_TICK_MINUTES} minutes)`,
      setting: 'sentinelSchedule',
      input: ScheduleTargetInput.fromObject({
        kind: ACCOUNT_KIND,
        scheduledTime: ContextAttribute.scheduledTime,
      }),
      purpose: 'start one account-facts tick of the member function',
      rolePurpose: 'start the member function: account facts, and the sweep and sentinel where it probes',
      // A missed tick is made up by the next one.
      retryAttempts: 0,
      maxEventAge: Duration.minutes(ACCOUNT_TICK_MINUTES),
    });
    const sweep = this.schedule.addSchedule('Sweep', {
      expression: props.schedule,
      input: proberTickInput('sweep'),
      purpose: 'start one full sweep of the member function (region facts)',
    });
    const sentinelMinutes = scheduleGap(props.sentinelSchedule, 'sentinelSchedule');
    const sentinel = this.schedule.addSchedule('Sentinel', {
      expression: props.sentinelSchedule,
      setting: 'sentinelSchedule',
      input: proberTickInput('sentinel'),
      purpose: 'start one sentinel tick of the member function (region facts)',
      retryAttempts: 0,
      maxEventAge: Duration.minutes(Math.min(Math.max(sentinelMinutes, 1), 24 * 60)),
    });
    for (const s of [sweep, sentinel])
      (s.node.defaultChild as CfnSchedule).cfnOptions.condition = this.probesRegionFacts;

    this.forwarder = new MemberForwarder(this, 'Forwarder', {
      homeAccount: home.account,
      homeRegion: home.region,
    });
  }
}

/** True when this account is one of `accounts` (Fn::Or takes 2 to 10 conditions: nested beyond). */
const anyOf = (accounts: readonly string[]): ICfnConditionExpression => {
  const equals = accounts.map((a) => Fn.conditionEquals(Aws.ACCOUNT_ID, a));
  const or = (items: ICfnConditionExpression[]): ICfnConditionExpression => {
    if (items.length === 1) return items[0] as ICfnConditionExpression;
    if (items.length <= 10) return Fn.conditionOr(...items);
    const groups: ICfnConditionExpression[] = [];
    for (let i = 0; i < items.length; i += 10) groups.push(or(items.slice(i, i + 10)));
    return or(groups);
  };
  return or(equals);
};

/**
 * The member's own table: what it last sent home, so a change that could not be sent is found again
 * on the next tick. The results table's key schema; no stream (nothing reads it but the member),
 * no point-in-time recovery and DESTROY: the next tick rebuilds its state.
 */
const memberTable = (scope: Construct): TableV2 => {
  const [partition, sort] = TABLE_SCHEMA.keys;
  const table = new TableV2(scope, 'Table', {
    tableName: MEMBER_TABLE_NAME,
    partitionKey: { name: partition.name, type: AttributeType.STRING },
    sortKey: { name: sort.name, type: AttributeType.STRING },
    billing: Billing.onDemand(),
    timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(table).acknowledge({
    id: 'AwsSolutions-DDB3',
    reason:
      "The member table holds only what the member last sent home and is rebuilt by its next tick; the organization's record is the home table, which has point-in-time recovery.",
  });
  return table;
};

/**
 * Synthesizes the member stack on its own (its own App, checked by cdk-nag) and returns its
 * template, for the StackSet's TemplateBody. `validate` runs CDK's built-in CloudFormation
 * validation as the caller's app does.
 */
export const synthMemberTemplate = (
  props: MemberStackProps,
  options: { readonly validate?: boolean } = {},
): Record<string, unknown> => {
  const outdir = mkdtempSync(join(tmpdir(), 'bedrock-matrix-member-synth-'));
  try {
    const app = new App({ outdir, builtinCloudFormationValidation: options.validate ?? true });
    // Path metadata only helps the CDK CLI, which never sees this template: bytes saved. Set after
    // the App read the CLI's context (CDK_CONTEXT_JSON turns it on), before any construct exists.
    app.node.setContext(PATH_METADATA_ENABLE_CONTEXT, false);
    const stack = new MemberStack(app, MEMBER_STACK_NAME, props);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};
