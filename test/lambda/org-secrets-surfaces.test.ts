import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putMemberEvents } from '../../lambda/adapters/member-events';
import { MemoryStore } from '../../lambda/adapters/store/memory-store';
import type { Alert } from '../../lambda/core/alert-message';
import type { BusEnvelope } from '../../lambda/core/org/parse-event';
import { registerSecretsFromEnv } from '../../lambda/core/scrub';
import { createOrgHome } from '../../lambda/home/org-home';
import { createLogger } from '../../lambda/logger';
import { accountTick } from '../../lambda/member/account-tick';
import { MEMBER_EVENT_SOURCE } from '../../lambda/shared/org-names';
import { ECHOED_SHAPES, PLANTED_ENV, plantedSecretIn } from '../support/planted-secrets';

// The organization's surfaces: the events a member sends, its member table, the home's org items,
// the org alert and every log line, when the control plane and the probes echo every secret shape.

const events = mockClient(EventBridgeClient);
let forget: () => void;
beforeAll(() => {
  forget = registerSecretsFromEnv(PLANTED_ENV);
});
afterAll(() => forget());

const REGION = 'eu-west-1';
const ACCOUNT = '222222222222';

describe('the organization surfaces', () => {
  it('carry none of the planted secrets the answers echo', async () => {
    // Prepare: availability answers and probes that echo every shape, a bus that takes everything
    const logs: string[] = [];
    const log = createLogger((l) => logs.push(l));
    events.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      Entries: input.Entries.map((_e, i) => ({ EventId: `e${i}` })),
    }));
    const member = new MemoryStore();
    const sentEntries: BusEnvelope[] = [];
    const client = new EventBridgeClient({ region: REGION });
    const models = ECHOED_SHAPES.map((_s, i) => `model-${i}`);
    const tick = (minutes: number) =>
      accountTick(
        {
          role: 'member',
          state: member.memberState(),
          availability: async (id) => {
            const i = Number(id.split('-')[1]);
            if (i % 2 === 0) throw new Error(`AccessDeniedException: ${ECHOED_SHAPES[i]}`);
            return { agreementAvailability: { status: 'ERROR', errorMessage: ECHOED_SHAPES[i] } };
          },
          enforcedGuardrails: async () => [],
          send: async (batch) => {
            const result = await putMemberEvents(client, batch, 1_000);
            for (const call of events.commandCalls(PutEventsCommand).slice(-1)) {
              for (const entry of call.args[0].input.Entries ?? []) {
                sentEntries.push({
                  id: 'bus',
                  source: MEMBER_EVENT_SOURCE,
                  'detail-type': entry.DetailType,
                  account: ACCOUNT,
                  region: REGION,
                  detail: JSON.parse(entry.Detail ?? '{}'),
                });
              }
            }
            return result;
          },
        },
        {
          scope: { account: ACCOUNT, region: REGION },
          at: new Date(Date.parse('2026-12-07T09:00:00Z') + minutes * 60_000),
          models: models.map((key) => ({ key, foundationModelId: key })),
          probe: async (keys) =>
            keys.map((model, i) => ({
              model,
              endpoint: 'runtime' as const,
              api: 'converse' as const,
              variant: 'basic' as const,
              status: 'no-access' as const,
              reason: `IAM denied: ${ECHOED_SHAPES[i % ECHOED_SHAPES.length]}`,
            })),
          dependencyTimeoutMs: 1_000,
          log,
        },
      );
    const homeStore = new MemoryStore();
    const alerts: Alert[] = [];
    const home = createOrgHome({
      store: homeStore.org(),
      probeAccounts: { [REGION]: '111111111111' },
      regions: [REGION],
      memberStaleAfterMs: 65 * 60_000,
      listAccounts: null,
      publishAlert: async (a) => alerts.push(a),
      publishMetrics: async () => undefined,
      log,
    });

    // Act: two ticks (facts, then probes of what moved), each event to the home, the home's watch
    await tick(0);
    await tick(5);
    for (const e of sentEntries) await home.ingest(e);
    // An event as an older member version might send it, unscrubbed: the home scrubs it too.
    const [first] = sentEntries;
    await home.ingest({
      ...(first as BusEnvelope),
      detail: {
        ...(first?.detail as object),
        at: '2026-12-07T10:00:00.000Z',
        probes: [
          {
            model: 'model-1',
            endpoint: 'runtime',
            api: 'converse',
            variant: 'basic',
            status: 'no-access',
            reason: ECHOED_SHAPES.join(' '),
          },
        ],
      },
    });
    await home.watch(new Date('2026-12-07T11:00:00Z'));

    // Assess
    expect(sentEntries.length).toBeGreaterThan(0);
    const surfaces = {
      putEvents: JSON.stringify(events.commandCalls(PutEventsCommand).map((c) => c.args[0].input)),
      memberTable: JSON.stringify(member.items()),
      homeTable: JSON.stringify(homeStore.items()),
      alerts: JSON.stringify(alerts),
      logs: logs.join('\n'),
    };
    for (const [surface, text] of Object.entries(surfaces))
      expect([surface, plantedSecretIn(text)]).toEqual([surface, null]);
    expect(surfaces.homeTable).toContain('[redacted]');
  });
});
