import type { App } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { HOME_STACK_NAME } from '../../lambda/shared/names';
import { codeStackNameFor } from '../../lambda/shared/org-names';
import type { MatrixConfig } from '../config';
import { HomeStack } from '../home-stack';
import { CodeBucketStack } from './code-bucket-stack';
import { memberBundle } from './member-code';
import { synthMemberTemplate } from './member-stack';
import type { OrgConfig } from './org-config';
import { OrgHomeSynthesizer } from './org-home';

/** The organization app's stacks (lib/app.ts adds cdk-nag). */
export interface OrgStacks {
  readonly home: HomeStack;
  readonly code: readonly CodeBucketStack[];
  /** The member template the StackSet deploys. */
  readonly memberTemplate: Record<string, unknown>;
}

/**
 * Builds an organization's app (docs/organization.md): one code stack per target region in the
 * home account (the member code, readable by the organization), then the home stack in the home
 * account and region, whose StackSet deploys the member template to every account of the target
 * OUs in every target region. No region stack: the members probe.
 */
export const buildOrgStacks = (app: App, config: MatrixConfig, org: OrgConfig): OrgStacks => {
  const { regions: _regions, home: _home, alarmEmails, sentinelPeriodMinutes, ...settings } = config;
  // An app that bundles no stack (`cdk synth` of no stack, the construct tests) gets a stand-in.
  const bundlingStacks = app.node.tryGetContext(BUNDLING_STACKS);
  const bundle = memberBundle({ bundle: !(Array.isArray(bundlingStacks) && bundlingStacks.length === 0) });

  const code = org.targets.regions.map(
    (region) =>
      new CodeBucketStack(app, codeStackNameFor(region), {
        env: { account: org.home.account, region },
        description: `bedrock-matrix: the member function's code for ${region}, readable by ${org.organizationId}`,
        organizationId: org.organizationId,
        codeDir: bundle.dir,
      }),
  );
  // The same directory in every region is the same asset, hence the same key.
  const keys = new Set(code.map((c) => c.codeKey));
  const codeKey = [...keys][0];
  if (keys.size !== 1 || codeKey === undefined)
    throw new Error(`the code stacks disagree on the member code key: ${[...keys].join(', ')}`);

  const memberTemplate = synthMemberTemplate(
    { ...settings, org, codeKey },
    { validate: app._builtinCloudFormationValidation },
  );
  const home = new HomeStack(app, HOME_STACK_NAME, {
    env: { account: org.home.account, region: org.home.region },
    synthesizer: new OrgHomeSynthesizer(memberTemplate),
    description: `bedrock-matrix organization home of ${org.organizationId}: results, alerts, dashboard and alarms of ${org.targets.regions.length} regions`,
    regions: org.targets.regions,
    alarmEmails: org.alarmEmails ?? alarmEmails,
    sentinelPeriodMinutes,
    noticeDays: config.noticeDays,
    dependencyTimeoutMs: config.dependencyTimeoutMs,
    org: { config: org, memberTemplate },
  });
  // The StackSet's members read their code from these buckets: code first, then the StackSet.
  for (const c of code) home.addStackDependency(c, `the member stacks read their code from ${c.stackName}`);
  return { home, code, memberTemplate };
};
