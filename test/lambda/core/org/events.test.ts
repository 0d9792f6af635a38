import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { entryBytes } from '../../../../lambda/adapters/eventbridge-events';
import type { EnforcedGuardrail } from '../../../../lambda/core/model';
import {
  type AccountFactsDetail,
  accountFactsEvents,
  heartbeatEvent,
  type MemberEvent,
  type RegionFactsDetail,
  regionFactsEvents,
} from '../../../../lambda/core/org/events';
import type { AccountProbe, ModelAvailability, RegionFactCell } from '../../../../lambda/core/org/types';
import { scrubDeep } from '../../../../lambda/core/scrub';
import {
  MAX_EVENT_BYTES,
  MEMBER_DETAIL_TYPES,
  MEMBER_EVENT_SOURCE,
} from '../../../../lambda/shared/org-names';

const ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const AT = '2026-12-01T10:00:00.000Z';

/** A reason as long as a trimmed message (300 characters), every character 3 bytes in UTF-8. */
const WIDE_REASON = '模型访问未启用。拒绝访问：'.repeat(30).slice(0, 300);

/** The PutEvents entry of one event, as lambda/adapters/member-events.ts builds it. */
const entryOf = (e: MemberEvent): PutEventsRequestEntry => ({
  Source: MEMBER_EVENT_SOURCE,
  DetailType: e.detailType,
  Detail: JSON.stringify(scrubDeep(e.detail)),
});

const modelKey = (i: number) => `vendor.model-${String(i).padStart(4, '0')}`;

const availabilityOf = (model: string): ModelAvailability => ({
  model,
  agreement: 'ERROR',
  authorization: 'AUTHORIZED',
  entitlement: 'AVAILABLE',
  regionAvailability: 'AVAILABLE',
  error: `agreement: ${WIDE_REASON}`,
});

const probesOf = (model: string): AccountProbe[] =>
  (['converse', 'invoke'] as const).map((api) => ({
    model,
    endpoint: 'runtime',
    api,
    variant: 'basic',
    status: 'no-access',
    reason: WIDE_REASON,
  }));

const cellsOf = (model: string): RegionFactCell[] =>
  (['converse', 'invoke', 'chat'] as const).flatMap((api) =>
    (['basic', 'guardrail'] as const).map((variant) => ({
      model,
      endpoint: 'runtime',
      api,
      variant,
      status: 'supported',
      reason: WIDE_REASON,
      since: AT,
    })),
  );

const ENFORCED: EnforcedGuardrail[] = [
  {
    region: REGION,
    guardrailId: 'gr-org',
    guardrailVersion: '1',
    owner: 'ORGANIZATION',
    includedModels: [],
    excludedModels: [],
  },
];

const accountBody = (over: Partial<Omit<AccountFactsDetail, 'id' | 'part' | 'parts'>> = {}) => ({
  v: 1 as const,
  kind: 'account-facts' as const,
  account: ACCOUNT,
  region: REGION,
  at: AT,
  snapshot: true,
  gone: ['vendor.retired-model'],
  enforced: ENFORCED,
  ...over,
});

const regionBody = (over: Partial<Omit<RegionFactsDetail, 'id' | 'part' | 'parts'>> = {}) => ({
  v: 1 as const,
  kind: 'region-facts' as const,
  account: ACCOUNT,
  region: REGION,
  at: AT,
  snapshot: true,
  runId: 'run-2026-12-01T10:00',
  removed: ['vendor.retired-model'],
  ...over,
});

const MODELS = Array.from({ length: 300 }, (_, i) => modelKey(i));

const accountDetails = (events: readonly MemberEvent[]) => events.map((e) => e.detail as AccountFactsDetail);
const regionDetails = (events: readonly MemberEvent[]) => events.map((e) => e.detail as RegionFactsDetail);

describe('member event ids', () => {
  it('gives the same state the same id, and any different state a different one', () => {
    // Prepare
    const availability = [availabilityOf(modelKey(1))];

    // Act
    const first = accountFactsEvents(accountBody(), availability, []);
    const again = accountFactsEvents(accountBody(), availability, []);
    const otherField = accountFactsEvents(
      accountBody(),
      [{ ...availabilityOf(modelKey(1)), authorization: 'NOT_AUTHORIZED' }],
      [],
    );
    const otherGone = accountFactsEvents(accountBody({ gone: [] }), availability, []);

    // Assess
    const ids = [first, again, otherField, otherGone].map((events) => events[0]?.detail.id);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(new Set(ids).size).toBe(3);
  });

  it('gives heartbeats the same id for the same beat and a new one for a later beat', () => {
    // Prepare
    const beat = { v: 1 as const, kind: 'heartbeat' as const, account: ACCOUNT, region: REGION, at: AT };

    // Act
    const one = heartbeatEvent({ ...beat, role: 'member' });
    const same = heartbeatEvent({ ...beat, role: 'member' });
    const later = heartbeatEvent({ ...beat, at: '2026-12-01T10:30:00.000Z', role: 'member' });

    // Assess
    expect(one).toEqual({
      detailType: MEMBER_DETAIL_TYPES.heartbeat,
      detail: { ...beat, role: 'member', part: 1, parts: 1, id: one.detail.id },
    });
    expect(same.detail.id).toBe(one.detail.id);
    expect(later.detail.id).not.toBe(one.detail.id);
  });

  it('gives each part of a split list its own id', () => {
    // Act
    const events = accountFactsEvents(accountBody(), MODELS.map(availabilityOf), MODELS.flatMap(probesOf));

    // Assess
    const ids = events.map((e) => e.detail.id);
    expect(ids.length).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('accountFactsEvents', () => {
  it('sends a short list as one Account Facts event with everything in it', () => {
    // Act
    const events = accountFactsEvents(accountBody(), [availabilityOf(modelKey(1))], probesOf(modelKey(1)));

    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]?.detailType).toBe(MEMBER_DETAIL_TYPES.accountFacts);
    expect(events[0]?.detail).toMatchObject({
      ...accountBody(),
      availability: [availabilityOf(modelKey(1))],
      probes: probesOf(modelKey(1)),
      part: 1,
      parts: 1,
    });
  });

  it('sends one event with the gone list and the guardrails when no model moved', () => {
    // Act
    const events = accountFactsEvents(accountBody({ snapshot: false }), [], []);

    // Assess
    expect(accountDetails(events)).toMatchObject([
      { availability: [], probes: [], gone: ['vendor.retired-model'], enforced: ENFORCED, part: 1, parts: 1 },
    ]);
  });

  it('splits a long list of multi-byte text into parts each under the entry limit as PutEvents counts it', () => {
    // Prepare
    const availability = MODELS.map(availabilityOf);
    const probes = MODELS.flatMap(probesOf);

    // Act
    const events = accountFactsEvents(accountBody(), availability, probes);

    // Assess
    const sizes = events.map((e) => entryBytes(entryOf(e)));
    expect(events.length).toBeGreaterThan(2);
    for (const size of sizes) expect(size).toBeLessThan(MAX_EVENT_BYTES);
    // Counted in bytes, not characters: the text is far longer in bytes than in characters.
    const characters = events.reduce((n, e) => n + JSON.stringify(e.detail).length, 0);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(1.5 * characters);
    // As few parts as fit: every part but the last is nearly full.
    for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThan(0.95 * MAX_EVENT_BYTES);
  });

  it('numbers the parts 1..n, keeps each model with its probes, and carries gone and enforced in every part', () => {
    // Prepare
    const availability = MODELS.map(availabilityOf);
    const probes = MODELS.flatMap(probesOf);

    // Act
    const details = accountDetails(accountFactsEvents(accountBody(), availability, probes));

    // Assess
    const n = details.length;
    expect(details.map((d) => [d.part, d.parts])).toEqual(details.map((_, i) => [i + 1, n]));
    expect(details.flatMap((d) => d.availability)).toEqual(availability);
    expect(details.flatMap((d) => d.probes)).toEqual(probes);
    for (const d of details) {
      const listed = new Set(d.availability.map((a) => a.model));
      expect(d.probes.every((p) => listed.has(p.model))).toBe(true);
      expect(d.probes).toHaveLength(2 * listed.size);
      expect(d.gone).toEqual(['vendor.retired-model']);
      expect(d.enforced).toEqual(ENFORCED);
      expect(d).toMatchObject({ v: 1, kind: 'account-facts', account: ACCOUNT, region: REGION, at: AT });
    }
  });

  it('refuses with a clear error one model too big for any event', () => {
    // Prepare
    const huge: AccountProbe = {
      ...(probesOf(modelKey(1))[0] as AccountProbe),
      reason: '漢'.repeat(100_000),
    };

    // Act
    const act = () => accountFactsEvents(accountBody(), [availabilityOf(modelKey(1))], [huge]);

    // Assess
    expect(act).toThrow(/^one entry of \d+ bytes cannot fit an event of \d+ bytes$/);
  });
});

describe('regionFactsEvents', () => {
  it('sends a short list as one Region Facts event', () => {
    // Act
    const events = regionFactsEvents(regionBody(), cellsOf(modelKey(1)));

    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]?.detailType).toBe(MEMBER_DETAIL_TYPES.regionFacts);
    expect(events[0]?.detail).toMatchObject({
      ...regionBody(),
      cells: cellsOf(modelKey(1)),
      part: 1,
      parts: 1,
    });
  });

  it('splits a long list under the entry limit, never splitting a model, with removed in every part', () => {
    // Prepare: the cells arrive model by model but not sorted.
    const cells = [...MODELS].reverse().flatMap(cellsOf);

    // Act
    const events = regionFactsEvents(regionBody(), cells);

    // Assess
    const details = regionDetails(events);
    const n = details.length;
    expect(n).toBeGreaterThan(2);
    expect(details.map((d) => [d.part, d.parts])).toEqual(details.map((_, i) => [i + 1, n]));
    for (const e of events) expect(entryBytes(entryOf(e))).toBeLessThan(MAX_EVENT_BYTES);
    const partOf = new Map<string, Set<number>>();
    for (const d of details) {
      expect(d.removed).toEqual(['vendor.retired-model']);
      expect(d.runId).toBe('run-2026-12-01T10:00');
      for (const c of d.cells) partOf.set(c.model, (partOf.get(c.model) ?? new Set()).add(d.part));
    }
    expect([...partOf.keys()]).toEqual(MODELS);
    expect([...partOf.values()].every((parts) => parts.size === 1)).toBe(true);
    expect(details.flatMap((d) => d.cells)).toHaveLength(cells.length);
  });

  it('refuses with a clear error one model whose cells cannot fit any event', () => {
    // Prepare
    const huge = cellsOf(modelKey(1)).map((c) => ({ ...c, reason: 'é'.repeat(30_000) }));

    // Act
    const act = () => regionFactsEvents(regionBody(), huge);

    // Assess
    expect(act).toThrow(/cannot fit an event/);
  });
});
