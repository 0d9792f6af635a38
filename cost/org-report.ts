/**
 * `npm run cost -- -c org=<file>`: what an organization costs a month, from the organization's
 * home template, the StackSet's member template and the measured run: an ordinary member, a
 * probe member, the home, and the month of N accounts x the configuration's regions. Text,
 * `--json` and the README's organization block (test/cost/readme.test.ts keeps it in sync).
 */
import { ConfigError } from '../lib/config';
import { DEFAULT_ASSUMPTIONS } from './assumptions';
import { dollars, type StackCost } from './bill';
import type { RunMeasurement } from './measurement';
import { type OrgCostConfig, probeMembersOf, regionFactAccounts } from './org-config';
import { priceOrgHome } from './org-home';
import { memberTicksPerDay, priceMember, priceProbeMember } from './org-model';
import { freeLines, HOME_RESOURCES, MEMBER_RESOURCES } from './org-resources';
import { ORG_PRICES, PRICES, PRICES_DATE, PRICES_REGION } from './prices';
import type { SynthesizedStack } from './synth';
import { type CloudFormationTemplate, readStackShape } from './template';

/** The size of the README's example organization, and `--accounts`' default. */
export const EXAMPLE_ACCOUNTS = 30;

export interface OrgCostInputs {
  /** The organization's home stack (`BedrockMatrix-Home` of `cdk synth -c org=...`). */
  readonly home: SynthesizedStack;
  /** The StackSet's member template, parsed. */
  readonly member: CloudFormationTemplate;
  readonly org: OrgCostConfig;
  /** Accounts in the target OUs (each is a member in every target region). */
  readonly accounts: number;
  readonly run: RunMeasurement;
}

export interface OrgCosts {
  readonly home: { readonly stackName: string; readonly region: string; readonly cost: StackCost };
  readonly member: StackCost;
  readonly probeMember: StackCost;
  readonly accounts: number;
  readonly regions: number;
  readonly members: number;
  readonly probeMembers: number;
  readonly total: number;
  readonly totalExcludingInference: number;
}

/** Throws ConfigError when `accounts` cannot hold the accounts the configuration names. */
export function checkAccounts(org: OrgCostConfig, accounts: number): void {
  const needed = regionFactAccounts(org).size;
  if (!Number.isInteger(accounts) || accounts < needed)
    throw new ConfigError(
      'accounts',
      accounts,
      `${accounts} accounts cannot hold the configuration's ${needed} probe and full-matrix accounts`,
    );
}

/** Prices the organization: every member, the probe members, the home. Throws ConfigError on a bad account count. */
export function costOfOrg({ home, member, org, accounts, run }: OrgCostInputs): OrgCosts {
  checkAccounts(org, accounts);
  const shape = readStackShape(member);
  const regions = org.targets.regions.length;
  const members = accounts * regions;
  const probeMembers = probeMembersOf(org);
  const memberCost = priceMember({ shape, run });
  const probeCost = priceProbeMember({ shape, run });
  const homeCost = priceOrgHome({
    shape: readStackShape(home.template),
    regions,
    accounts,
    probeMembers,
    memberTicksPerDay: memberTicksPerDay(shape),
  });
  const sum = (pick: (c: StackCost) => number) =>
    (members - probeMembers) * pick(memberCost) + probeMembers * pick(probeCost) + pick(homeCost);
  return {
    home: { stackName: home.stackName, region: home.region, cost: homeCost },
    member: memberCost,
    probeMember: probeCost,
    accounts,
    regions,
    members,
    probeMembers,
    total: sum((c) => c.total),
    totalExcludingInference: sum((c) => c.totalExcludingInference),
  };
}

const round = (usd: number): number => Math.round(usd * 100) / 100;

/** The `--json` contract of an organization: dollars a month, each `…ExcludingInference` without tokens and guardrail text units. */
export function orgJson(c: OrgCosts) {
  return {
    member: round(c.member.total),
    memberExcludingInference: round(c.member.totalExcludingInference),
    probeMember: round(c.probeMember.total),
    probeMemberExcludingInference: round(c.probeMember.totalExcludingInference),
    home: round(c.home.cost.total),
    accounts: c.accounts,
    regions: c.regions,
    probeMembers: c.probeMembers,
    total: round(c.total),
    totalExcludingInference: round(c.totalExcludingInference),
  };
}

/** Three decimals below a dollar, where cents would round a member's items away. */
const fine = (usd: number): string => (usd < 1 ? usd.toFixed(3) : dollars(usd));

const assumed = (): string => {
  const a = DEFAULT_ASSUMPTIONS;
  return `an account tick ${a.accountTickSeconds} s and ${a.accountTickLogBytes} log bytes, ${a.accountChangesPerMonth} account changes a member a month (${a.probesPerAccountChange} targeted probes each), ${a.changesPerRegionMonth} region changes a month, about ${a.modelsPerRegion} models a region, the home ${a.orgHeartbeatSeconds} s per heartbeat and ${a.orgFactsSeconds} s per facts event, its inbox read by ${a.inboxPollers} Lambda pollers long-polling ${a.inboxLongPollSeconds} s, a batch what reaches one poller in the batching window (members tick on their own phases)`;
};

const summary = (c: OrgCosts): string =>
  `${c.accounts} accounts x ${c.regions} regions = ${c.members} members, ${c.probeMembers} of them probe members: ${c.members - c.probeMembers} x $${fine(c.member.total)} + ${c.probeMembers} x $${dollars(c.probeMember.total)} + home $${dollars(c.home.cost.total)} = $${dollars(c.total)} a month ($${dollars(c.totalExcludingInference)} without Bedrock inference)`;

const itemLines = (cost: StackCost, format = fine): string[] =>
  cost.items.map((i) => `  ${i.label.padEnd(100)} ${i.quantity.padEnd(60)} ${format(i.usd).padStart(8)}`);

const totals = (cost: StackCost): string[] => [
  `  ${'total'.padEnd(161)} ${fine(cost.total).padStart(8)}`,
  `  ${'total without Bedrock inference (tokens, guardrail text units)'.padEnd(161)} ${fine(cost.totalExcludingInference).padStart(8)}`,
];

export function orgText(c: OrgCosts, run: RunMeasurement): string {
  const stale = c.probeMember.staleSettings;
  const fallback = [...new Set([...c.member.fallbackPriced, ...c.probeMember.fallbackPriced])];
  return `${[
    `bedrock-matrix: what an organization costs a month (USD, ${PRICES_REGION} list prices of ${PRICES_DATE}, free tiers not subtracted)`,
    `Per-run items priced from one measured run: scenario "${run.scenario}", ${run.measuredAt.slice(0, 10)}, ${run.calls} Bedrock calls.`,
    `Assumed: ${assumed()} (cost/assumptions.ts).`,
    '',
    'A member (one account in one region; the sweep and sentinel schedules absent)',
    ...itemLines(c.member),
    ...totals(c.member),
    '',
    "A probe member (the region's probe account, or a full-matrix account: the member plus today's prober)",
    ...itemLines(c.probeMember),
    ...totals(c.probeMember),
    ...(stale.length > 0
      ? [
          `  WARNING: the measured run used other settings; run npm run cost -- --measure: ${stale.join('; ')}`,
        ]
      : []),
    '',
    `${c.home.stackName} (${c.home.region}), the organization's home`,
    ...itemLines(c.home.cost, dollars),
    `  ${'total'.padEnd(161)} ${dollars(c.home.cost.total).padStart(8)}`,
    '',
    summary(c),
    ...(fallback.length > 0
      ? [
          '',
          `No price of their own (priced at their provider's dearest listed model, an upper bound): ${fallback.join(', ')}`,
        ]
      : []),
    '',
    'Free at rest, member template:',
    ...freeLines(MEMBER_RESOURCES).map((l) => `  ${l}`),
    'Free at rest, home template:',
    ...freeLines(HOME_RESOURCES).map((l) => `  ${l}`),
    '',
    "Not counted: free tiers, KMS requests, Organizations API calls (free), code bucket PUTs at deploy, StackSet operations (free), alert e-mail, inbox receives repeated when the home function (one at a time) throttles a poller's batch.",
    '',
    'Prices:',
    ...[...Object.values(PRICES), ...Object.values(ORG_PRICES)].map(
      (p) => `  $${p.usd} per ${p.per}  (${p.source})`,
    ),
    '  Model token prices: cost/prices.ts MODEL_PRICES (each with its source).',
  ].join('\n')}\n`;
}

const tableRows = (cost: StackCost, format = fine): string[] =>
  cost.items.map((i) => `| ${i.label} | ${i.quantity} | ${format(i.usd)} |`);

/** The README's organization block (between `<!-- org-cost:begin -->` and `<!-- org-cost:end -->`). */
export function readmeOrgBlock(c: OrgCosts, run: RunMeasurement, configPath: string): string {
  return [
    `Computed by \`npm run cost -- -c org=${configPath} --accounts ${c.accounts} --readme\` from the organization's home template, the member template and the measured run`,
    `(scenario \`${run.scenario}\`, ${run.calls} Bedrock calls), at ${PRICES_REGION} list prices of ${PRICES_DATE}, free tiers not subtracted, assuming`,
    `${assumed()}:`,
    '',
    `| ${c.accounts} accounts x ${c.regions} regions, a month | count | each | USD |`,
    '| --- | ---: | ---: | ---: |',
    `| member (account x region), without Bedrock inference | ${c.members - c.probeMembers} | ${fine(c.member.totalExcludingInference)} | ${dollars((c.members - c.probeMembers) * c.member.totalExcludingInference)} |`,
    `| member's targeted probes (Bedrock inference) | ${c.members - c.probeMembers} | ${fine(c.member.total - c.member.totalExcludingInference)} | ${dollars((c.members - c.probeMembers) * (c.member.total - c.member.totalExcludingInference))} |`,
    `| probe member (probe or full-matrix account x region), all-in | ${c.probeMembers} | ${dollars(c.probeMember.total)} | ${dollars(c.probeMembers * c.probeMember.total)} |`,
    `| home (${c.home.stackName}, ${c.home.region}) | 1 | ${dollars(c.home.cost.total)} | ${dollars(c.home.cost.total)} |`,
    `| **total** | ${c.members} members | | **${dollars(c.total)}** |`,
    `| total without Bedrock inference | | | ${dollars(c.totalExcludingInference)} |`,
    '',
    '| A member, a month | quantity | USD |',
    '| --- | --- | ---: |',
    ...tableRows(c.member),
    `| **total without Bedrock inference** | | **${fine(c.member.totalExcludingInference)}** |`,
    '',
    `| ${c.home.stackName}, the organization's home, a month | quantity | USD |`,
    '| --- | --- | ---: |',
    ...tableRows(c.home.cost, dollars),
    `| **total** | | **${dollars(c.home.cost.total)}** |`,
  ].join('\n');
}
