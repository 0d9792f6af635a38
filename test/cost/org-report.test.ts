import { describe, expect, it } from 'vitest';
import type { StackCost } from '../../cost/bill';
import { parseArgs } from '../../cost/main';
import type { RunMeasurement } from '../../cost/measurement';
import { orgTemplates } from '../../cost/org-app';
import { costOfOrg, orgJson, readmeOrgBlock } from '../../cost/org-report';
import { HOME_RESOURCES, MEMBER_RESOURCES } from '../../cost/org-resources';
import type { CloudFormationTemplate } from '../../cost/template';
import { readOrgConfig } from '../../lib/org/org-config';

const run: RunMeasurement = {
  measuredAt: '2026-12-06T00:00:00.000Z',
  scenario: 'today',
  settings: {},
  periodMinutes: 1440,
  calls: 10,
  probesSent: 10,
  tokens: { 'amazon.nova-micro': { input: 1_000_000, output: 0 } },
  guardrailTextUnits: 0,
  writeUnits: 1000,
  readUnits: 100,
  expiringBytes: 0,
  lastingBytes: 0,
  logBytes: 0,
};

/** The example organization as `cdk synth -c org=examples/org.json` builds it (one synth). */
const EXAMPLE = 'examples/org.json';
const templates = orgTemplates({ org: EXAMPLE });

const inputs = (accounts: number) => ({
  ...templates,
  org: readOrgConfig(EXAMPLE),
  accounts,
  run,
});

describe("an organization's month", () => {
  it('is every ordinary member, every probe member and the home', () => {
    // Act
    const c = costOfOrg(inputs(30));

    // Assess: 30 accounts x 20 regions; every region's probe account and the full-matrix account.
    expect([c.members, c.probeMembers, c.regions]).toEqual([600, 40, 20]);
    expect(c.total).toBeCloseTo(560 * c.member.total + 40 * c.probeMember.total + c.home.cost.total, 9);
    expect(c.totalExcludingInference).toBeCloseTo(
      560 * c.member.totalExcludingInference + 40 * c.probeMember.totalExcludingInference + c.home.cost.total,
      9,
    );
    expect(Object.keys(orgJson(c))).toEqual([
      'member',
      'memberExcludingInference',
      'probeMember',
      'probeMemberExcludingInference',
      'home',
      'accounts',
      'regions',
      'probeMembers',
      'total',
      'totalExcludingInference',
    ]);
    expect(readmeOrgBlock(c, run, 'examples/org.json')).toContain(
      `| **total** | 600 members | | **${c.total.toFixed(2)}** |`,
    );
  });

  it('refuses fewer accounts than the configuration names to measure region facts, in one line', () => {
    // Act
    const act = () => costOfOrg(inputs(2));

    // Assess
    expect(act).toThrow(
      'Invalid context "accounts": 2 accounts cannot hold the configuration\'s 3 probe and full-matrix accounts',
    );
  });

  it.each([
    [['--accounts', '0', '-c', 'org=x.json'], '--accounts "0" is not a whole number of accounts'],
    [['--accounts', 'many', '-c', 'org=x.json'], '--accounts "many" is not a whole number of accounts'],
    [['--accounts'], '--accounts "" is not a whole number of accounts'],
    [['--accounts', '30'], '--accounts prices an organization: give -c org=<file> too'],
  ])('refuses the command line %j before any work', (argv, message) => {
    // Assess
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('takes --accounts with an organization', () => {
    // Act
    const args = parseArgs(['-c', 'org=examples/org.json', '--accounts', '12', '--json']);

    // Assess
    expect(args).toMatchObject({ overrides: { org: 'examples/org.json' }, accounts: 12, json: true });
  });
});

describe("every resource of the organization's real templates", () => {
  // Prepare (shared): the example organization priced from its synthesized templates.
  const c = costOfOrg(inputs(30));
  const typesOf = (template: CloudFormationTemplate) =>
    [...new Set(Object.values(template.Resources ?? {}).map((r) => r.Type))].sort();
  const keysOf = (...costs: StackCost[]) => new Set(costs.flatMap((k) => k.items.map((i) => i.key)));

  it.each([
    ['member', MEMBER_RESOURCES, templates.member, keysOf(c.member, c.probeMember)],
    ['home', HOME_RESOURCES, templates.home.template, keysOf(c.home.cost)],
  ] as const)(
    'of the %s is priced by an item of its bill or listed as free with why',
    (_, listed, template, keys) => {
      // Assess: the list is exactly the template's types; a priced type's items are in the bill.
      expect(Object.keys(listed).sort()).toEqual(typesOf(template));
      for (const [type, how] of Object.entries(listed))
        if ('items' in how)
          expect(
            how.items.filter((k) => keys.has(k)),
            type,
          ).not.toEqual([]);
    },
  );
});
