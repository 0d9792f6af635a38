import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../../lambda/adapters/store';
import { storeContract } from './contract';
import { REGION, result, run, T1 } from './fixtures';

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
    const saving = store.saveResults(REGION, 'r1', T1, [result('openai.a', 'supported')]);

    // Assess
    await expect(finishing).rejects.toThrow('finishRun refused');
    await expect(saving).rejects.toThrow(`BatchWriteItem refused (RUN#${REGION}#r1)`);
    // The history item came before the run copy in the batch, so it stays written.
    expect(store.items().map((i) => i.pk)).toEqual([`CELL#${REGION}#openai.a#mantle#chat#basic`]);
  });
});
