import { describe, expect, it } from 'vitest';
import { costJson, costOfApp, readMeasurement } from '../../cost/main';

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
