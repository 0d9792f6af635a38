import { describe, expect, it } from 'vitest';
import { costJson, costOfApp, readMeasurement } from '../../cost/main';
import { costOfOrgApp } from '../../cost/org-app';

/** The budgets of the home/region split (README "What it costs"), USD a month at list prices. */
const BUDGET = { regionExcludingTokens: 0.25, region: 3, home: 6 } as const;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

describe('the cost budgets', () => {
  // Prepare (shared): the app as `cdk synth -c regions=... -c home=us-east-1` builds it, defaults otherwise.
  const json = costJson(costOfApp(readMeasurement(), { regions: REGIONS.join(','), home: 'us-east-1' }));

  it('prints home and every region, in the --json contract', () => {
    // Assess
    expect(Object.keys(json)).toEqual(['home', 'regions', 'regionsExcludingTokens']);
    expect(Object.keys(json.regions).sort()).toEqual([...REGIONS].sort());
    expect(Object.keys(json.regionsExcludingTokens).sort()).toEqual([...REGIONS].sort());
  });

  it.each(REGIONS)(
    'keeps %s within $0.25 without tokens and guardrail text units, and $3 all-in',
    (region) => {
      // Assess
      expect(json.regionsExcludingTokens[region]).toBeGreaterThan(0);
      expect(json.regionsExcludingTokens[region]).toBeLessThanOrEqual(BUDGET.regionExcludingTokens);
      expect(json.regions[region]).toBeLessThanOrEqual(BUDGET.region);
    },
  );

  it('keeps the home stack within $6', () => {
    // Assess
    expect(json.home).toBeGreaterThan(0);
    expect(json.home).toBeLessThanOrEqual(BUDGET.home);
  });
});

/** The organization's budgets (issue 24), USD a month at list prices, for 30 accounts x 20 regions. */
const ORG_BUDGET = { memberExcludingInference: 0.1, home: 10 } as const;
/** The example organization the README documents (`cdk synth -c org=examples/org.json`). */
const ORG_CONFIG = 'examples/org.json';

describe("the organization's budgets", () => {
  // Prepare (shared): the organization of the example configuration (20 regions), 30 accounts.
  const org = costOfOrgApp(readMeasurement(), { org: ORG_CONFIG }, 30);

  it('prices 30 accounts x 20 regions', () => {
    // Assess
    expect([org.accounts, org.regions, org.members]).toEqual([30, 20, 600]);
  });

  it('keeps a member (one account in one region) within $0.10 without Bedrock inference', () => {
    // Assess
    expect(org.member.totalExcludingInference).toBeGreaterThan(0);
    expect(org.member.totalExcludingInference).toBeLessThanOrEqual(ORG_BUDGET.memberExcludingInference);
  });

  it("keeps the organization's home within $10", () => {
    // Assess
    expect(org.home.cost.total).toBeGreaterThan(0);
    expect(org.home.cost.total).toBeLessThanOrEqual(ORG_BUDGET.home);
  });
});
