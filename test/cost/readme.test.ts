import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { costJson, costOfApp, readMeasurement, readmeCostBlock } from '../../cost/main';
import { costOfOrgApp } from '../../cost/org-app';
import { orgJson, readmeOrgBlock } from '../../cost/org-report';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** A block with the table's column padding taken out: the formatter (biome) aligns README tables. */
const unpadded = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').replace(/-{3,}/g, '---').replace(/ \|/g, ' |'))
    .join('\n');

/** The README's block between `<!-- name:begin -->` and `<!-- name:end -->`, as written. */
const written = (name = 'cost'): string => {
  const m = new RegExp(`<!-- ${name}:begin -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(README);
  return m?.[1] ?? `(no ${name} block in README.md)`;
};

/** The example organization of the README (20 regions), as the README's command names it. */
const ORG_EXAMPLE = 'examples/org.json';
const ORG_ACCOUNTS = 30;

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

describe("the README's organization cost figures", () => {
  // Prepare (shared): the example organization, 30 accounts, as `npm run cost -- -c org=...` prices it.
  const run = readMeasurement();
  const org = costOfOrgApp(run, { org: ORG_EXAMPLE }, ORG_ACCOUNTS);

  it('are what npm run cost -- -c org=... --readme computes', () => {
    // Act
    const block = readmeOrgBlock(org, run, ORG_EXAMPLE);
    const json = orgJson(org);

    // Assess
    expect(unpadded(written('org-cost'))).toBe(unpadded(block));
    expect(README).toContain(`$${json.memberExcludingInference.toFixed(2)} a month`);
    expect(README).toContain(`$${json.home.toFixed(2)} a month`);
    expect(README).toContain(`$${json.total.toFixed(2)} a month`);
    expect(README).toContain(`$${json.totalExcludingInference.toFixed(2)} without Bedrock inference`);
  });
});
