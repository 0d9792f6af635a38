import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSUMPTIONS } from '../../cost/assumptions';
import type { StackCost } from '../../cost/bill';
import type { RunMeasurement } from '../../cost/measurement';
import { orgTemplates } from '../../cost/org-app';
import { MEMBER_CADENCE, memberTicksPerDay, priceMember, priceProbeMember } from '../../cost/org-model';
import { type CloudFormationTemplate, readStackShape, withCondition } from '../../cost/template';
import { PROBES_REGION_FACTS } from '../../lib/org/member-stack';

type Template = {
  Resources: Record<string, { Type: string; Condition?: string; Properties?: Record<string, unknown> }>;
};

/** The StackSet's member template of the example organization, as `cdk synth -c org=examples/org.json` builds it (one synth). */
const MEMBER = orgTemplates({ org: 'examples/org.json' }).member as Template;
const memberTemplate = (): Template => structuredClone(MEMBER);

/** The member template without its schedules whose input sends `kind`. */
const without = (template: Template, kind: string): CloudFormationTemplate => ({
  Resources: Object.fromEntries(
    Object.entries(template.Resources).filter(
      ([, r]) => !(r.Type === 'AWS::Scheduler::Schedule' && JSON.stringify(r).includes(`kind\\":\\"${kind}`)),
    ),
  ),
});

const run = (over: Partial<RunMeasurement> = {}): RunMeasurement => ({
  measuredAt: '2026-12-06T00:00:00.000Z',
  scenario: 'today',
  settings: { BEDROCK_MATRIX_CONCURRENCY: '8' },
  periodMinutes: 1440,
  calls: 10,
  probesSent: 10,
  tokens: { 'amazon.nova-micro': { input: 1_000_000, output: 0 } },
  guardrailTextUnits: 0,
  writeUnits: 1000,
  readUnits: 100,
  expiringBytes: 0,
  lastingBytes: 0,
  logBytes: 0,
  ...over,
});

const usd = (cost: StackCost, key: string) => cost.items.find((i) => i.key === key)?.usd;
const DAYS = 365 / 12;
const member = readStackShape(memberTemplate());

describe('the cost of a member', () => {
  it('reads the condition of each schedule and resolves it: without ProbesRegionFacts only the account schedule is left', () => {
    // Act
    const schedules = member.functions[0]?.schedules;
    const ordinary = withCondition(member, PROBES_REGION_FACTS, false).functions[0]?.schedules;

    // Assess
    expect(schedules).toEqual([
      { expression: 'rate(5 minutes)', kind: 'account' },
      { expression: 'rate(1 day)', kind: 'sweep', condition: 'ProbesRegionFacts' },
      { expression: 'rate(5 minutes)', kind: 'sentinel', condition: 'ProbesRegionFacts' },
    ]);
    expect(ordinary).toEqual([{ expression: 'rate(5 minutes)', kind: 'account' }]);
    expect(withCondition(member, PROBES_REGION_FACTS, true)).toBe(member);
    expect(memberTicksPerDay(member)).toBe(288);
  });

  it('prices an ordinary member from its account schedule: ticks, logs, scheduler, events home, its own table, targeted probes', () => {
    // Act
    const cost = priceMember({ shape: member, run: run() });

    // Assess: 288 ticks a day of 1 s at 512 MB arm64, 650 log bytes kept 90 days; 48 heartbeats
    // and 1 snapshot a day plus 4 changes, each put ($1/M) and delivered cross-account ($1/M);
    // a read a tick, a write an event; 4 changes x 6 probes at the run's mean call (1M Nova
    // Micro input tokens over 10 calls: $0.0035 a call).
    const ticks = 288 * DAYS;
    const events = 48 * DAYS + DAYS + 4;
    expect(cost.items.map((i) => i.key)).toEqual([
      'accountLambda',
      'accountLogs',
      'accountScheduler',
      'memberEvents',
      'memberTransfer',
      'memberDynamodb',
      'memberStorage',
      'accountProbeLambda',
      'accountProbeTokens',
    ]);
    expect(usd(cost, 'accountLambda')).toBeCloseTo(ticks * (0.5 * 0.0000133334 + 0.2e-6), 9);
    expect(usd(cost, 'accountLogs')).toBeCloseTo(
      ((ticks * 650) / 1e9) * 0.5 + ((288 * 650 * 90) / 1e9) * 0.03,
      9,
    );
    expect(usd(cost, 'accountScheduler')).toBeCloseTo(ticks * 1e-6, 9);
    expect(usd(cost, 'memberEvents')).toBeCloseTo(events * 2e-6, 12);
    expect(usd(cost, 'memberDynamodb')).toBeCloseTo(ticks * 0.125e-6 + events * 0.625e-6, 12);
    expect(usd(cost, 'accountProbeLambda')).toBeCloseTo(4 * (2 * 0.5 * 0.0000133334 + 0.2e-6), 12);
    expect(usd(cost, 'accountProbeTokens')).toBeCloseTo(24 * (0.035 / 10), 12);
    expect(cost.total - cost.totalExcludingInference).toBeCloseTo(24 * 0.0035, 12);
    // No prober run: the sweep and the sentinel exist only where the account probes the region.
    for (const key of ['lambda', 'sentinelLambda', 'tokens', 'storage'])
      expect(usd(cost, key), key).toBeUndefined();
  });

  it('costs no account ticks and sends nothing when the template has no account schedule', () => {
    // Prepare
    const shape = readStackShape(without(memberTemplate(), 'account'));

    // Act
    const cost = priceMember({ shape, run: run() });

    // Assess
    expect(memberTicksPerDay(shape)).toBe(0);
    expect(cost.total).toBe(0);
    expect(usd(cost, 'accountLambda')).toBe(0);
    expect(usd(cost, 'memberEvents')).toBe(0);
    expect(usd(cost, 'accountProbeTokens')).toBe(0);
  });

  it('raises the events item when heartbeats come twice as often, and nothing else', () => {
    // Act
    const every30 = priceMember({ shape: member, run: run() });
    const every15 = priceMember({
      shape: member,
      run: run(),
      cadence: { ...MEMBER_CADENCE, heartbeatMinutes: MEMBER_CADENCE.heartbeatMinutes / 2 },
    });

    // Assess: 48 more heartbeats a day, each put and delivered at $1/M.
    expect((usd(every15, 'memberEvents') ?? 0) - (usd(every30, 'memberEvents') ?? 0)).toBeCloseTo(
      48 * DAYS * 2e-6,
      12,
    );
    expect(usd(every15, 'accountLambda')).toBe(usd(every30, 'accountLambda'));
  });

  it("prices a probe member as the member plus today's prober storing in its own table, and its Region Facts events", () => {
    // Act
    const ordinary = priceMember({ shape: member, run: run() });
    const probe = priceProbeMember({ shape: member, run: run() });

    // Assess: the member's items unchanged; the sweep and sentinel as priceRegion prices them, in
    // the member's own region (no transfer, no point-in-time recovery on the member table).
    for (const item of ordinary.items) expect(usd(probe, item.key), item.key).toBe(item.usd);
    expect(probe.items.map((i) => i.key)).toContain('lambda');
    expect(probe.items.map((i) => i.key)).toContain('sentinelLambda');
    expect(usd(probe, 'transfer')).toBeUndefined();
    expect(probe.items.find((i) => i.key === 'storage')?.label).toBe('DynamoDB storage in the member table');
    // 30.4 sweeps of ceil(10/8) x 2 s at 512 MB; 10 calls' tokens a sweep.
    expect(usd(probe, 'lambda')).toBeCloseTo(DAYS * (4 * 0.5 * 0.0000133334 + 0.2e-6), 9);
    expect(usd(probe, 'tokens')).toBeCloseTo(DAYS * 0.035, 9);
    // A daily 150 KB snapshot is 3 chunks; 20 region changes; each put and delivered.
    expect(usd(probe, 'regionFactsEvents')).toBeCloseTo((DAYS * 3 + 20) * 2e-6, 12);
    // The account schedule is no sweep: it does not make the measured run's period look stale.
    expect(probe.staleSettings.filter((s) => s.startsWith('schedule'))).toEqual([]);
    expect(DEFAULT_ASSUMPTIONS.regionFactsEventBytes).toBe(150_000);
  });
});
