/**
 * `bedrock-matrix demo` (what `npm start` runs): the whole product on this machine, no AWS
 * account, never AWS (only `demo --aws` probes real AWS, and that is `probe`). It starts the
 * Bedrock simulator, points the real SDK clients at it and prints the matrix; with several
 * `--region`s the simulator plays each region as the scenario says it differs, and the demo
 * prints the across-regions rollout view. With `--drift` it also starts DynamoDB Local, probes
 * the May 2026 surface as the baseline, swaps the simulator to today's surface, probes again and
 * shows the confirmed changes and the alert the Lambda would send.
 */
import { buildAlert } from '../../lambda/core/alert-message';
import type { Report } from '../../lambda/core/model';
import { renderRegionView } from '../../lambda/core/render/regions';
import { modelKeyOf } from '../../lambda/core/resolve';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { loadScenario, ScenarioError } from '../../simulator/scenario';
import { type SimulatorUrls, startSimulator } from '../../simulator/server';
import type { Scenario } from '../../simulator/types';
import { startDynamoDbLocal, stopAllDynamoDbLocal } from '../dynamodb-local';
import { checkEndpointOverrides } from '../endpoint-overrides';
import { checkOutputPath, emit } from '../files';
import type { Io } from '../io';
import { parseRegions, parseView, UsageError, type View } from '../options';
import { regionViewFormat } from '../region-view-format';
import { type ProbeFlags, probeSettings } from '../settings';
import { onStopSignal } from '../shutdown';
import { renderFor } from './probe';

export interface DemoFlags extends ProbeFlags {
  readonly scenario?: string;
  readonly drift?: boolean;
  /** Simulated regions (repeat or comma list). @default [DEMO_REGION] */
  readonly region?: readonly string[];
  /** `matrix` or `regions`. @default `regions` with more than one region, else `matrix` */
  readonly view?: string;
  /** An AWS Organization on the simulator (demo-org.ts). */
  readonly org?: boolean;
  /** `--org`: the model whose accounts and apis the model view shows. */
  readonly model?: string;
  /** `--org`: `<account>/<region>`, a member whose own matrix follows the organization view. */
  readonly member?: string;
}

/** The organization demo's regions when none is given: one serves a model the other does not yet. */
const ORG_DEMO_REGIONS = ['us-east-1', 'eu-west-1'];
const ORG_FORMATS: Readonly<Record<string, 'text' | 'markdown' | 'json'>> = {
  table: 'text',
  markdown: 'markdown',
  json: 'json',
};

const DEMO_REGION = 'us-east-1';
/**
 * The demo's own simulator advances a background response one step per retrieve and answers on
 * loopback, so waiting 250 ms between retrieves, as against Bedrock, only makes the demo slower.
 */
export const SIMULATOR_POLL_MS = 10;
const DRIFT_BASELINE = 'may-2026';

export async function runDemo(flags: DemoFlags, io: Io): Promise<number> {
  if (flags.org) return orgDemo(flags, io);
  if (flags.model !== undefined)
    throw new UsageError('--model goes with --org (the organization view of one model)');
  if (flags.member !== undefined)
    throw new UsageError("--member goes with --org (a member's own matrix in the organization)");
  const drift = flags.drift ?? false;
  const regions = (flags.region ?? []).length > 0 ? parseRegions([...(flags.region ?? [])]) : [DEMO_REGION];
  const view: View =
    flags.view === undefined ? (regions.length > 1 ? 'regions' : 'matrix') : parseView(flags.view);
  const scenario = await scenarioOrUsage(flags.scenario ?? 'today');
  const baseline = drift ? await scenarioOrUsage(DRIFT_BASELINE) : null;
  const guardrail = scenario.guardrails[0];
  const settings = probeSettings({
    ...flags,
    ...(flags.guardrailId || !guardrail
      ? {}
      : { guardrailId: guardrail.id, guardrailVersion: guardrail.versions[0] }),
    ...(drift ? { store: 'dynamodb', table: flags.table ?? 'bedrock-matrix-demo' } : {}),
  });

  const regionFormat =
    view === 'regions' ? regionViewFormat(settings.format, 'the regions view', 'or --view matrix') : null;
  await checkOutputPath('--out', settings.out);
  // Without --drift a `--store dynamodb` demo uses the caller's DynamoDB override.
  if (!drift) checkEndpointOverrides(io.env, ['dynamodb']);

  // Imported once the flags are good: the SDKs take seconds to load, a bad flag answers at once.
  const { executeRuns } = await import('../execute');
  const sim = await startSimulator({ scenario: baseline ?? scenario });
  // Registered before DynamoDB Local spawns: a signal during its 4 s start must stop it too.
  const releaseSignals = onStopSignal(io, async () => {
    await Promise.all([stopAllDynamoDbLocal(), sim.close()]);
  });
  let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>> | null = null;
  try {
    dynamo = drift ? await startDynamoDbLocal() : null;
    const env = demoEnv(io.env, sim.urls, dynamo?.endpoint);
    const where = regions.length > 1 ? `, regions ${regions.join(', ')}` : '';
    io.stderr.write(
      `bedrock-matrix: demo against the local Bedrock simulator (scenario "${(baseline ?? scenario).name}"${where}), not real AWS\n`,
    );
    const onSimulator = {
      regions,
      env,
      // Each region's own hosts: a region without mantle gets a mantle name that never resolves.
      envFor: (region: string) => demoEnv(io.env, sim.urlsFor(region), dynamo?.endpoint),
      backgroundPollMs: SIMULATOR_POLL_MS,
    };
    if (baseline) {
      const first = await executeRuns({ ...onSimulator, settings: { ...settings, quiet: true } }, io);
      io.stderr.write(
        `bedrock-matrix: baseline stored in DynamoDB Local (${first.report.cells.length} cells); switching the simulator to "${scenario.name}"\n`,
      );
      sim.setScenario(scenario);
    }
    const { report } = await executeRuns({ ...onSimulator, settings }, io);
    const rendered = regionFormat ? renderRegionView(report, regionFormat) : renderFor(report, settings, io);
    await emit(
      io,
      rendered,
      settings.out,
      `${settings.format} ${view === 'regions' ? 'regions view' : 'report'}`,
    );
    if (drift) showAlerts(report, regions, io);
    return 0;
  } finally {
    await sim.close();
    await dynamo?.stop();
    releaseSignals();
  }
}

/** `demo --org`: every flag checked before the simulator starts. */
async function orgDemo(flags: DemoFlags, io: Io): Promise<number> {
  if (flags.drift)
    throw new UsageError('--org and --drift do not go together (the organization demo makes its own change)');
  if (flags.view !== undefined)
    throw new UsageError('--view does not apply to --org (it prints the organization view)');
  const format = ORG_FORMATS[flags.format ?? 'table'];
  if (!format) {
    throw new UsageError(
      `--format: "${flags.format}" is not a format of the organization view (${Object.keys(ORG_FORMATS).join(', ')})`,
    );
  }
  const regions =
    (flags.region ?? []).length > 0 ? parseRegions([...(flags.region ?? [])]) : ORG_DEMO_REGIONS;
  const scenario = await scenarioOrUsage(flags.scenario ?? 'org');
  const model = flags.model === undefined ? undefined : orgModel(flags.model, scenario);
  const member = flags.member === undefined ? undefined : orgMember(flags.member, scenario, regions);
  await checkOutputPath('--out', flags.out);
  const { runOrgDemo } = await import('./demo-org');
  return runOrgDemo(
    {
      scenario,
      regions,
      format,
      ...(model === undefined ? {} : { model }),
      ...(member === undefined ? {} : { member }),
      ...(flags.out === undefined ? {} : { out: flags.out }),
    },
    io,
  );
}

/** `--model` as the organization names models (the key without its version), checked before any work. */
function orgModel(given: string, scenario: Scenario): string {
  const keys = [...new Set(scenario.models.map((m) => modelKeyOf(m.key)))];
  const key = modelKeyOf(given);
  if (!keys.includes(key)) {
    throw new UsageError(
      `--model: "${given}" is not a model of scenario "${scenario.name}" (${keys.join(', ')})`,
    );
  }
  return key;
}

/**
 * `--member <account>/<region>`, checked before any work: one of the scenario's accounts (each a
 * member of the demo) in one of the demo's regions. A scenario without accounts is refused by the
 * organization demo itself, with its own line.
 */
function orgMember(
  given: string,
  scenario: Scenario,
  regions: readonly string[],
): { account: string; region: string } {
  const accounts = Object.keys(scenario.accounts ?? {});
  const [account, region, ...rest] = given.split('/');
  if (!account || !region || rest.length > 0)
    throw new UsageError(
      `--member: "${given}" is not <account>/<region> (e.g. ${accounts[0] ?? '111111111111'}/${regions[0]})`,
    );
  if (accounts.length > 0 && !accounts.includes(account))
    throw new UsageError(
      `--member: account "${account}" is not an account of scenario "${scenario.name}" (${accounts.join(', ')})`,
    );
  if (!regions.includes(region))
    throw new UsageError(
      `--member: region "${region}" is not one of the demo's regions (${regions.join(', ')}; set them with --region)`,
    );
  return { account, region };
}

/** The alert the home would publish for each region's confirmed changes. */
function showAlerts(report: Report, regions: readonly string[], io: Io): void {
  if (report.changes.length === 0) {
    io.stderr.write('bedrock-matrix: no confirmed changes between the two surfaces\n');
    return;
  }
  for (const region of regions) {
    const changes = report.changes.filter((c) => c.region === region);
    if (changes.length === 0) continue;
    const alert = buildAlert({ region, runId: report.runId, changes, report, at: report.finishedAt });
    const body = (JSON.parse(alert.message) as { email: string }).email;
    io.stderr.write(
      `\n--- the alert the home would publish to SNS ---\nSubject: ${alert.subject}\n\n${body}\n`,
    );
  }
}

async function scenarioOrUsage(nameOrPath: string): Promise<Scenario> {
  try {
    return await loadScenario(nameOrPath);
  } catch (err) {
    if (err instanceof ScenarioError) throw new UsageError(`--scenario: ${err.message}`);
    throw err;
  }
}

/**
 * The demo's own environment: overrides to the local hosts, and no AWS credentials, so nothing
 * of the user's account is used (or signed with) against the simulator.
 */
export function demoEnv(
  base: NodeJS.ProcessEnv,
  urls: SimulatorUrls,
  dynamodb: string | undefined,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (
      !/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|WEB_IDENTITY_TOKEN_FILE|CONTAINER_CREDENTIALS_FULL_URI|BEARER_TOKEN_BEDROCK)$/.test(
        k,
      )
    ) {
      env[k] = v;
    }
  }
  env[ENDPOINT_OVERRIDE_ENV.runtime] = urls.runtime;
  env[ENDPOINT_OVERRIDE_ENV.mantle] = urls.mantle;
  env[ENDPOINT_OVERRIDE_ENV.control] = urls.control;
  if (dynamodb) env[ENDPOINT_OVERRIDE_ENV.dynamodb] = dynamodb;
  return env;
}
