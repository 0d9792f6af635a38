/**
 * The organization's templates for the cost model, as `cdk synth -c org=<file>` builds them
 * (lib/org/org-app.ts): the home stack, and the member template its StackSet deploys, read from
 * the StackSet's TemplateBody (the bytes CloudFormation gets; the same template lib/org writes
 * beside the stacks as MEMBER_TEMPLATE_FILE for people to read).
 */
import { HOME_STACK_NAME } from '../lambda/shared/names';
import { readOrgConfig } from '../lib/org/org-config';
import type { RunMeasurement } from './measurement';
import { checkAccounts, costOfOrg, type OrgCosts } from './org-report';
import { type SynthesizedStack, synthStacks } from './synth';
import type { CloudFormationTemplate } from './template';

export interface OrgTemplates {
  readonly home: SynthesizedStack;
  readonly member: CloudFormationTemplate;
}

/** The member template of an organization home: its one StackSet's TemplateBody, parsed. */
export function memberTemplateOf(home: CloudFormationTemplate): CloudFormationTemplate {
  const stackSets = Object.values(home.Resources ?? {}).filter(
    (r) => r.Type === 'AWS::CloudFormation::StackSet',
  );
  const body = stackSets[0]?.Properties?.TemplateBody;
  if (stackSets.length !== 1 || typeof body !== 'string')
    throw new Error(
      `the organization home has ${stackSets.length} StackSets, not one with an inline TemplateBody`,
    );
  return JSON.parse(body) as CloudFormationTemplate;
}

/** The organization's home and member templates; `overrides` as for `cdk synth` (`org` among them). */
export function orgTemplates(
  overrides: Readonly<Record<string, string>> & { readonly org: string },
): OrgTemplates {
  const home = synthStacks(overrides).find((s) => s.stackName === HOME_STACK_NAME);
  if (!home) throw new Error(`the app has no ${HOME_STACK_NAME} stack`);
  return { home, member: memberTemplateOf(home.template) };
}

/** Prices the organization of `overrides.org` (a configuration file) with `accounts` accounts. */
export function costOfOrgApp(
  run: RunMeasurement,
  overrides: Readonly<Record<string, string>> & { readonly org: string },
  accounts: number,
): OrgCosts {
  const org = readOrgConfig(overrides.org);
  checkAccounts(org, accounts); // before the synth: a bad count is one line, at once
  return costOfOrg({ ...orgTemplates(overrides), org, accounts, run });
}
