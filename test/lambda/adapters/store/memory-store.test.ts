import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../../lambda/adapters/store';
import { cellId } from '../../../../lambda/core/model';
import { storeContract } from './contract';
import { ACCOUNT, confirmed, key, REGION, result, run, SCOPE, T1, T2 } from './fixtures';

storeContract('MemoryStore', async (opts = {}) => {
  const store = new MemoryStore(opts);
  return { store, items: async () => store.items() };
});

describe('MemoryStore failure injection', () => {
  it('fails the named step and the named table operation, leaving earlier writes in place', async () => {
    // Prepare
    const store = new MemoryStore({
      failOn: (op, pk) =>
        op === 'finishRun'
          ? new Error('finishRun refused')
          : op === 'BatchWriteItem' && pk.startsWith('RUN#')
            ? new Error(`BatchWriteItem refused (${pk})`)
            : null,
    });

    // Act
    const finishing = store.finishRun(run('r1', T1));
    const saving = store.saveResults(SCOPE, 'r1', T1, [result('openai.a', 'supported')]);

    // Assess
    await expect(finishing).rejects.toThrow('finishRun refused');
    await expect(saving).rejects.toThrow(`BatchWriteItem refused (RUN#${ACCOUNT}#${REGION}#r1)`);
    // The history item came before the run copy in the batch, so it stays written.
    expect(store.items().map((i) => i.pk)).toEqual([`CELL#${ACCOUNT}#${REGION}#openai.a#mantle#chat#basic`]);
  });
});

describe('MemoryStore items', () => {
  it("starts with another store's items, as a copy that moves on its own", async () => {
    // Prepare
    const original = new MemoryStore();
    await original.saveConfirmed(SCOPE, {
      runId: 'r1',
      startedAt: T1,
      cells: [confirmed('openai.a', 'supported', 'r1', T1)],
      models: [],
    });

    // Act
    const copy = new MemoryStore({ items: original.items() });
    await copy.saveConfirmed(SCOPE, {
      runId: 'r2',
      startedAt: T2,
      cells: [confirmed('openai.a', 'no-access', 'r2', T2)],
      models: [],
    });

    // Assess
    expect((await original.loadConfirmed(SCOPE)).cells.get(cellId(key('openai.a')))?.status).toBe(
      'supported',
    );
    expect((await copy.loadConfirmed(SCOPE)).cells.get(cellId(key('openai.a')))?.status).toBe('no-access');
  });
});
