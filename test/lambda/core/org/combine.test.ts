import { describe, expect, it } from 'vitest';
import type { Api, Endpoint, EnforcedGuardrail, Status } from '../../../../lambda/core/model';
import { type CombineInput, combine, probeReason } from '../../../../lambda/core/org/combine';
import type {
  AccountFacts,
  AccountProbe,
  ModelAvailability,
  OrgCell,
  RegionFactCell,
  RegionFacts,
} from '../../../../lambda/core/org/types';
import { SCP_DENY } from './org-fixture';

const REGION = 'us-east-1';
const ACCOUNT = '222222222222';
const PROBE_ACCOUNT = '111111111111';
const SONNET = 'anthropic.claude-sonnet-4-6';
const NOVA = 'amazon.nova-micro-v1:0';
const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T10:05:00.000Z';
const T2 = '2026-12-01T10:10:00.000Z';
const NEXT_DAY = '2026-12-02T10:06:00.000Z';

const CONVERSE = ['runtime', 'converse'] as const;
const INVOKE = ['runtime', 'invoke'] as const;
const MESSAGES = ['mantle', 'messages'] as const;
type Route = readonly [Endpoint, Api];

const regionCell = (model: string, [endpoint, api]: Route, status: Status = 'supported'): RegionFactCell => ({
  model,
  endpoint,
  api,
  variant: 'basic',
  status,
  reason: `${status} on ${endpoint}`,
  since: T0,
});

const regionFacts = (models: Record<string, readonly RegionFactCell[]>): RegionFacts => ({
  region: REGION,
  account: PROBE_ACCOUNT,
  at: T0,
  models,
});

/** Sonnet served through converse and invoke on the runtime. */
const SERVED = regionFacts({ [SONNET]: [regionCell(SONNET, CONVERSE), regionCell(SONNET, INVOKE)] });

const availability = (model: string, over: Partial<ModelAvailability> = {}): ModelAvailability => ({
  model,
  agreement: 'AVAILABLE',
  authorization: 'AUTHORIZED',
  entitlement: 'AVAILABLE',
  regionAvailability: 'AVAILABLE',
  ...over,
});

const probe = (
  model: string,
  [endpoint, api]: Route,
  status: Status,
  reason = `${status} answer`,
  variant: AccountProbe['variant'] = 'basic',
): AccountProbe => ({ model, endpoint, api, variant, status, reason });

const accountFacts = (
  models: readonly ModelAvailability[],
  probes: readonly AccountProbe[] = [],
  enforced: readonly EnforcedGuardrail[] | null = [],
): AccountFacts => ({
  account: ACCOUNT,
  region: REGION,
  at: T0,
  availability: Object.fromEntries(models.map((a) => [a.model, a])),
  enforced,
  probes: Object.fromEntries(
    [...new Set(probes.map((p) => p.model))].map((m) => [m, probes.filter((p) => p.model === m)]),
  ),
});

const run = (over: Partial<CombineInput> = {}) =>
  combine({
    region: REGION,
    account: ACCOUNT,
    regionFacts: SERVED,
    accountFacts: accountFacts([availability(SONNET)]),
    previous: new Map(),
    at: T0,
    evidence: 'event:first',
    ...over,
  });

const byModel = (cells: readonly OrgCell[]): Map<string, OrgCell> => new Map(cells.map((c) => [c.model, c]));

/** The cells stored after a first combine of these facts (the account-region's baseline). */
const baselineOf = (over: Partial<CombineInput> = {}): Map<string, OrgCell> => byModel(run(over).cells);

const cellOf = (result: ReturnType<typeof combine>, model = SONNET): OrgCell | undefined =>
  result.cells.find((c) => c.model === model);

const apiAccess = (cell: OrgCell | undefined) =>
  Object.fromEntries((cell?.apis ?? []).map((a) => [`${a.endpoint}/${a.api}`, a.access]));

describe('combine: one account-region cell', () => {
  it('is usable through each api the region serves when the account is authorized', () => {
    // Act
    const result = run();

    // Assess
    expect(cellOf(result)).toMatchObject({
      model: SONNET,
      region: REGION,
      account: ACCOUNT,
      access: 'usable',
      reason: 'usable through runtime/converse, runtime/invoke',
      fact: 'region',
      firstSeen: T0,
      lastChanged: T0,
      lastVerified: T0,
      evidence: 'event:first',
    });
    expect(apiAccess(cellOf(result))).toEqual({ 'runtime/converse': 'usable', 'runtime/invoke': 'usable' });
  });

  it("lets the account's own supported probe make an api usable even where availability says no", () => {
    // Act
    const result = run({
      accountFacts: accountFacts(
        [availability(SONNET, { authorization: 'NOT_AUTHORIZED' })],
        [probe(SONNET, CONVERSE, 'supported')],
      ),
    });

    // Assess
    const cell = cellOf(result);
    expect(apiAccess(cell)).toEqual({ 'runtime/converse': 'usable', 'runtime/invoke': 'no-access' });
    expect(cell?.apis.find((a) => a.api === 'converse')?.fact).toBe('probe');
    expect(cell?.access).toBe('usable');
  });

  it('is denied when its own probe meets an explicit deny in a service control policy', () => {
    // Act
    const result = run({
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'no-access', SCP_DENY), probe(SONNET, INVOKE, 'no-access', SCP_DENY)],
      ),
    });

    // Assess
    expect(cellOf(result)).toMatchObject({ access: 'denied', reason: SCP_DENY, fact: 'probe' });
  });

  it('is no-access when its own probe is refused without an explicit deny', () => {
    // Prepare
    const refused = 'AccessDeniedException: You do not have access to the model with the specified model ID.';

    // Act
    const result = run({
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'no-access', refused), probe(SONNET, INVOKE, 'no-access', refused)],
      ),
    });

    // Assess
    expect(cellOf(result)).toMatchObject({ access: 'no-access', reason: refused, fact: 'probe' });
  });

  it('is broken when its own probe finds unsupported or not-found where the region fact says supported', () => {
    // Act
    const result = run({
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'not-found', 'model not found'), probe(SONNET, INVOKE, 'unsupported')],
      ),
    });

    // Assess
    const cell = cellOf(result);
    expect(apiAccess(cell)).toEqual({ 'runtime/converse': 'broken', 'runtime/invoke': 'broken' });
    expect(cell?.reason).toBe(
      'the region serves it, this account\u2019s probe says not-found: model not found',
    );
  });

  it('is not-offered when its own probe finds not-found where the region fact does not say supported', () => {
    // Prepare
    const facts = regionFacts({ [SONNET]: [regionCell(SONNET, MESSAGES, 'not-found')] });

    // Act
    const result = run({
      regionFacts: facts,
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, MESSAGES, 'not-found', 'no such model')],
      ),
    });

    // Assess
    expect(cellOf(result)).toMatchObject({ access: 'not-offered', reason: 'no such model', fact: 'probe' });
  });

  it('lets a transient probe (error, throttled, skipped) decide nothing', () => {
    // Act
    const results = (['error', 'throttled', 'skipped'] as const).map((status) =>
      run({
        accountFacts: accountFacts(
          [availability(SONNET, { authorization: 'NOT_AUTHORIZED' })],
          [probe(SONNET, CONVERSE, status), probe(SONNET, INVOKE, status)],
        ),
      }),
    );

    // Assess
    for (const result of results) {
      expect(cellOf(result)).toMatchObject({
        access: 'no-access',
        reason: 'GetFoundationModelAvailability authorizationStatus NOT_AUTHORIZED',
        fact: 'account',
      });
    }
  });

  it('ignores the guardrail probes when judging access', () => {
    // Act
    const result = run({
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'no-access', SCP_DENY, 'guardrail')],
      ),
    });

    // Assess
    expect(cellOf(result)?.access).toBe('usable');
  });

  it('is not-offered when availability says the region does not have the model, though the region fact serves it', () => {
    // Act
    const result = run({
      accountFacts: accountFacts([availability(SONNET, { regionAvailability: 'NOT_AVAILABLE' })]),
    });

    // Assess
    expect(cellOf(result)).toMatchObject({
      access: 'not-offered',
      reason: 'GetFoundationModelAvailability regionAvailability NOT_AVAILABLE',
      fact: 'account',
    });
  });

  it('is not-offered through an api the region fact says unsupported or not-found', () => {
    // Prepare
    const facts = regionFacts({
      [SONNET]: [regionCell(SONNET, CONVERSE, 'unsupported'), regionCell(SONNET, MESSAGES, 'not-found')],
    });

    // Act
    const result = run({ regionFacts: facts });

    // Assess
    expect(cellOf(result)).toMatchObject({
      access: 'not-offered',
      reason: 'the region does not serve it (not-found: not-found on mantle)',
      fact: 'region',
    });
    expect(apiAccess(cellOf(result))).toEqual({
      'mantle/messages': 'not-offered',
      'runtime/converse': 'not-offered',
    });
  });

  it('is unknown without a region fact, even when the account is authorized', () => {
    // Act
    const result = run({ regionFacts: null });

    // Assess
    expect(cellOf(result)).toMatchObject({ access: 'unknown', reason: 'no region fact yet' });
  });

  it('is unknown without an account fact, and with an answer availability does not understand', () => {
    // Act
    const none = run({ accountFacts: null });
    const strange = run({ accountFacts: accountFacts([availability(SONNET, { authorization: 'MAYBE' })]) });

    // Assess
    expect(cellOf(none)?.access).toBe('unknown');
    expect(apiAccess(cellOf(none))).toEqual({ 'runtime/converse': 'unknown', 'runtime/invoke': 'unknown' });
    expect(cellOf(strange)?.access).toBe('unknown');
    expect(cellOf(strange)?.reason).toMatch(/authorizationStatus MAYBE, .*: not understood$/);
  });

  it('shows the model as the most usable of its apis', () => {
    // Act
    const result = run({
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'no-access', SCP_DENY), probe(SONNET, INVOKE, 'supported')],
      ),
    });

    // Assess
    expect(cellOf(result)).toMatchObject({ access: 'usable', reason: 'usable through runtime/invoke' });
  });

  it('lists the enforced guardrails that cover the model, and not those that exclude it', () => {
    // Prepare
    const guardrail = (id: string, version: string | null, over: Partial<EnforcedGuardrail> = {}) => ({
      region: REGION,
      guardrailId: id,
      guardrailVersion: version,
      owner: 'ACCOUNT',
      includedModels: [],
      excludedModels: [],
      ...over,
    });
    const enforced = [
      guardrail('gr-all', '1'),
      guardrail('gr-org', null, { owner: 'ORGANIZATION', includedModels: [SONNET] }),
      guardrail('gr-not-sonnet', '2', { excludedModels: [SONNET] }),
      guardrail('gr-nova-only', '3', { includedModels: [NOVA] }),
    ];

    // Act
    const result = run({ accountFacts: accountFacts([availability(SONNET)], [], enforced) });

    // Assess
    expect(cellOf(result)?.enforced).toEqual(['gr-all:1', 'gr-org']);
  });
});

describe('combine: what counts as a change', () => {
  it("stores an account-region's first cells as its baseline, without a change", () => {
    // Act
    const result = run({
      accountFacts: accountFacts(
        [availability(SONNET), availability(NOVA, { authorization: 'NOT_AUTHORIZED' })],
        [probe(SONNET, CONVERSE, 'no-access', SCP_DENY)],
      ),
    });

    // Assess
    expect(result.cells.map((c) => c.model)).toEqual([NOVA, SONNET]);
    expect(result.changes).toEqual([]);
  });

  it('writes nothing and changes nothing when the same facts are re-verified within a day', () => {
    // Prepare
    const previous = baselineOf();

    // Act
    const result = run({ previous, at: T1, evidence: 'event:again' });

    // Assess
    expect(result).toEqual({ cells: [], changes: [] });
  });

  it('writes the cell again a day later, with its new lastVerified, but no change', () => {
    // Prepare
    const previous = baselineOf();

    // Act
    const result = run({ previous, at: NEXT_DAY });

    // Assess
    expect(result.changes).toEqual([]);
    expect(cellOf(result)).toMatchObject({
      access: 'usable',
      firstSeen: T0,
      lastChanged: T0,
      lastVerified: NEXT_DAY,
    });
  });

  it("finds no change in the account's first own probe of a cell that had no probe fact (refinement)", () => {
    // Prepare
    const previous = baselineOf();

    // Act
    const result = run({
      previous,
      at: T1,
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'no-access', SCP_DENY), probe(SONNET, INVOKE, 'no-access', SCP_DENY)],
      ),
    });

    // Assess
    expect(cellOf(result)).toMatchObject({ access: 'denied', fact: 'probe', lastChanged: T1 });
    expect(result.changes).toEqual([]);
  });

  it('finds no change when a cell unknown since the baseline gets known (late resolve)', () => {
    // Prepare
    const previous = baselineOf({ accountFacts: null });

    // Act
    const result = run({ previous, at: T1 });

    // Assess
    expect(previous.get(SONNET)?.access).toBe('unknown');
    expect(cellOf(result)?.access).toBe('usable');
    expect(result.changes).toEqual([]);
  });

  it('reports a model first seen after the baseline as an arrival from null', () => {
    // Prepare
    const previous = baselineOf();
    const arrived = regionFacts({ ...SERVED.models, [NOVA]: [regionCell(NOVA, CONVERSE)] });

    // Act
    const result = run({
      previous,
      at: T1,
      regionFacts: arrived,
      accountFacts: accountFacts([availability(SONNET), availability(NOVA)]),
      evidence: 'event:arrival',
    });

    // Assess
    expect(result.changes).toEqual([
      {
        model: NOVA,
        region: REGION,
        account: ACCOUNT,
        from: null,
        to: 'usable',
        reason: 'usable through runtime/converse',
        at: T1,
        apis: ['runtime/converse: new -> usable'],
      },
    ]);
    expect(result.cells.map((c) => c.model)).toEqual([NOVA]);
  });

  it('reports an arrival that was unknown at first once it gets known, as an arrival from null', () => {
    // Prepare: Nova appears in the region after the baseline, before the account read its access.
    const previous = baselineOf();
    const arrived = regionFacts({ ...SERVED.models, [NOVA]: [regionCell(NOVA, CONVERSE)] });
    const first = run({ previous, at: T1, regionFacts: arrived });
    const stored = new Map([...previous, ...byModel(first.cells)]);

    // Act
    const result = run({
      previous: stored,
      at: T2,
      regionFacts: arrived,
      accountFacts: accountFacts([availability(SONNET), availability(NOVA)]),
    });

    // Assess
    expect(first.changes).toEqual([]);
    expect(stored.get(NOVA)?.access).toBe('unknown');
    expect(result.changes).toMatchObject([{ model: NOVA, from: null, to: 'usable', at: T2 }]);
  });

  it('reports a real move (availability changed, the probe confirmed) with the moved apis listed', () => {
    // Prepare: the account had probed Sonnet itself and could use it.
    const previous = baselineOf({
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'supported'), probe(SONNET, INVOKE, 'supported')],
      ),
    });
    const refused = 'AccessDeniedException: You do not have access to the model with the specified model ID.';

    // Act
    const result = run({
      previous,
      at: T1,
      evidence: 'event:moved',
      accountFacts: accountFacts(
        [availability(SONNET, { authorization: 'NOT_AUTHORIZED' })],
        [probe(SONNET, CONVERSE, 'no-access', refused), probe(SONNET, INVOKE, 'no-access', refused)],
      ),
    });

    // Assess
    expect(previous.get(SONNET)?.access).toBe('usable');
    expect(result.changes).toEqual([
      {
        model: SONNET,
        region: REGION,
        account: ACCOUNT,
        from: 'usable',
        to: 'no-access',
        reason: refused,
        at: T1,
        apis: ['runtime/converse: usable -> no-access', 'runtime/invoke: usable -> no-access'],
      },
    ]);
    expect(cellOf(result)).toMatchObject({
      access: 'no-access',
      firstSeen: T0,
      lastChanged: T1,
      evidence: 'event:moved',
    });
  });

  it('reports a move the probe confirms in the same event, though the cell had never been probed', () => {
    // Prepare: the account could use Sonnet by its availability; its first probes had not reached it.
    const previous = baselineOf();
    const refused = 'AccessDeniedException: You do not have access to the model with the specified model ID.';

    // Act
    const result = run({
      previous,
      at: T1,
      accountFacts: accountFacts(
        [availability(SONNET, { authorization: 'NOT_AUTHORIZED' })],
        [probe(SONNET, CONVERSE, 'no-access', refused), probe(SONNET, INVOKE, 'no-access', refused)],
      ),
    });

    // Assess
    expect(result.changes).toMatchObject([
      { model: SONNET, from: 'usable', to: 'no-access', reason: refused },
    ]);
  });

  it('reports a model the region starts to offer the account, probed in the same event, as a move', () => {
    // Prepare: never probed while availability said the region did not have it for this account.
    const previous = baselineOf({
      accountFacts: accountFacts([availability(SONNET, { regionAvailability: 'NOT_AVAILABLE' })]),
    });

    // Act
    const result = run({
      previous,
      at: T1,
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'supported'), probe(SONNET, INVOKE, 'supported')],
      ),
    });

    // Assess
    expect(previous.get(SONNET)?.access).toBe('not-offered');
    expect(result.changes).toMatchObject([
      {
        model: SONNET,
        from: 'not-offered',
        to: 'usable',
        apis: ['runtime/converse: not-offered -> usable', 'runtime/invoke: not-offered -> usable'],
      },
    ]);
  });

  it('reports an api that moved while the model as a whole stays usable', () => {
    // Prepare
    const previous = baselineOf({
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'supported'), probe(SONNET, INVOKE, 'supported')],
      ),
    });

    // Act
    const result = run({
      previous,
      at: T1,
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'supported'), probe(SONNET, INVOKE, 'no-access', SCP_DENY)],
      ),
    });

    // Assess
    expect(result.changes).toMatchObject([
      { model: SONNET, from: 'usable', to: 'usable', apis: ['runtime/invoke: usable -> denied'] },
    ]);
  });

  it('never lets unknown replace a known cell or api, and reports no change for it', () => {
    // Prepare
    const previous = baselineOf();

    // Act: the account's facts are lost (a failed read) and the region fact turned transient.
    const result = run({
      previous,
      at: T1,
      regionFacts: regionFacts({
        [SONNET]: [regionCell(SONNET, CONVERSE, 'error'), regionCell(SONNET, INVOKE, 'error')],
      }),
      accountFacts: null,
    });

    // Assess
    expect(result.changes).toEqual([]);
    expect(result.cells).toEqual([]);
  });

  it('keeps the known api when only that api turns unknown', () => {
    // Prepare
    const previous = baselineOf();
    const partial = regionFacts({
      [SONNET]: [regionCell(SONNET, CONVERSE), regionCell(SONNET, INVOKE, 'throttled')],
    });

    // Act
    const result = run({ previous, at: NEXT_DAY, regionFacts: partial });

    // Assess
    expect(result.changes).toEqual([]);
    expect(apiAccess(cellOf(result))).toEqual({ 'runtime/converse': 'usable', 'runtime/invoke': 'usable' });
    expect(cellOf(result)?.lastChanged).toBe(T0);
  });
});

describe('probeReason', () => {
  it('names the explicit deny when only the raw message says it', () => {
    // Act
    const reason = probeReason({ reason: 'AccessDeniedException: not authorized', message: SCP_DENY });

    // Assess
    expect(reason).toBe('explicit deny in a service control policy: AccessDeniedException: not authorized');
  });

  it('keeps the reason as it is when it already names the deny, or when nothing names one', () => {
    // Act
    const named = probeReason({ reason: SCP_DENY, message: SCP_DENY });
    const plain = probeReason({
      reason: 'AccessDeniedException: no model access',
      message: 'no model access',
    });

    // Assess
    expect(named).toBe(SCP_DENY);
    expect(plain).toBe('AccessDeniedException: no model access');
  });

  it('falls back to the message without a reason, and to nothing without either', () => {
    // Act
    const fromMessage = probeReason({ reason: null, message: SCP_DENY });
    const nothing = probeReason({ reason: null, message: null });

    // Assess
    expect(fromMessage).toBe(SCP_DENY);
    expect(nothing).toBe('');
  });

  it('is what makes combine say denied when the classifier reason alone does not', () => {
    // Prepare
    const reason = probeReason({ reason: 'AccessDeniedException', message: SCP_DENY });

    // Act
    const result = run({
      accountFacts: accountFacts(
        [availability(SONNET)],
        [probe(SONNET, CONVERSE, 'no-access', reason), probe(SONNET, INVOKE, 'no-access', reason)],
      ),
    });

    // Assess
    expect(cellOf(result)?.access).toBe('denied');
  });
});
