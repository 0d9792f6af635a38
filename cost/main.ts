/**
 * `npm run cost`: what the deployed stack costs a month, per region, itemised, from the
 * synthesized templates (`-c key=value` as for `cdk synth`) and the measured run in
 * cost/measured-run.json. `--json` prints `{"regions": {...}, "regionsExcludingTokens": {...}}`;
 * `--readme` prints the README's cost block; `--measure` first measures a run on the simulator again
 * and rewrites that file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../lib/config';
import type { RunMeasurement } from './measurement';
import { DEFAULT_ASSUMPTIONS, dollars, priceStack, type StackCost } from './model';
import { PRICES, PRICES_DATE, PRICES_REGION } from './prices';
import { synthStacks } from './synth';
import { readStackShape } from './template';

export const MEASUREMENT_FILE = new URL('./measured-run.json', import.meta.url);

export interface RegionCosts {
  readonly stackName: string;
  readonly region: string;
  readonly cost: StackCost;
}

export const readMeasurement = (): RunMeasurement =>
  JSON.parse(readFileSync(MEASUREMENT_FILE, 'utf8')) as RunMeasurement;

/** Prices every stack of the app as `cdk synth -c ...overrides` would build it. */
export function costOfApp(
  run: RunMeasurement,
  overrides: Readonly<Record<string, string>> = {},
): RegionCosts[] {
  return synthStacks(overrides).map((s) => ({
    stackName: s.stackName,
    region: s.region,
    cost: priceStack({ shape: readStackShape(s.template), run }),
  }));
}

const round = (usd: number): number => Math.round(usd * 100) / 100;

/** The `--json` contract (issue 22 adds a `home` key for the home stack). */
export function costJson(costs: readonly RegionCosts[]) {
  return {
    regions: Object.fromEntries(costs.map((c) => [c.region, round(c.cost.total)])),
    regionsExcludingTokens: Object.fromEntries(
      costs.map((c) => [c.region, round(c.cost.totalExcludingInference)]),
    ),
  };
}

export function costText(costs: readonly RegionCosts[], run: RunMeasurement): string {
  const lines = [
    `bedrock-matrix: what the deployed stack costs a month, per region (USD, ${PRICES_REGION} list prices of ${PRICES_DATE}, free tiers not subtracted)`,
    `Per-run items priced from one measured run: scenario "${run.scenario}" on the local simulator, ${run.measuredAt.slice(0, 10)}, ${run.calls} Bedrock calls (npm run cost -- --measure takes it again).`,
    `Lambda time assumes ${DEFAULT_ASSUMPTIONS.callSeconds} s per real Bedrock call (docs/bench.md: 1-3 s).`,
  ];
  for (const { stackName, region, cost } of costs) {
    lines.push('', `${stackName} (${region})`);
    for (const i of cost.items) {
      lines.push(`  ${i.label.padEnd(56)} ${i.quantity.padEnd(44)} ${dollars(i.usd).padStart(8)}`);
    }
    lines.push(`  ${'total'.padEnd(101)} ${dollars(cost.total).padStart(8)}`);
    lines.push(
      `  ${'total without Bedrock inference (tokens, guardrail text units)'.padEnd(101)} ${dollars(cost.totalExcludingInference).padStart(8)}`,
    );
    if (cost.staleSettings.length > 0)
      lines.push(
        `  WARNING: the measured run used other settings; run npm run cost -- --measure: ${cost.staleSettings.join('; ')}`,
      );
  }
  const fallback = [...new Set(costs.flatMap((c) => c.cost.fallbackPriced))];
  if (fallback.length > 0)
    lines.push(
      '',
      `No price of their own (priced at their provider's dearest listed model, an upper bound): ${fallback.join(', ')}`,
    );
  lines.push(
    '',
    'Not counted: free tiers (CloudWatch, Lambda, Scheduler), dashboard views (GetMetricData, the widget function), KMS requests, data transfer, alarm and alert e-mail, changes (a run with changes re-probes and alerts).',
    '',
    'Prices:',
    ...Object.values(PRICES).map((p) => `  $${p.usd} per ${p.per}  (${p.source})`),
    '  Model token prices: cost/prices.ts MODEL_PRICES (each with its source).',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The README's cost block (between `<!-- cost:begin -->` and `<!-- cost:end -->`): the itemised
 * month of the first region and the total of each. test/cost/readme.test.ts recomputes it.
 */
export function readmeCostBlock(costs: readonly RegionCosts[], run: RunMeasurement): string {
  const [first] = costs;
  if (!first) return '';
  const rows = first.cost.items.map((i) => `| ${i.label} | ${i.quantity} | ${dollars(i.usd)} |`);
  return [
    `Computed by \`npm run cost\` from the synthesized template of \`${first.stackName}\` and a measured run`,
    `(scenario \`${run.scenario}\` on the simulator, ${run.calls} Bedrock calls, measured ${run.measuredAt.slice(0, 10)}),`,
    `at ${PRICES_REGION} list prices of ${PRICES_DATE}, free tiers not subtracted, ${DEFAULT_ASSUMPTIONS.callSeconds} s per real Bedrock call:`,
    '',
    '| item, a month | quantity | USD |',
    '| --- | --- | ---: |',
    ...rows,
    `| **total** | | **${dollars(first.cost.total)}** |`,
    `| total without Bedrock inference (tokens, guardrail text units) | | ${dollars(first.cost.totalExcludingInference)} |`,
  ].join('\n');
}

function parseArgs(argv: readonly string[]) {
  const overrides: Record<string, string> = {};
  let json = false;
  let measure = false;
  let readme = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--measure') measure = true;
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
        `unknown argument "${arg}" (use --json, --readme, --measure, -c key=value)`,
      );
  }
  return { overrides, json, measure, readme };
}

async function main(argv: readonly string[]): Promise<number> {
  // The SDK's Node 20 notice (README "Quickstart") would sit in the middle of the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { overrides, json, measure, readme } = parseArgs(argv);
  if (measure) {
    const { measureRun } = await import('./measure-run');
    const [first] = synthStacks(overrides);
    const prober = first && readStackShape(first.template).scheduled[0];
    if (!prober) throw new Error('the app has no scheduled prober to measure');
    const run = await measureRun({ proberEnvironment: prober.environment });
    writeFileSync(MEASUREMENT_FILE, `${JSON.stringify(run, null, 2)}\n`);
    process.stderr.write(`measured: ${run.calls} calls, written to cost/measured-run.json\n`);
  }
  const run = readMeasurement();
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
