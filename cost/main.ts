/**
 * `npm run cost`: what the deployed app costs a month, the home stack and each region stack,
 * itemised, from the synthesized templates (`-c key=value` as for `cdk synth`) and the measured run
 * in cost/measured-run.json. `--json` prints `{"home": $, "regions": {...}, "regionsExcludingTokens":
 * {...}}`; `--readme` prints the README's cost block; `--measure` first measures a run on the
 * simulator again and rewrites that file. With `-c org=<file>` (and `--accounts N`, default 30) it
 * prices an organization instead (cost/org-report.ts): a member, a probe member, the home, the month.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { HOME_STACK_NAME, type RunKind } from '../lambda/shared/names';
import { ConfigError, scheduleGap } from '../lib/config';
import type { RunMeasurement } from './measurement';
import {
  DEFAULT_ASSUMPTIONS,
  dollars,
  priceHome,
  priceRegion,
  proberRunsMonth,
  type StackCost,
} from './model';
import { costOfOrgApp } from './org-app';
import { EXAMPLE_ACCOUNTS, orgJson, orgText, readmeOrgBlock } from './org-report';
import { PRICES, PRICES_DATE, PRICES_REGION } from './prices';
import { synthStacks } from './synth';
import { readStackShape } from './template';

export const MEASUREMENT_FILE = new URL('./measured-run.json', import.meta.url);

export interface StackCosts {
  readonly stackName: string;
  readonly region: string;
  readonly cost: StackCost;
}

export interface AppCosts {
  readonly home: StackCosts;
  readonly regions: readonly StackCosts[];
}

export const readMeasurement = (): RunMeasurement =>
  JSON.parse(readFileSync(MEASUREMENT_FILE, 'utf8')) as RunMeasurement;

/** Prices every stack of the app as `cdk synth -c ...overrides` would build it. */
export function costOfApp(run: RunMeasurement, overrides: Readonly<Record<string, string>> = {}): AppCosts {
  const stacks = synthStacks(overrides).map((s) => ({ ...s, shape: readStackShape(s.template) }));
  const home = stacks.find((s) => s.stackName === HOME_STACK_NAME);
  if (!home) throw new Error(`the app has no ${HOME_STACK_NAME} stack`);
  const regions = stacks.filter((s) => s !== home);
  return {
    home: {
      stackName: home.stackName,
      region: home.region,
      cost: priceHome({
        shape: home.shape,
        regions: regions.length,
        regionRunsMonth: regions.reduce((sum, r) => sum + proberRunsMonth(r.shape), 0),
      }),
    },
    regions: regions.map((s) => ({
      stackName: s.stackName,
      region: s.region,
      cost: priceRegion({ shape: s.shape, run, home: home.shape, atHome: s.region === home.region }),
    })),
  };
}

const round = (usd: number): number => Math.round(usd * 100) / 100;

/** The `--json` contract: `{"home": $, "regions": {region: $ all-in}, "regionsExcludingTokens": {region: $}}`. */
export function costJson(costs: AppCosts) {
  return {
    home: round(costs.home.cost.total),
    regions: Object.fromEntries(costs.regions.map((c) => [c.region, round(c.cost.total)])),
    regionsExcludingTokens: Object.fromEntries(
      costs.regions.map((c) => [c.region, round(c.cost.totalExcludingInference)]),
    ),
  };
}

const itemLines = (cost: StackCost): string[] =>
  cost.items.map((i) => `  ${i.label.padEnd(68)} ${i.quantity.padEnd(52)} ${dollars(i.usd).padStart(8)}`);

export function costText(costs: AppCosts, run: RunMeasurement): string {
  const a = DEFAULT_ASSUMPTIONS;
  const width = 121;
  const lines = [
    `bedrock-matrix: what the deployed app costs a month, the home stack and each region stack (USD, ${PRICES_REGION} list prices of ${PRICES_DATE}, free tiers not subtracted)`,
    `Per-run items priced from one measured run: scenario "${run.scenario}" on the local simulator, ${run.measuredAt.slice(0, 10)}, ${run.calls} Bedrock calls (npm run cost -- --measure takes it again).`,
    `Assumed: ${a.callSeconds} s per real Bedrock call (docs/bench.md: 1-3 s); a sentinel tick ${a.sentinelTickSeconds} s, ${a.sentinelLogBytes} log bytes, ${a.sentinelReadUnits} read and ${a.sentinelWriteUnits} write units at home; home ${a.homeInvocationSeconds} s and ${a.homeLogBytes} log bytes per invocation, ${a.changesPerRegionMonth} changes a region a month, ${a.dashboardViewsMonth} dashboard views a month.`,
    '',
    `${costs.home.stackName} (${costs.home.region})`,
    ...itemLines(costs.home.cost),
    `  ${'total'.padEnd(width)} ${dollars(costs.home.cost.total).padStart(8)}`,
  ];
  for (const { stackName, region, cost } of costs.regions) {
    lines.push('', `${stackName} (${region})`, ...itemLines(cost));
    lines.push(`  ${'total'.padEnd(width)} ${dollars(cost.total).padStart(8)}`);
    lines.push(
      `  ${'total without Bedrock inference (tokens, guardrail text units)'.padEnd(width)} ${dollars(cost.totalExcludingInference).padStart(8)}`,
    );
    if (cost.staleSettings.length > 0)
      lines.push(
        `  WARNING: the measured run used other settings; run npm run cost -- --measure: ${cost.staleSettings.join('; ')}`,
      );
  }
  const fallback = [...new Set(costs.regions.flatMap((c) => c.cost.fallbackPriced))];
  if (fallback.length > 0)
    lines.push(
      '',
      `No price of their own (priced at their provider's dearest listed model, an upper bound): ${fallback.join(', ')}`,
    );
  lines.push(
    '',
    "Not counted: free tiers (CloudWatch, Lambda, Scheduler, the first 3 dashboards), KMS requests, SQS, alarm and alert e-mail, GetMetricData of dashboard graphs, the re-probes of a run with changes, the targeted runs a catalog change starts (a few models' share of a sweep).",
    '',
    'Prices:',
    ...Object.values(PRICES).map((p) => `  $${p.usd} per ${p.per}  (${p.source})`),
    '  Model token prices: cost/prices.ts MODEL_PRICES (each with its source).',
  );
  return `${lines.join('\n')}\n`;
}

const tableRows = (cost: StackCost): string[] =>
  cost.items.map((i) => `| ${i.label} | ${i.quantity} | ${dollars(i.usd)} |`);

/**
 * The README's cost block (between `<!-- cost:begin -->` and `<!-- cost:end -->`): the itemised
 * month of the home and of the first region, and the totals of each region. test/cost/readme.test.ts
 * recomputes it.
 */
export function readmeCostBlock(costs: AppCosts, run: RunMeasurement): string {
  const [first] = costs.regions;
  if (!first) return '';
  const a = DEFAULT_ASSUMPTIONS;
  return [
    `Computed by \`npm run cost\` from the synthesized templates of \`${costs.home.stackName}\` and \`${first.stackName}\` and a measured run`,
    `(scenario \`${run.scenario}\` on the simulator, ${run.calls} Bedrock calls, measured ${run.measuredAt.slice(0, 10)}),`,
    `at ${PRICES_REGION} list prices of ${PRICES_DATE}, free tiers not subtracted, ${a.callSeconds} s per real Bedrock call,`,
    `${a.sentinelTickSeconds} s per sentinel tick (four catalog reads and two small items at home),`,
    `${a.changesPerRegionMonth} changes a region and ${a.dashboardViewsMonth} dashboard views a month:`,
    '',
    `| ${costs.home.stackName} (${costs.home.region}), a month | quantity | USD |`,
    '| --- | --- | ---: |',
    ...tableRows(costs.home.cost),
    `| **total** | | **${dollars(costs.home.cost.total)}** |`,
    '',
    `| ${first.stackName} (${first.region}), a month | quantity | USD |`,
    '| --- | --- | ---: |',
    ...tableRows(first.cost),
    `| **total** | | **${dollars(first.cost.total)}** |`,
    `| total without Bedrock inference (tokens, guardrail text units) | | ${dollars(first.cost.totalExcludingInference)} |`,
  ].join('\n');
}

/** The command line of `npm run cost`; a bad argument is one ConfigError line (exit 2). */
export function parseArgs(argv: readonly string[]) {
  const overrides: Record<string, string> = {};
  let json = false;
  let measure = false;
  let readme = false;
  let accounts: number | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--accounts') {
      i += 1;
      const value = argv[i];
      accounts = /^[1-9]\d*$/.test(value ?? '') ? Number(value) : Number.NaN;
      if (Number.isNaN(accounts))
        throw new ConfigError(
          'accounts',
          value,
          `--accounts "${value ?? ''}" is not a whole number of accounts`,
        );
    } else if (arg === '--measure') measure = true;
    else if (arg === '--readme') readme = true;
    else if (arg === '-c' || arg === '--context') {
      i += 1;
      const [key, ...value] = (argv[i] ?? '').split('=');
      if (!key || value.length === 0) throw new ConfigError(arg, argv[i], `"${argv[i]}" is not key=value`);
      overrides[key] = value.join('=');
    } else
      throw new ConfigError(
        'argument',
        arg,
        `unknown argument "${arg}" (use --json, --readme, --measure, --accounts N, -c key=value)`,
      );
  }
  if (accounts !== undefined && overrides.org === undefined)
    throw new ConfigError('accounts', accounts, '--accounts prices an organization: give -c org=<file> too');
  return { overrides, json, measure, readme, accounts };
}

async function main(argv: readonly string[]): Promise<number> {
  // The SDK's Node 20 notice (README "Quickstart") would sit in the middle of the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { overrides, json, measure, readme, accounts } = parseArgs(argv);
  if (measure) {
    const { measureRun } = await import('./measure-run');
    // The full sweep is the run to measure; the sentinel's ticks are priced from assumptions.
    const prober = synthStacks(overrides)
      .filter((s) => s.stackName !== HOME_STACK_NAME)
      .flatMap((s) => readStackShape(s.template).scheduled)
      .find((f) => f.kind === ('sweep' satisfies RunKind));
    if (!prober) throw new Error('the app has no scheduled full sweep to measure');
    const run = await measureRun({
      proberEnvironment: prober.environment,
      periodMinutes: scheduleGap(prober.schedule),
    });
    writeFileSync(MEASUREMENT_FILE, `${JSON.stringify(run, null, 2)}\n`);
    process.stderr.write(`measured: ${run.calls} calls, written to cost/measured-run.json\n`);
  }
  const run = readMeasurement();
  const { org } = overrides;
  if (org !== undefined) {
    const costs = costOfOrgApp(run, { ...overrides, org }, accounts ?? EXAMPLE_ACCOUNTS);
    process.stdout.write(
      json
        ? `${JSON.stringify(orgJson(costs))}\n`
        : readme
          ? `${readmeOrgBlock(costs, run, org)}\n`
          : orgText(costs, run),
    );
    return 0;
  }
  const costs = costOfApp(run, overrides);
  const text = json
    ? `${JSON.stringify(costJson(costs))}\n`
    : readme
      ? `${readmeCostBlock(costs, run)}\n`
      : costText(costs, run);
  process.stdout.write(text);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `${err instanceof ConfigError ? err.message : err instanceof Error ? err.stack : String(err)}\n`,
      );
      process.exitCode = err instanceof ConfigError ? 2 : 1;
    },
  );
}
