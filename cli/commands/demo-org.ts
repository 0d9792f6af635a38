/**
 * `bedrock-matrix demo --org`: an AWS Organization on this machine (cli/org-world.ts). Every
 * account of the scenario is a member in every `--region`, the scenario's default account is each
 * region's probe account, and a simulated clock runs the schedules: the first sweeps, 10 minutes of
 * ticks, then a model the scenario keeps out of a region arrives there, and 15 minutes more. It
 * prints the organization view (models x regions: how many accounts can use each and why the
 * others cannot), one model's view (which accounts in which regions can use it through which api),
 * with `--member` one member's own matrix, and every alert the home published. Never AWS.
 */
import type { OrgAccess } from '../../lambda/core/org/types';
import { orgMatrixView, orgMemberView, orgModelView } from '../../lambda/core/org/view';
import { renderOrgMatrix, renderOrgMember, renderOrgModel } from '../../lambda/core/render/org';
import { memberStaleAfterMinutes } from '../../lambda/shared/org-names';
import { defaultAccount } from '../../simulator/account';
import { startSimulator } from '../../simulator/server';
import type { Scenario } from '../../simulator/types';
import { emit } from '../files';
import type { Io } from '../io';
import { UsageError } from '../options';
import { OrgWorld, type WorldAccount } from '../org-world';
import { onStopSignal } from '../shutdown';

export interface OrgDemoOptions {
  readonly scenario: Scenario;
  readonly regions: readonly string[];
  /** The model of the model view. @default the model whose accounts differ most */
  readonly model?: string;
  /** A member whose own matrix follows (one of the scenario's accounts, one of `regions`). @default none */
  readonly member?: { readonly account: string; readonly region: string };
  readonly format: 'text' | 'markdown' | 'json';
  readonly out?: string;
}

/** Minutes of schedules before and after the arrival. */
const BEFORE_MINUTES = 10;
const AFTER_MINUTES = 15;
/** A fixed start, so two demos print the same times. */
const START = new Date('2026-12-07T09:00:00Z');

export async function runOrgDemo(o: OrgDemoOptions, io: Io): Promise<number> {
  const accounts = worldAccounts(o.scenario);
  const arrival = arrivalOf(o.scenario, o.regions);
  const sim = await startSimulator({ scenario: o.scenario });
  const release = onStopSignal(io, () => sim.close());
  try {
    const probe = defaultAccount(o.scenario);
    const world = new OrgWorld({
      sim,
      regions: o.regions,
      accounts,
      probeAccounts: Object.fromEntries(o.regions.map((r) => [r, probe])),
      start: START,
      guardrail: guardrailOf(o.scenario),
    });
    io.stderr.write(
      `bedrock-matrix: organization demo on the local Bedrock simulator (scenario "${o.scenario.name}"): ${accounts.length} accounts x ${o.regions.length} regions, probe account ${probe}, simulated clock from ${START.toISOString()}\n`,
    );
    await world.start();
    await world.run(BEFORE_MINUTES);
    if (arrival) {
      io.stderr.write(
        `bedrock-matrix: ${world.now.toISOString()}: ${arrival.model} starts serving in ${arrival.region}\n`,
      );
      sim.setScenario(arrival.scenario);
    }
    await world.run(AFTER_MINUTES);

    const org = world.home.org();
    const [cells, members, named] = await Promise.all([org.orgCells(), org.members(), org.orgAccounts()]);
    const view = orgMatrixView({
      cells,
      members,
      accounts: named,
      regions: o.regions,
      now: world.now,
      staleAfterMs: memberStaleAfterMinutes() * 60_000,
    });
    const model = o.model ?? mostVaried(cells);
    const parts = [renderOrgMatrix(view, o.format, { now: world.now })];
    if (model)
      parts.push(
        renderOrgModel(orgModelView(model, { cells, accounts: named, regions: o.regions }), o.format),
      );
    if (o.member)
      parts.push(
        renderOrgMember(
          orgMemberView(o.member.account, o.member.region, { cells, accounts: named, members }),
          o.format,
          { now: world.now },
        ),
      );
    await emit(
      io,
      o.format === 'json' ? `[${parts.join(',\n')}]\n` : parts.join('\n'),
      o.out,
      `organization ${o.format} view`,
    );
    for (const { alert } of world.record.alerts) {
      const body = (JSON.parse(alert.message) as { email: string }).email;
      io.stderr.write(`\n--- an alert the home published to SNS ---\nSubject: ${alert.subject}\n\n${body}\n`);
    }
    if (world.record.alerts.length === 0) io.stderr.write('bedrock-matrix: the home published no alert\n');
    return 0;
  } finally {
    await sim.close();
    release();
  }
}

/** The scenario's accounts as the home will know them (names and OUs stand in for Organizations). */
export function worldAccounts(scenario: Scenario): WorldAccount[] {
  const entries = Object.entries(scenario.accounts ?? {});
  if (entries.length === 0) {
    throw new UsageError(`--org: scenario "${scenario.name}" names no accounts (try --scenario org)`);
  }
  return entries.map(([id, a]) => ({
    id,
    name: a.name ?? id,
    ou: a.ou ? { id: `ou-${a.ou.toLowerCase()}`, name: a.ou } : null,
    accessKeyId: a.accessKeyIds[0] as string,
  }));
}

/** The first model the scenario keeps out of one of the regions: the demo makes it arrive there. */
function arrivalOf(
  scenario: Scenario,
  regions: readonly string[],
): { model: string; region: string; scenario: Scenario } | null {
  for (const region of regions) {
    const spec = scenario.regions?.[region];
    const model = spec?.withoutModels?.[0];
    if (!spec || !model) continue;
    const withoutModels = (spec.withoutModels ?? []).filter((m) => m !== model);
    return {
      model,
      region,
      scenario: { ...scenario, regions: { ...scenario.regions, [region]: { ...spec, withoutModels } } },
    };
  }
  return null;
}

function guardrailOf(scenario: Scenario): { id: string; version: string } {
  const g = scenario.guardrails[0];
  return { id: g?.id ?? 'gr-probe', version: g?.versions[0] ?? '1' };
}

/** The model whose cells show the most different access words (ties: the first by key). */
function mostVaried(cells: readonly { model: string; access: OrgAccess }[]): string | undefined {
  const words = new Map<string, Set<OrgAccess>>();
  for (const c of cells) words.set(c.model, (words.get(c.model) ?? new Set()).add(c.access));
  return [...words].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))[0]?.[0];
}
