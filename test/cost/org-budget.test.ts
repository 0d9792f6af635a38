import { describe, expect, it } from 'vitest';
import { readMeasurement } from '../../cost/main';
import { costOfOrgApp } from '../../cost/org-app';
import { orgJson, readmeOrgBlock } from '../../cost/org-report';
import { README, unpadded, written } from './readme-blocks';

// The organization's budgets and the README's organization block, from one synth of the example
// organization (21 stacks under cdk-nag: an integration test, left out of test:fast).

/** The organization's budgets (issue 24), USD a month at list prices, for 30 accounts x 20 regions. */
const ORG_BUDGET = { memberExcludingInference: 0.1, home: 10 } as const;
/** The example organization the README documents (`cdk synth -c org=examples/org.json`). */
const ORG_CONFIG = 'examples/org.json';

// Prepare (shared): the example organization (20 regions), 30 accounts, as `npm run cost -- -c org=...` prices it.
const run = readMeasurement();
const org = costOfOrgApp(run, { org: ORG_CONFIG }, 30);

describe("the organization's budgets", () => {
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

describe("the README's organization cost figures", () => {
  it('are what npm run cost -- -c org=... --readme computes', () => {
    // Act
    const block = readmeOrgBlock(org, run, ORG_CONFIG);
    const json = orgJson(org);

    // Assess
    expect(unpadded(written('org-cost'))).toBe(unpadded(block));
    expect(README).toContain(`$${json.memberExcludingInference.toFixed(2)} a month`);
    expect(README).toContain(`$${json.home.toFixed(2)} a month`);
    expect(README).toContain(`$${json.total.toFixed(2)} a month`);
    expect(README).toContain(`$${json.totalExcludingInference.toFixed(2)} without Bedrock inference`);
  });
});
