import { describe, expect, it } from 'vitest';
import { costJson, costOfApp, readMeasurement, readmeCostBlock } from '../../cost/main';
import { README, unpadded, written } from './readme-blocks';

describe("the README's cost figures", () => {
  // Prepare (shared): one synth of the app as `cdk synth` builds it (cdk.json's context), unbundled.
  const run = readMeasurement();
  const costs = costOfApp(run);

  it('are what npm run cost computes from the synthesized templates and the measured run', () => {
    // Act
    const block = readmeCostBlock(costs, run);
    const json = costJson(costs);

    // Assess
    expect(unpadded(written())).toBe(unpadded(block));
    expect(README).toContain(`$${json.home.toFixed(2)} a month`);
    expect(README).toContain(`$${json.regions['us-east-1']?.toFixed(2)} a month`);
    expect(README).toContain(`$${json.regionsExcludingTokens['us-east-1']?.toFixed(2)} without`);
    expect(README).not.toMatch(/costs little/);
  });

  it('rest on a measured run made with the settings the template deploys', () => {
    // Assess: a changed default (concurrency, max tokens, apis, schedule) needs `npm run cost -- --measure`.
    for (const c of costs.regions) expect(c.cost.staleSettings).toEqual([]);
  });
});
