/**
 * The store contract: what every store (DynamoDB, memory) must do, run by one test file per store.
 * `fresh` gives an empty store and a way to read every stored item (a Scan for DynamoDB).
 */
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../lambda/adapters/store';
import { type Change, cellId, emptyEvidence, type ModelEntry } from '../../../../lambda/core/model';
import type { Store } from '../../../../lambda/core/ports';
import { DEFAULTS } from '../../../../lambda/shared/names';
import { modelChange } from '../../../support/changes';
import { BEARER_PREFIX } from '../../../support/planted-secrets';
import {
  ACCOUNT,
  cellChange,
  confirmed,
  key,
  model,
  REGION,
  result,
  run,
  SCOPE,
  T0,
  T1,
  T2,
} from './fixtures';

/** Another scope of the same home table: another region of the account. */
const OTHER = { account: ACCOUNT, region: 'eu-west-1' };

export interface StoreUnderTest {
  readonly store: Store;
  /** Every item in the table. */
  items(): Promise<Item[]>;
}

export type FreshStore = (opts?: { readonly historyTtlDays?: number }) => Promise<StoreUnderTest>;

const itemAt = async (s: StoreUnderTest, pk: string, sk: string): Promise<Item | undefined> =>
  (await s.items()).find((i) => i.pk === pk && i.sk === sk);

/** A model as ListFoundationModels declares it (ModelEntry.declared). */
const declaredModel = (k: string): ModelEntry => ({
  ...model(k),
  ids: { mantle: k, runtime: `${k}-v1:0` },
  sources: ['mantle-models', 'foundation-models'],
  declared: {
    lifecycle: {
      status: 'LEGACY',
      legacyTime: '2026-12-01T00:00:00.000Z',
      endOfLifeTime: '2027-03-01T00:00:00.000Z',
    },
    responseStreamingSupported: true,
    inferenceTypesSupported: ['ON_DEMAND', 'INFERENCE_PROFILE'],
  },
});

const notice = (kind: 'legacy' | 'end-of-life', date: string): Change =>
  modelChange({
    region: REGION,
    model: 'openai.old',
    endpoint: 'runtime',
    kind: 'retirement-notice',
    at: T1,
    evidence: emptyEvidence({ reason: `openai.old becomes ${kind} on ${date}` }),
    notice: { key: `openai.old|${kind}|${date}`, kind, date },
  });

export function storeContract(name: string, fresh: FreshStore): void {
  describe(`${name}: scopes`, () => {
    it('keeps two accounts of one region apart in one table (the home holds every scope)', async () => {
      // Prepare
      const { store } = await fresh();
      const other = { account: '210987654321', region: REGION };

      // Act
      await store.saveConfirmed(SCOPE, {
        runId: 'r1',
        startedAt: T1,
        cells: [confirmed('openai.a', 'supported', 'r1', T1)],
        models: [],
      });
      await store.startRun(run('r1', T1));

      // Assess
      expect((await store.loadConfirmed(SCOPE)).cells.size).toBe(1);
      expect((await store.loadConfirmed(other)).cells.size).toBe(0);
      expect(await store.listRuns(other)).toEqual([]);
      expect((await store.listRuns(SCOPE)).map((r) => [r.account, r.region])).toEqual([[ACCOUNT, REGION]]);
    });
  });

  describe(`${name}: the sentinel's mark, heartbeat and queue`, () => {
    it("keeps the newest run's catalog mark, the last tick and the queue, read in one Query", async () => {
      // Prepare
      const { store } = await fresh();
      const empty = await store.loadSentinel(SCOPE);

      // Act
      await store.saveCatalogMark(
        SCOPE,
        { 'openai.a': 'aaaa', 'openai.b': 'bbbb' },
        { 'mantle-models': 2 },
        T1,
      );
      await store.saveCatalogMark(SCOPE, { 'openai.a': 'old' }, { 'mantle-models': 1 }, T0); // an older run, late
      await store.saveSentinelTick(SCOPE, T2);
      await store.queueRun(SCOPE, { id: 'q2', kind: 'sweep', models: [], at: T2 });
      await store.queueRun(SCOPE, { id: 'q1', kind: 'targeted', models: ['openai.c'], at: T1 });
      await store.queueRun(SCOPE, { id: 'q1', kind: 'targeted', models: ['openai.c'], at: T1 }); // a repeat
      const state = await store.loadSentinel(SCOPE);
      await store.dequeueRuns(SCOPE, ['q1']);
      const after = await store.loadSentinel(SCOPE);

      // Assess
      expect(empty).toEqual({ mark: null, markedAt: null, listed: null, lastTick: null, queued: [] });
      expect(state).toEqual({
        mark: { 'openai.a': 'aaaa', 'openai.b': 'bbbb' },
        markedAt: T1,
        listed: { 'mantle-models': 2 },
        lastTick: T2,
        queued: [
          { id: 'q1', kind: 'targeted', models: ['openai.c'], at: T1 },
          { id: 'q2', kind: 'sweep', models: [], at: T2 },
        ],
      });
      expect(after.queued.map((q) => q.id)).toEqual(['q2']);
      expect(await store.lastSentinelTick(SCOPE)).toBe(T2);
      expect(await store.lastSentinelTick(OTHER)).toBeNull();
    });
  });

  describe(`${name}: confirmed state`, () => {
    it('loads the confirmed matrix and model list of a region in one query', async () => {
      // Prepare
      const { store } = await fresh();
      const cells = [
        confirmed('openai.a', 'supported', 'r1', T1),
        confirmed('openai.b', 'not-found', 'r1', T1),
      ];

      // Act
      const before = await store.loadConfirmed(SCOPE);
      await store.saveConfirmed(SCOPE, {
        runId: 'r1',
        startedAt: T1,
        cells,
        models: [model('openai.a'), model('openai.b')],
      });
      const after = await store.loadConfirmed(SCOPE);

      // Assess
      expect(before.cells.size + before.models.size).toBe(0);
      expect(after.cells.get(cellId(key('openai.a')))).toEqual(cells[0]);
      expect(after.cells.get(cellId(key('openai.b')))?.status).toBe('not-found');
      expect([...after.models.keys()].sort()).toEqual(['openai.a', 'openai.b']);
      expect(after.models.get('openai.a')).toEqual(model('openai.a'));
    });

    it('drops a removed model from the confirmed list (tombstone) and keeps other regions apart', async () => {
      // Prepare
      const { store } = await fresh();
      await store.saveConfirmed(SCOPE, {
        runId: 'r1',
        startedAt: T1,
        cells: [],
        models: [model('openai.a'), model('openai.b')],
      });
      await store.saveConfirmed(OTHER, {
        runId: 'r9',
        startedAt: T1,
        cells: [],
        models: [model('openai.z')],
      });

      // Act
      await store.saveConfirmed(SCOPE, {
        runId: 'r2',
        startedAt: T2,
        cells: [],
        models: [model('openai.a')],
        removedModels: ['openai.b'],
      });
      const state = await store.loadConfirmed(SCOPE);

      // Assess
      expect([...state.models.keys()]).toEqual(['openai.a']);
      expect([...(await store.loadConfirmed(OTHER)).models.keys()]).toEqual(['openai.z']);
    });

    it('never lets an older run overwrite a newer confirmed state', async () => {
      // Prepare
      const { store } = await fresh();
      await store.saveConfirmed(SCOPE, {
        runId: 'r2',
        startedAt: T2,
        cells: [confirmed('openai.a', 'unsupported', 'r2', T2)],
        models: [model('openai.a')],
      });

      // Act
      // r1 started earlier but finishes (or is replayed) later; its state must not win.
      await store.saveConfirmed(SCOPE, {
        runId: 'r1',
        startedAt: T1,
        cells: [confirmed('openai.a', 'supported', 'r1', T1), confirmed('openai.b', 'supported', 'r1', T1)],
        models: [],
        removedModels: ['openai.a'],
      });
      const state = await store.loadConfirmed(SCOPE);

      // Assess
      expect(state.cells.get(cellId(key('openai.a')))).toMatchObject({
        status: 'unsupported',
        lastRunId: 'r2',
      });
      // A cell the newer run never wrote is still accepted from the older run.
      expect(state.cells.get(cellId(key('openai.b')))?.status).toBe('supported');
      expect([...state.models.keys()]).toEqual(['openai.a']);
    });

    it('keeps the declared facts of a model, in the confirmed state and in the run copy', async () => {
      // Prepare
      const { store } = await fresh();
      const declared = declaredModel('openai.d');
      await store.startRun(run('r1', T1));

      // Act
      await store.saveResults(SCOPE, 'r1', T1, [result('openai.d', 'supported')], [declared]);
      await store.saveConfirmed(SCOPE, { runId: 'r1', startedAt: T1, cells: [], models: [declared] });
      const state = await store.loadConfirmed(SCOPE);
      const copy = await store.loadRun(SCOPE, 'r1');

      // Assess
      expect(state.models.get('openai.d')).toEqual(declared);
      expect(copy?.models).toEqual([declared]);
    });

    it('records retirement notices already alerted, once each, per region', async () => {
      // Prepare
      const { store } = await fresh();
      const keys = ['openai.old|legacy|2026-12-01', 'openai.old|end-of-life|2027-03-01'];

      // Act
      const before = await store.loadConfirmed(SCOPE);
      await store.saveConfirmed(SCOPE, { runId: 'r1', startedAt: T1, cells: [], models: [], notices: keys });
      await store.saveConfirmed(SCOPE, {
        runId: 'r2',
        startedAt: T2,
        cells: [],
        models: [],
        notices: [keys[0]!],
      });
      const after = await store.loadConfirmed(SCOPE);

      // Assess
      expect(before.notices?.size ?? 0).toBe(0);
      expect([...(after.notices ?? [])].sort()).toEqual([...keys].sort());
      expect((await store.loadConfirmed(OTHER)).notices?.size).toBe(0);
    });
  });

  describe(`${name}: history, runs and changes`, () => {
    it('writes more than 25 history items and reads one cell history newest first', async () => {
      // Prepare
      const s = await fresh();
      const cells = Array.from({ length: 60 }, (_, i) => result(`openai.m${i}`, 'supported'));

      // Act
      await s.store.saveResults(SCOPE, 'r1', T1, cells);
      await s.store.saveResults(SCOPE, 'r2', T2, [result('openai.m7', 'unsupported', 'does not support')]);
      const history = await s.store.cellHistory(SCOPE, key('openai.m7'));
      const limited = await s.store.cellHistory(SCOPE, key('openai.m7'), { limit: 1 });

      // Assess
      // 60 history items + 60 run copies, then 1 + 1.
      expect(await s.items()).toHaveLength(122);
      expect(history.map((h) => [h.runId, h.at, h.status])).toEqual([
        ['r2', T2, 'unsupported'],
        ['r1', T1, 'supported'],
      ]);
      expect(history[0]?.evidence.message).toBe('does not support');
      expect(limited).toHaveLength(1);
    });

    it('sets the TTL attribute to the run start plus the configured days', async () => {
      // Prepare
      const s = await fresh({ historyTtlDays: 7 });
      const startedAt = new Date().toISOString();

      // Act
      await s.store.saveResults(SCOPE, 'r1', startedAt, [result('openai.a', 'supported')]);
      const item = await itemAt(
        s,
        `CELL#${ACCOUNT}#${REGION}#openai.a#mantle#chat#basic`,
        `RUN#${startedAt}#r1`,
      );

      // Assess
      const expected = Math.floor(Date.parse(startedAt) / 1000) + 7 * 86_400;
      expect(item?.expiresAt).toBe(expected);
      expect(Math.abs(Number(item?.expiresAt) - (Date.now() / 1000 + 7 * 86_400))).toBeLessThan(60);
    });

    it('defaults the history TTL to DEFAULTS.historyTtlDays', async () => {
      // Prepare
      const s = await fresh();

      // Act
      await s.store.saveResults(SCOPE, 'r1', T1, [result('openai.a', 'supported')]);
      const item = await itemAt(s, `CELL#${ACCOUNT}#${REGION}#openai.a#mantle#chat#basic`, `RUN#${T1}#r1`);

      // Assess
      expect(item?.expiresAt).toBe(Date.parse(T1) / 1000 + DEFAULTS.historyTtlDays * 86_400);
    });

    it('lists runs newest first, a partial run staying partial with the cells it saved', async () => {
      // Prepare
      const { store } = await fresh();
      await store.startRun(run('r1', T1));
      await store.saveResults(SCOPE, 'r1', T1, [
        result('openai.a', 'supported'),
        result('openai.b', 'not-found'),
      ]);
      await store.finishRun(run('r1', T1, { partial: false, finishedAt: T1, probesSent: 2 }));

      // Act
      // r2 is cut short: started, some cells saved, never finished.
      await store.startRun(run('r2', T2));
      await store.saveResults(SCOPE, 'r2', T2, [result('openai.a', 'supported')]);
      const runs = await store.listRuns(SCOPE);
      const cutShort = await store.loadRun(SCOPE, 'r2');

      // Assess
      expect(runs.map((r) => [r.runId, r.partial])).toEqual([
        ['r2', true],
        ['r1', false],
      ]);
      expect(runs[1]).toMatchObject({ finishedAt: T1, probesSent: 2, source: 'simulator' });
      expect(cutShort?.run.partial).toBe(true);
      expect(cutShort?.cells.map((c) => c.model)).toEqual(['openai.a']);
      expect(await store.listRuns(SCOPE, { limit: 1 })).toHaveLength(1);
    });

    it('returns changes since a time, and the whole of one run for diff', async () => {
      // Prepare
      const { store } = await fresh();
      const change = (m: string, at: string): Change => ({
        ...cellChange(m, at),
        from: 'supported',
        to: 'unsupported',
        evidence: emptyEvidence({ httpStatus: 400 }),
      });
      const added = modelChange({ region: REGION, model: 'openai.new', at: T2 });
      await store.startRun(run('r1', T1));
      await store.saveChanges(SCOPE, 'r1', T1, [change('openai.a', T1)]);
      await store.startRun(run('r2', T2));
      await store.saveResults(SCOPE, 'r2', T2, [result('openai.b', 'unsupported')], [model('openai.b')]);
      await store.saveChanges(SCOPE, 'r2', T2, [change('openai.b', T2), added]);

      // Act
      const sinceT2 = await store.changesSince(SCOPE, T2);
      const sinceT0 = await store.changesSince(SCOPE, T0);
      const r2 = await store.loadRun(SCOPE, 'r2');
      const unknown = await store.loadRun(SCOPE, 'nope');

      // Assess
      expect(sinceT2.map((c) => [c.model, c.kind])).toEqual([
        ['openai.b', 'cell'],
        ['openai.new', 'model-added'],
      ]);
      expect(sinceT0.map((c) => c.model)).toEqual(['openai.a', 'openai.b', 'openai.new']);
      expect(sinceT2[1]).toEqual(added);
      expect(r2?.cells.map((c) => [c.model, c.status])).toEqual([['openai.b', 'unsupported']]);
      expect(r2?.models).toEqual([model('openai.b')]);
      expect(r2?.changes).toHaveLength(2);
      expect(unknown).toBeNull();
    });

    it('stores two retirement notices of one model as two changes, each with its notice', async () => {
      // Prepare
      const { store } = await fresh();
      const legacy = notice('legacy', '2026-12-01');
      const eol = notice('end-of-life', '2027-03-01');

      // Act
      await store.saveChanges(SCOPE, 'r1', T1, [legacy, eol]);
      await store.saveChanges(SCOPE, 'r1', T1, [legacy, eol]); // a retry
      const stored = await store.changesSince(SCOPE, T0);
      const pending = await store.pendingAlerts(SCOPE);

      // Assess
      expect(stored).toHaveLength(2);
      expect(stored.map((c) => c.notice)).toEqual(expect.arrayContaining([legacy.notice, eol.notice]));
      expect(stored.find((c) => c.notice?.kind === 'legacy')).toEqual(legacy);
      expect(new Set(pending.map((p) => p.id)).size).toBe(2);
    });

    it('writes nothing twice when the same run is replayed', async () => {
      // Prepare
      const s = await fresh();
      const { store } = s;
      const cells = Array.from({ length: 30 }, (_, i) => result(`openai.m${i}`, 'supported'));
      const change: Change = {
        ...key('openai.m1'),
        from: 'unsupported',
        to: 'supported',
        kind: 'cell',
        at: T1,
      };
      const replay = async () => {
        await store.startRun(run('r1', T1));
        await store.saveResults(SCOPE, 'r1', T1, cells, [model('openai.m1')]);
        await store.saveConfirmed(SCOPE, {
          runId: 'r1',
          startedAt: T1,
          cells: cells.map((c) => confirmed(c.model, c.status, 'r1', T1)),
          models: [model('openai.m1')],
        });
        await store.saveChanges(SCOPE, 'r1', T1, [change]);
        await store.finishRun(run('r1', T1, { partial: false, finishedAt: T1, changeCount: 1 }));
      };
      await replay();
      const before = (await s.items()).length;

      // Act
      await replay();
      const after = (await s.items()).length;

      // Assess
      // 30 history + 30 run copies + 30 confirmed + 1 model (state) + 1 model (run) + 2 changes
      // + 1 outbox item + 2 run records.
      expect(before).toBe(97);
      expect(after).toBe(before);
      expect(await store.changesSince(SCOPE, T0)).toHaveLength(1);
      expect(await store.listRuns(SCOPE)).toHaveLength(1);
    });

    it('never stores a secret that slipped into evidence', async () => {
      // Prepare
      const s = await fresh();
      const secret = `${BEARER_PREFIX}YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbg`;
      const leaky = result('openai.a', 'no-access', `denied for Authorization: Bearer ${secret}`);

      // Act
      await s.store.saveResults(SCOPE, 'r1', T1, [leaky]);
      await s.store.saveConfirmed(SCOPE, {
        runId: 'r1',
        startedAt: T1,
        cells: [{ ...confirmed('openai.a', 'no-access', 'r1', T1), evidence: leaky.evidence }],
        models: [],
      });
      const all = await s.items();

      // Assess
      expect(all).toHaveLength(3);
      expect(JSON.stringify(all)).not.toContain('bedrock-api-key-');
      expect(JSON.stringify(all)).toContain('[redacted]');
    });

    it('stores a model whose ID cannot be a key under a stable hash, and reads the full ID back', async () => {
      // Prepare: an ID holding '#', one of 2.5 KB, one with a control character, and a plain one
      const { store } = await fresh();
      const hostile = ['bad#model', `openai.${'x'.repeat(2_500)}`, 'openai.\u001b[2Jclear', 'openai.fine'];

      // Act
      await store.saveResults(
        SCOPE,
        'r1',
        T1,
        hostile.map((m) => result(m, 'supported')),
      );
      await store.saveConfirmed(SCOPE, {
        runId: 'r1',
        startedAt: T1,
        cells: hostile.map((m) => confirmed(m, 'supported', 'r1', T1)),
        models: hostile.map(model),
      });

      // Assess
      const state = await store.loadConfirmed(SCOPE);
      expect([...state.models.keys()].sort()).toEqual([...hostile].sort());
      expect([...state.cells.values()].map((c) => c.model).sort()).toEqual([...hostile].sort());
      const history = await store.cellHistory(SCOPE, key(hostile[1]!));
      expect(history).toHaveLength(1);
    });

    it('writes every other item when one would be refused (too large), and names the refused one', async () => {
      // Prepare: one cell whose evidence is past DynamoDB's 400 KB item limit
      const { store } = await fresh();
      const cells = [
        result('openai.a', 'supported'),
        result('openai.huge', 'error', 'x'.repeat(420 * 1024)),
        result('openai.b', 'supported'),
      ];

      // Act
      const failure = await store.saveResults(SCOPE, 'r1', T1, cells).catch((e: Error) => e.message);

      // Assess
      expect(failure).toMatch(
        /^not stored: item of about \d+ bytes \(limit 409600\): CELL#123456789012#us-east-1#openai\.huge#/,
      );
      expect(failure).toMatch(/\(2 of 6 items of this write not stored\)$/);
      expect(await store.cellHistory(SCOPE, key('openai.a'))).toHaveLength(1);
      expect(await store.cellHistory(SCOPE, key('openai.b'))).toHaveLength(1);
      expect(await store.cellHistory(SCOPE, key('openai.huge'))).toHaveLength(0);
    });
  });

  describe(`${name}: outbox, lease and run records`, () => {
    it('keeps each stored change in the outbox once, until the alert channel took it', async () => {
      // Prepare
      const { store } = await fresh();
      await store.saveChanges(SCOPE, 'r1', T1, [cellChange('openai.a'), cellChange('openai.b')]);
      await store.saveChanges(SCOPE, 'r1', T1, [cellChange('openai.a'), cellChange('openai.b')]); // a retry

      // Act
      const pending = await store.pendingAlerts(SCOPE);
      await store.markAlerted(SCOPE, [pending[0]?.id ?? '']);
      const left = await store.pendingAlerts(SCOPE);

      // Assess
      expect(pending.map((p) => p.change.model)).toEqual(['openai.a', 'openai.b']);
      expect(pending.every((p) => p.runId === 'r1')).toBe(true);
      expect(left.map((p) => p.change.model)).toEqual(['openai.b']);
      expect(await store.changesSince(SCOPE, T0)).toHaveLength(2);
    });

    it('writes no outbox item when asked not to (the CLI prints its changes)', async () => {
      // Prepare
      const { store } = await fresh();

      // Act
      await store.saveChanges(SCOPE, 'r1', T1, [cellChange('openai.a')], { outbox: false });

      // Assess
      expect(await store.pendingAlerts(SCOPE)).toEqual([]);
      expect(await store.changesSince(SCOPE, T0)).toHaveLength(1);
    });

    it('lets one owner hold the lease until it expires or is released', async () => {
      // Prepare
      const { store } = await fresh();
      const now = Date.parse(T1);

      // Act
      const first = await store.acquireLease(SCOPE, 'run-a', now, now + 60_000);
      const other = await store.acquireLease(SCOPE, 'run-b', now + 1_000, now + 61_000);
      const again = await store.acquireLease(SCOPE, 'run-a', now + 2_000, now + 62_000);
      const afterExpiry = await store.acquireLease(SCOPE, 'run-b', now + 70_000, now + 130_000);
      await store.releaseLease(SCOPE, 'run-a'); // no longer the holder: leaves run-b's lease alone
      const stillHeld = await store.acquireLease(SCOPE, 'run-c', now + 71_000, now + 131_000);
      await store.releaseLease(SCOPE, 'run-b');
      const released = await store.acquireLease(SCOPE, 'run-c', now + 72_000, now + 132_000);

      // Assess
      expect([first, other, again, afterExpiry, stillHeld, released]).toEqual([
        true,
        false,
        true,
        true,
        false,
        true,
      ]);
    });

    it('reads one run record back with how it ended', async () => {
      // Prepare
      const { store } = await fresh();
      await store.startRun(run('r1', T1));
      await store.finishRun(
        run('r1', T1, { finishedAt: T2, partial: true, outcome: 'failed', failure: 'DynamoDB Query failed' }),
      );

      // Act
      const got = await store.getRun(SCOPE, 'r1');
      const unknown = await store.getRun(SCOPE, 'r9');

      // Assess
      expect(got).toMatchObject({
        runId: 'r1',
        finishedAt: T2,
        outcome: 'failed',
        failure: 'DynamoDB Query failed',
      });
      expect(unknown).toBeNull();
    });
  });
}
