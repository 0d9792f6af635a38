import { describe, expect, it } from 'vitest';
import {
  type AccountFactsDetail,
  accountFactsEvents,
  heartbeatEvent,
  type MemberEvent,
  type RegionFactsDetail,
  regionFactsEvents,
} from '../../../../lambda/core/org/events';
import {
  type BusEnvelope,
  InvalidMemberEvent,
  isMemberEnvelope,
  parseMemberEvent,
} from '../../../../lambda/core/org/parse-event';
import { MEMBER_DETAIL_TYPES, MEMBER_EVENT_SOURCE } from '../../../../lambda/shared/org-names';

const ACCOUNT = '222222222222';
const OTHER_ACCOUNT = '333333333333';
const REGION = 'eu-west-1';
const AT = '2026-12-01T10:00:00.000Z';
const MODEL = 'anthropic.claude-sonnet-4-6';

const base = { v: 1 as const, account: ACCOUNT, region: REGION, at: AT };

const heartbeat = (): MemberEvent => heartbeatEvent({ ...base, kind: 'heartbeat', role: 'member' });

const accountFacts = (): MemberEvent =>
  accountFactsEvents(
    { ...base, kind: 'account-facts', snapshot: false, gone: [], enforced: [] },
    [
      {
        model: MODEL,
        agreement: 'AVAILABLE',
        authorization: 'NOT_AUTHORIZED',
        entitlement: 'AVAILABLE',
        regionAvailability: 'AVAILABLE',
      },
    ],
    [
      {
        model: MODEL,
        endpoint: 'runtime',
        api: 'converse',
        variant: 'basic',
        status: 'no-access',
        reason: 'no',
      },
    ],
  )[0] as MemberEvent;

const regionFacts = (): MemberEvent =>
  regionFactsEvents({ ...base, kind: 'region-facts', snapshot: true, runId: 'run-1', removed: [] }, [
    {
      model: MODEL,
      endpoint: 'mantle',
      api: 'messages',
      variant: 'guardrail',
      status: 'enforced',
      reason: 'intervened',
      since: AT,
    },
  ])[0] as MemberEvent;

/** The envelope EventBridge hands the home's rule target: its account and region are the sender's. */
const envelopeOf = (event: MemberEvent, over: Partial<BusEnvelope> = {}): BusEnvelope => ({
  id: 'eb-event-1',
  source: MEMBER_EVENT_SOURCE,
  'detail-type': event.detailType,
  account: ACCOUNT,
  region: REGION,
  detail: JSON.parse(JSON.stringify(event.detail)),
  ...over,
});

/** The envelope of `event` with its detail changed. */
const withDetail = (event: MemberEvent, detail: Record<string, unknown>): BusEnvelope =>
  envelopeOf(event, { detail: { ...JSON.parse(JSON.stringify(event.detail)), ...detail } });

/** The refusal's message, or a failure if the event was accepted or failed otherwise. */
const refusalOf = (envelope: BusEnvelope): string => {
  try {
    parseMemberEvent(envelope);
  } catch (err) {
    if (err instanceof InvalidMemberEvent) return err.message;
    throw err;
  }
  throw new Error('the event was accepted');
};

describe('parseMemberEvent accepts', () => {
  it('a valid event of each kind, as the member built it', () => {
    // Prepare
    const events = [heartbeat(), accountFacts(), regionFacts()];

    // Act
    const parsed = events.map((e) => parseMemberEvent(envelopeOf(e)));

    // Assess
    expect(parsed).toEqual(events.map((e) => e.detail));
    expect(parsed.map((d) => d.kind)).toEqual(['heartbeat', 'account-facts', 'region-facts']);
  });

  it('account facts whose guardrail listing failed (enforced null)', () => {
    // Act
    const parsed = parseMemberEvent(withDetail(accountFacts(), { enforced: null }));

    // Assess
    expect(parsed).toMatchObject({ kind: 'account-facts', enforced: null });
  });
});

describe('parseMemberEvent refuses, in one line naming the field', () => {
  it('a detail naming another account than the one that sent it', () => {
    // Act
    const message = refusalOf(withDetail(accountFacts(), { account: OTHER_ACCOUNT }));

    // Assess
    expect(message).toBe(
      `member event eb-event-1 refused: detail.account (not the sending account) "${OTHER_ACCOUNT}"`,
    );
  });

  it('a detail naming another region than the one it was sent in', () => {
    // Act
    const message = refusalOf(withDetail(regionFacts(), { region: 'us-east-1' }));

    // Assess
    expect(message).toBe(
      'member event eb-event-1 refused: detail.region (not the region it was sent in) "us-east-1"',
    );
  });

  it('an envelope without a valid account or region', () => {
    // Act
    const messages = [
      refusalOf(envelopeOf(heartbeat(), { account: 'not-an-account' })),
      refusalOf(envelopeOf(heartbeat(), { region: undefined })),
    ];

    // Assess
    expect(messages).toEqual([
      'member event eb-event-1 refused: envelope account "not-an-account"',
      'member event eb-event-1 refused: envelope region undefined',
    ]);
  });

  it('an unknown detail-type', () => {
    // Act
    const message = refusalOf(envelopeOf(heartbeat(), { 'detail-type': 'Member Gossip' }));

    // Assess
    expect(message).toBe('member event eb-event-1 refused: detail-type "Member Gossip"');
  });

  it('a detail whose kind is not its detail-type', () => {
    // Act
    const message = refusalOf(envelopeOf(heartbeat(), { 'detail-type': MEMBER_DETAIL_TYPES.regionFacts }));

    // Assess
    expect(message).toBe('member event eb-event-1 refused: detail.kind "heartbeat"');
  });

  it('a version other than 1', () => {
    // Act
    const messages = [2, undefined].map((v) => refusalOf(withDetail(heartbeat(), { v })));

    // Assess
    expect(messages).toEqual([
      'member event eb-event-1 refused: detail.v (this home reads version 1) 2',
      'member event eb-event-1 refused: detail.v (this home reads version 1) undefined',
    ]);
  });

  it('a missing id or at, or an at that is not a time', () => {
    // Act
    const messages = [
      refusalOf(withDetail(heartbeat(), { id: undefined })),
      refusalOf(withDetail(heartbeat(), { id: '' })),
      refusalOf(withDetail(heartbeat(), { at: undefined })),
      refusalOf(withDetail(heartbeat(), { at: 'yesterday' })),
    ];

    // Assess
    expect(messages).toEqual([
      'member event eb-event-1 refused: detail.id undefined',
      'member event eb-event-1 refused: detail.id ""',
      'member event eb-event-1 refused: detail.at undefined',
      'member event eb-event-1 refused: detail.at "yesterday"',
    ]);
  });

  it('a detail that is not an object, and an unknown heartbeat role', () => {
    // Act
    const messages = [
      refusalOf(envelopeOf(heartbeat(), { detail: 'hello' })),
      refusalOf(withDetail(heartbeat(), { role: 'boss' })),
    ];

    // Assess
    expect(messages).toEqual([
      'member event eb-event-1 refused: detail "hello"',
      'member event eb-event-1 refused: detail.role "boss"',
    ]);
  });

  it('a region-facts cell with a bad status, api, endpoint or variant', () => {
    // Prepare
    const cell = (regionFacts().detail as RegionFactsDetail).cells[0];
    const bad = (over: Record<string, unknown>) =>
      withDetail(regionFacts(), { cells: [{ ...cell, ...over }] });

    // Act
    const messages = [
      refusalOf(bad({ status: 'maybe' })),
      refusalOf(bad({ api: 'completions' })),
      refusalOf(bad({ endpoint: 'bedrock-agent' })),
      refusalOf(bad({ variant: 'vision' })),
      refusalOf(bad({ model: 42 })),
    ];

    // Assess
    expect(messages).toEqual([
      'member event eb-event-1 refused: detail.cells[].status "maybe"',
      'member event eb-event-1 refused: detail.cells[].api "completions"',
      'member event eb-event-1 refused: detail.cells[].endpoint "bedrock-agent"',
      'member event eb-event-1 refused: detail.cells[].variant "vision"',
      expect.stringMatching(/^member event eb-event-1 refused: detail\.cells\[\]\.model \{/),
    ]);
  });

  it('a region-facts notice that is not a retirement notice with its key', () => {
    // Act
    const messages = [
      refusalOf(withDetail(regionFacts(), { notices: 'soon' })),
      refusalOf(withDetail(regionFacts(), { notices: [{ model: MODEL, kind: 'cell' }] })),
      refusalOf(withDetail(regionFacts(), { notices: [{ model: MODEL, kind: 'retirement-notice' }] })),
    ];

    // Assess
    expect(messages).toEqual([
      'member event eb-event-1 refused: detail.notices "soon"',
      expect.stringMatching(/^member event eb-event-1 refused: detail\.notices\[\] \{"model"/),
      expect.stringMatching(/^member event eb-event-1 refused: detail\.notices\[\] \{"model"/),
    ]);
  });

  it('an account-facts probe with a bad status or api', () => {
    // Prepare
    const probe = (accountFacts().detail as AccountFactsDetail).probes[0];
    const bad = (over: Record<string, unknown>) =>
      withDetail(accountFacts(), { probes: [{ ...probe, ...over }] });

    // Act
    const messages = [refusalOf(bad({ status: 'denied' })), refusalOf(bad({ api: 'chat-completions' }))];

    // Assess
    expect(messages).toEqual([
      'member event eb-event-1 refused: detail.probes[].status "denied"',
      'member event eb-event-1 refused: detail.probes[].api "chat-completions"',
    ]);
  });

  it('a missing list, and an availability without its model', () => {
    // Act
    const messages = [
      refusalOf(withDetail(accountFacts(), { gone: undefined })),
      refusalOf(withDetail(regionFacts(), { removed: 'x' })),
      refusalOf(withDetail(regionFacts(), { runId: 7 })),
      refusalOf(withDetail(accountFacts(), { availability: [{ agreement: 'AVAILABLE' }] })),
    ];

    // Assess
    expect(messages).toEqual([
      'member event eb-event-1 refused: detail.gone undefined',
      'member event eb-event-1 refused: detail.removed "x"',
      'member event eb-event-1 refused: detail.runId 7',
      'member event eb-event-1 refused: detail.availability[].model {"agreement":"AVAILABLE"}',
    ]);
  });

  it('a list item that is not an object (null) in cells, probes, availability or enforced', () => {
    // Act
    const messages = [
      refusalOf(withDetail(regionFacts(), { cells: [null] })),
      refusalOf(withDetail(accountFacts(), { probes: [null] })),
      refusalOf(withDetail(accountFacts(), { availability: [null] })),
      refusalOf(withDetail(accountFacts(), { enforced: [null] })),
    ];

    // Assess
    expect(messages).toEqual([
      'member event eb-event-1 refused: detail.cells[] null',
      'member event eb-event-1 refused: detail.probes[] null',
      'member event eb-event-1 refused: detail.availability[] null',
      'member event eb-event-1 refused: detail.enforced[] null',
    ]);
  });

  it('an enforced guardrail without its id or model lists (the home matches models against them)', () => {
    // Act
    const messages = [
      refusalOf(withDetail(accountFacts(), { enforced: [{ guardrailId: 'gr-1' }] })),
      refusalOf(withDetail(accountFacts(), { enforced: [{ includedModels: [], excludedModels: [] }] })),
    ];

    // Assess
    expect(messages).toEqual([
      'member event eb-event-1 refused: detail.enforced[] {"guardrailId":"gr-1"}',
      'member event eb-event-1 refused: detail.enforced[] {"includedModels":[],"excludedModels":[]}',
    ]);
  });

  it('with one line even when the bad value holds a line break, and says when the envelope had no id', () => {
    // Act
    const message = refusalOf(envelopeOf(heartbeat(), { id: undefined, 'detail-type': 'Heart\nbeat' }));

    // Assess
    expect(message).toBe('member event (no id) refused: detail-type "Heart\\nbeat"');
    expect(message).not.toContain('\n');
  });
});

describe('isMemberEnvelope', () => {
  it('recognises an event a member sent, and nothing else', () => {
    // Act
    const results = [
      isMemberEnvelope(envelopeOf(heartbeat())),
      isMemberEnvelope({ source: 'aws.events', 'detail-type': 'Scheduled Event' }),
      isMemberEnvelope(null),
      isMemberEnvelope('bedrock-matrix.member'),
    ];

    // Assess
    expect(results).toEqual([true, false, false, false]);
  });
});
