/**
 * The organization's templates for the cost model: the home stack and the StackSet's member
 * template, as `cdk synth -c org=<file>` builds them. The one place to change when the org app
 * (lib/org/) lands: until then today's home synthesized with the organization's regions and home
 * region stands in for the org home (cost/org-home.ts adds the org parts it lacks and says so),
 * and the member template is the fixture of the member stack's resources in test/cost/fixtures.
 */
import { readFileSync } from 'node:fs';
import { HOME_STACK_NAME } from '../lambda/shared/names';
import type { RunMeasurement } from './measurement';
import { readOrgCostConfig } from './org-config';
import { checkAccounts, costOfOrg, type OrgCosts } from './org-report';
import { type SynthesizedStack, synthStacks } from './synth';
import type { CloudFormationTemplate } from './template';

/** The member template's stand-in (lib/org/member-stack.ts's resource types and billed properties). */
export const MEMBER_TEMPLATE_FIXTURE = new URL('../test/cost/fixtures/member.template.json', import.meta.url);

export interface OrgTemplates {
  readonly home: SynthesizedStack;
  readonly member: CloudFormationTemplate;
}

/** The organization's home and member templates; `overrides` as for `cdk synth` (`org` among them). */
export function orgTemplates(
  org: { readonly regions: readonly string[]; readonly homeRegion: string },
  overrides: Readonly<Record<string, string>>,
): OrgTemplates {
  const { org: _, ...rest } = overrides;
  const stacks = synthStacks({ ...rest, regions: org.regions.join(','), home: org.homeRegion });
  const home = stacks.find((s) => s.stackName === HOME_STACK_NAME);
  if (!home) throw new Error(`the app has no ${HOME_STACK_NAME} stack`);
  const member = JSON.parse(readFileSync(MEMBER_TEMPLATE_FIXTURE, 'utf8')) as CloudFormationTemplate;
  return { home, member };
}

/** Prices the organization of `overrides.org` (a configuration file) with `accounts` accounts. */
export function costOfOrgApp(
  run: RunMeasurement,
  overrides: Readonly<Record<string, string>> & { readonly org: string },
  accounts: number,
): OrgCosts {
  const org = readOrgCostConfig(overrides.org);
  checkAccounts(org, accounts); // before the synth: a bad count is one line, at once
  return costOfOrg({ ...orgTemplates(org, overrides), org, accounts, run });
}
