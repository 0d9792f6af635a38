import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../lambda/adapters/store/memory-store';
import { accountFactsEvents, heartbeatEvent, type MemberEvent } from '../../../lambda/core/org/events';
import { createHomeHandler } from '../../../lambda/home/notifier';
import { createOrgHome } from '../../../lambda/home/org-home';
import { createLogger } from '../../../lambda/logger';
import { MEMBER_EVENT_SOURCE } from '../../../lambda/shared/org-names';

// The organization home's inbox: the org bus puts member events in a queue, and the home function
// takes them in batches, reporting back only the ones it could not store.

const REGION = 'eu-west-1';
const AT = '2026-12-07T09:00:00.000Z';
const message = (e: MemberEvent, id: string) => ({
  eventSource: 'aws:sqs' as const,
  messageId: id,
  body: JSON.stringify({
    id: `bus-${id}`,
    source: MEMBER_EVENT_SOURCE,
    'detail-type': e.detailType,
    account: e.detail.account,
    region: REGION,
    detail: e.detail,
  }),
});

function homeWith(store: MemoryStore) {
  const log = createLogger(() => {});
  return createHomeHandler({
    store,
    account: '000000000000',
    regions: [REGION],
    staleAfterMs: 1,
    publishAlert: async () => undefined,
    publishEvents: async () => undefined,
    publishMetrics: async () => undefined,
    log,
    dependencyTimeoutMs: 1_000,
    org: createOrgHome({
      store: store.org(),
      probeAccounts: { [REGION]: '111111111111' },
      regions: [REGION],
      memberStaleAfterMs: 1,
      listAccounts: null,
      publishAlert: async () => undefined,
      publishMetrics: async () => undefined,
      log,
    }),
  });
}

describe('the home inbox', () => {
  it('hands back only the event it could not store, refuses one that is not JSON, and stores the rest', async () => {
    // Prepare: the facts of account 333 cannot be written (the table refuses that item)
    const store = new MemoryStore({
      failOn: (op, pk) => (op === 'PutItem' && pk === `ORG#FACTS#${REGION}` ? new Error('throttled') : null),
    });
    const beat = heartbeatEvent({
      v: 1,
      kind: 'heartbeat',
      account: '222222222222',
      region: REGION,
      at: AT,
      role: 'member',
    });
    const [facts] = accountFactsEvents(
      {
        v: 1,
        kind: 'account-facts',
        account: '333333333333',
        region: REGION,
        at: AT,
        snapshot: true,
        gone: [],
        enforced: [],
      },
      [
        {
          model: 'm1',
          agreement: 'AVAILABLE',
          authorization: 'AUTHORIZED',
          entitlement: 'AVAILABLE',
          regionAvailability: 'AVAILABLE',
        },
      ],
      [],
    );

    // Act
    const outcome = await homeWith(store)({
      Records: [
        message(beat, 'a'),
        { eventSource: 'aws:sqs', messageId: 'b', body: '<html>' },
        message(facts as MemberEvent, 'c'),
      ],
    });

    // Assess
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: 'c' }]);
    expect((await store.org().members()).map((m) => m.account).sort()).toEqual([
      '222222222222',
      '333333333333',
    ]);
  });
});
