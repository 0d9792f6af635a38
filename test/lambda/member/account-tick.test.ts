import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../lambda/adapters/store/memory-store';
import type { MemberEvent } from '../../../lambda/core/org/events';
import type { AccountProbe } from '../../../lambda/core/org/types';
import { createLogger } from '../../../lambda/logger';
import { accountTick, MAX_PROBED_MODELS } from '../../../lambda/member/account-tick';
import type { MemberDeps } from '../../../lambda/member/ports';

// The account tick of one member: what it reads, probes and sends, and what it remembers as sent.

const scope = { account: '222222222222', region: 'eu-west-1' };
const T0 = new Date('2026-12-07T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const AUTHORIZED = {
  agreementAvailability: { status: 'AVAILABLE' },
  authorizationStatus: 'AUTHORIZED',
  entitlementAvailability: 'AVAILABLE',
  regionAvailability: 'AVAILABLE',
};
const REVOKED = {
  agreementAvailability: { status: 'NOT_AVAILABLE' },
  authorizationStatus: 'NOT_AUTHORIZED',
  entitlementAvailability: 'NOT_AVAILABLE',
  regionAvailability: 'AVAILABLE',
};

/** A member whose control plane answers from `answers` (model ID -> answer) and whose bus may be down. */
function member(modelIds: readonly string[]) {
  const answers = new Map<string, unknown>(modelIds.map((id) => [id, AUTHORIZED]));
  const sent: MemberEvent[] = [];
  const probed: string[][] = [];
  const world = { busDown: false, probeStatus: 'supported' as AccountProbe['status'] };
  const store = new MemoryStore();
  const deps: MemberDeps = {
    role: 'member',
    state: store.memberState(),
    availability: async (id) => {
      if (!answers.has(id)) throw new Error(`ResourceNotFoundException: ${id}`);
      return answers.get(id);
    },
    enforcedGuardrails: async () => [],
    send: async (events) => {
      if (world.busDown)
        return { accepted: [], failures: events.map((e) => `${e.detail.id}: InternalFailure`) };
      sent.push(...events);
      return { accepted: events.map((e) => e.detail.id), failures: [] };
    },
  };
  const tick = (minutes: number, models: readonly string[] = modelIds) =>
    accountTick(deps, {
      scope,
      at: at(minutes),
      models: models.map((id) => ({ key: id, foundationModelId: id })),
      probe: async (keys) => {
        probed.push([...keys]);
        return keys.map((model) => ({
          model,
          endpoint: 'runtime' as const,
          api: 'converse' as const,
          variant: 'basic' as const,
          status: world.probeStatus,
          reason: world.probeStatus === 'supported' ? '' : 'ThrottlingException 429',
        }));
      },
      dependencyTimeoutMs: 1_000,
      log: createLogger(() => {}),
    });
  return { answers, sent, probed, world, tick, store };
}

const kinds = (events: readonly MemberEvent[]) =>
  events.map((e) => `${e.detail.kind}${'snapshot' in e.detail && e.detail.snapshot ? ' (snapshot)' : ''}`);

describe('accountTick', () => {
  it('sends every model it reads on the first tick and probes a few it never probed, not all', async () => {
    // Prepare
    const m = member(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);

    // Act
    await m.tick(0);

    // Assess
    expect(m.probed).toEqual([['m1', 'm2', 'm3', 'm4']]);
    expect(MAX_PROBED_MODELS).toBe(4);
    const facts = m.sent.filter((e) => e.detail.kind === 'account-facts');
    const models = facts.flatMap((e) =>
      e.detail.kind === 'account-facts' ? e.detail.availability.map((a) => a.model) : [],
    );
    expect(new Set(models)).toEqual(new Set(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']));
  });

  it('probes the rest on the next ticks, then probes nothing while the facts stay the same', async () => {
    // Prepare
    const m = member(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    await m.tick(0);

    // Act
    await m.tick(5);
    await m.tick(10);

    // Assess
    expect(m.probed).toEqual([
      ['m1', 'm2', 'm3', 'm4'],
      ['m5', 'm6'],
    ]);
  });

  it('sends a heartbeat when it has had nothing to say for half an hour, and nothing in between', async () => {
    // Prepare
    const m = member(['m1']);
    await m.tick(0);
    await m.tick(5);
    const before = m.sent.length;

    // Act
    await m.tick(10);
    await m.tick(25);
    const quiet = m.sent.length;
    await m.tick(30);

    // Assess
    expect(quiet).toBe(before);
    expect(kinds(m.sent.slice(quiet))).toEqual(['heartbeat']);
  });

  it('sends a revoked access at once, probing that model again', async () => {
    // Prepare
    const m = member(['m1', 'm2']);
    await m.tick(0);
    const before = m.sent.length;

    // Act
    m.answers.set('m2', REVOKED);
    await m.tick(5);

    // Assess
    expect(m.probed.at(-1)).toEqual(['m2']);
    const change = m.sent.slice(before).find((e) => e.detail.kind === 'account-facts');
    expect(
      change?.detail.kind === 'account-facts' &&
        change.detail.availability.map((a) => [a.model, a.authorization]),
    ).toEqual([['m2', 'NOT_AUTHORIZED']]);
  });

  it('loses nothing while the bus is down: the change is sent by the first tick after it is back', async () => {
    // Prepare
    const m = member(['m1', 'm2']);
    await m.tick(0);
    m.answers.set('m2', REVOKED);
    m.world.busDown = true;

    // Act
    const down = await m.tick(5);
    const stillDown = await m.tick(10);
    m.world.busDown = false;
    const before = m.sent.length;
    await m.tick(15);

    // Assess
    expect([down.failed, stillDown.failed]).toEqual([1, 1]);
    const resent = m.sent.slice(before).filter((e) => e.detail.kind === 'account-facts');
    expect(
      resent.flatMap((e) =>
        e.detail.kind === 'account-facts' ? e.detail.availability.map((a) => a.model) : [],
      ),
    ).toContain('m2');
  });

  it('says a model the catalog stopped listing is gone, once', async () => {
    // Prepare
    const m = member(['m1', 'm2']);
    await m.tick(0);
    const before = m.sent.length;

    // Act
    await m.tick(5, ['m1']);
    await m.tick(10, ['m1']);

    // Assess
    const gone = m.sent
      .slice(before)
      .flatMap((e) => (e.detail.kind === 'account-facts' ? e.detail.gone : []));
    expect(gone).toEqual(['m2']);
  });

  it('probes again a model whose probe did not answer decisively (throttled)', async () => {
    // Prepare
    const m = member(['m1']);
    m.world.probeStatus = 'throttled';
    await m.tick(0);

    // Act
    m.world.probeStatus = 'supported';
    await m.tick(5);
    await m.tick(10);

    // Assess
    expect(m.probed).toEqual([['m1'], ['m1']]);
  });

  it('reads a failed availability call as unknown evidence, never as a model gone', async () => {
    // Prepare
    const m = member(['m1']);
    await m.tick(0);
    const before = m.sent.length;

    // Act
    await m.tick(5, ['m1', 'm-unknown']);

    // Assess
    const facts = m.sent
      .slice(before)
      .flatMap((e) => (e.detail.kind === 'account-facts' ? e.detail.availability : []));
    const unknown = facts.find((a) => a.model === 'm-unknown');
    expect(unknown?.error).toMatch(/GetFoundationModelAvailability: .*ResourceNotFoundException: m-unknown/);
    expect(unknown?.authorization).toBeNull();
  });

  it('keeps a model read before when its availability call fails (throttled): no event, no probe', async () => {
    // Prepare
    const m = member(['m1', 'm2']);
    await m.tick(0);
    const before = { sent: m.sent.length, probed: m.probed.length };

    // Act: m2's call fails, then answers as before
    m.answers.delete('m2');
    await m.tick(5);
    m.answers.set('m2', AUTHORIZED);
    await m.tick(10);

    // Assess
    expect(m.sent.length - before.sent).toBe(0);
    expect(m.probed.length - before.probed).toBe(0);
  });

  it('sends the daily snapshot of every model a day after the last one', async () => {
    // Prepare
    const m = member(['m1', 'm2']);
    await m.tick(0);
    const before = m.sent.length;

    // Act
    await m.tick(24 * 60);

    // Assess
    expect(kinds(m.sent.slice(before))).toEqual(['account-facts (snapshot)']);
  });
});
