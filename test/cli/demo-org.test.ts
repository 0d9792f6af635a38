import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worldAccounts } from '../../cli/commands/demo-org';
import { OrgWorld, type OrgWorldOptions } from '../../cli/org-world';
import { DynamoDbStore } from '../../lambda/adapters/store/dynamodb-store';
import { loadScenario } from '../../simulator/scenario';
import { type RunningSimulator, startSimulator } from '../../simulator/server';
import type { Scenario } from '../../simulator/types';
import { localClient, sharedDynamoDbLocal } from '../support/dynamodb-local';
import { argv, runCli } from './support';

// An AWS Organization offline: the members, the probe accounts' sentinels, the org home and its
// view, on a simulated clock against the simulator (cli/org-world.ts, `demo --org`).

describe('bedrock-matrix demo --org', () => {
  it('shows, for one model, which accounts in which regions can use it and why the others cannot, and one alert for a change in three accounts', async () => {
    // Act
    const result = await runCli(argv`demo --org --model openai.gpt-oss-20b --member 222222222222/eu-west-1`);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/openai\.gpt-oss-20b\s+│ 2\/3\s+│ 2\/3/);
    expect(result.stdout).toContain('us-east-1 openai.gpt-oss-20b: 1 denied (333333333333 Regulated)');
    expect(result.stdout).toContain(
      'us-east-1 anthropic.claude-sonnet-4-6: 1 no-access (222222222222 Sandbox)',
    );
    expect(result.stdout).toContain('Organization: openai.gpt-oss-20b reported by 3 accounts in 2 regions');
    expect(result.stdout).toMatch(/eu-west-1 │ 333333333333 Regulated │ denied/);
    expect(result.stdout).toMatch(/explicit deny in a service control policy/);
    expect(result.stdout).toMatch(
      /Member 222222222222 Sandbox \(OU Workloads\) in eu-west-1: [^\n]*\n(?:.*\n)*?anthropic\.claude-sonnet-4-6\s+│ no-access /,
    );
    const alerts = result.stderr.split('--- an alert the home published to SNS ---').slice(1);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain(
      'Subject: bedrock-matrix: amazon.nova-micro new -> usable in 3 accounts, 1 region',
    );
    for (const name of [
      'Platform (111111111111, Shared)',
      'Sandbox (222222222222, Workloads)',
      'Regulated (333333333333, Workloads)',
    ]) {
      expect(alerts[0]).toContain(`eu-west-1 ${name}`);
    }
  });

  it.each([
    [argv`demo --org --drift`, '--org and --drift do not go together'],
    [
      argv`demo --org --format html`,
      '--format: "html" is not a format of the organization view (table, markdown, json)',
    ],
    [argv`demo --org --model nope.model`, '--model: "nope.model" is not a model of scenario "org"'],
    [argv`demo --org --scenario today`, '--org: scenario "today" names no accounts (try --scenario org)'],
    [argv`demo --model openai.gpt-oss-20b`, '--model goes with --org'],
    [argv`demo --member 222222222222/eu-west-1`, '--member goes with --org'],
    [
      argv`demo --org --member 222222222222`,
      '--member: "222222222222" is not <account>/<region> (e.g. 111111111111/us-east-1)',
    ],
    [
      argv`demo --org --member 444444444444/eu-west-1`,
      '--member: account "444444444444" is not an account of scenario "org" (111111111111, 222222222222, 333333333333)',
    ],
    [
      argv`demo --org --region eu-west-1 --member 222222222222/us-east-1`,
      `--member: region "us-east-1" is not one of the demo's regions (eu-west-1; set them with --region)`,
    ],
  ])('refuses %j with one line and exit 2 before any work', async (args, line) => {
    // Act
    const result = await runCli(args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(line);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the organization world with faults', () => {
  let sim: RunningSimulator;
  let endpoint: string;
  let scenario: Scenario;

  beforeAll(async () => {
    scenario = await loadScenario('org');
    [sim, { endpoint }] = await Promise.all([startSimulator({ scenario }), sharedDynamoDbLocal()]);
  });
  afterAll(() => sim.close());

  /** A world over eu-west-1, probed by 111111111111, of these of the scenario's accounts. */
  const euWorld = (ids: readonly string[], o: Pick<OrgWorldOptions, 'start' | 'homeStore'>) =>
    new OrgWorld({
      sim,
      regions: ['eu-west-1'],
      accounts: worldAccounts(scenario).filter((a) => ids.includes(a.id)),
      probeAccounts: { 'eu-west-1': '111111111111' },
      guardrail: { id: 'gr-probe', version: '1' },
      ...o,
    });

  it("measures each account however far the simulated clock is from this machine's (a year behind: the probes still run)", async () => {
    // Prepare: the probes' deadline is on the world's clock; measured on the machine's, a clock
    // behind it left every account probe out of time and gpt-oss-20b read usable where an SCP denies it.
    const world = euWorld(['111111111111', '333333333333'], { start: new Date('2025-12-07T09:00:00Z') });

    // Act
    await world.start();
    await world.run(10);

    // Assess
    const cells = await world.home.org().orgCells('openai.gpt-oss-20b');
    expect(cells.map((c) => [c.account, c.access])).toEqual([
      ['111111111111', 'usable'],
      ['333333333333', 'denied'],
    ]);
  });

  it('loses nothing and alerts once when a member bus is down for a while and the org bus delivers twice (home on DynamoDB Local)', async () => {
    // Prepare
    const tableName = `org-home-${Date.now()}`;
    const home = new DynamoDbStore({ client: localClient(endpoint), tableName });
    await home.ensureTable();
    const world = euWorld(['111111111111', '222222222222'], {
      start: new Date('2026-12-07T09:00:00Z'),
      homeStore: home,
    });
    world.deliverTwice = true;
    world.busDown.add('222222222222/eu-west-1');

    // Act
    await world.start();
    await world.run(10);
    const whileDown = await home.org().orgCells('anthropic.claude-sonnet-4-6');
    world.busDown.clear();
    await world.run(5);
    sim.setScenario({ ...scenario, regions: { 'eu-west-1': { withoutModels: [] } } });
    await world.run(15);

    // Assess
    expect(whileDown.map((c) => c.account)).toEqual(['111111111111']);
    const cells = await home.org().orgCells('anthropic.claude-sonnet-4-6');
    expect(cells.map((c) => [c.account, c.access])).toEqual([
      ['111111111111', 'usable'],
      ['222222222222', 'no-access'],
    ]);
    expect(world.record.alerts.map((a) => a.alert.subject)).toEqual([
      'bedrock-matrix: amazon.nova-micro new -> usable in 2 accounts, 1 region',
    ]);
    expect(await home.org().pendingOrgChanges()).toEqual([]);
  });
});
