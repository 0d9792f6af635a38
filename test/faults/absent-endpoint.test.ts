import { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { type DynamoDbLocal, localClient } from '../support/dynamodb-local';
import { freshTable, useLocalWorld } from '../support/local-world';
import type { TestSimulator } from '../support/simulator';
import { faultHandler, lambdaContext, mockedOutputs } from './support';

// A region without a bedrock-mantle endpoint (its host name does not resolve: `.invalid` never
// does) is a fact about the region, not an hourly failure; the day mantle arrives is one change.

const { cloudWatch, sns } = mockedOutputs();
const NO_SUCH_HOST = 'http://bedrock-mantle.invalid:8443';

let dynamo: DynamoDbLocal;
let sim: TestSimulator;

useLocalWorld((w) => ({ dynamo, sim } = w));

describe('a region whose mantle host does not resolve', () => {
  it('records mantle as absent, then reports its arrival as one change', async () => {
    // Prepare
    const table = await freshTable(dynamo, 'absent-mantle');
    const ddb = localClient(dynamo.endpoint);
    const without = await faultHandler({
      sim,
      dynamo: ddb,
      table,
      cloudWatch,
      sns,
      env: { [ENDPOINT_OVERRIDE_ENV.mantle]: NO_SUCH_HOST },
    });
    const withMantle = await faultHandler({ sim, dynamo: ddb, table, cloudWatch, sns });

    // Act
    const first = await without.handler({ scheduledTime: '2026-11-25T10:00:00Z' }, lambdaContext());
    const absent = (await without.store.loadConfirmed(without.scope)).endpoints?.get('mantle');
    const second = await without.handler({ scheduledTime: '2026-11-25T11:00:00Z' }, lambdaContext());
    const stored = await without.store.loadRun(without.scope, 'sched-2026-11-25T11:00:00Z');
    sns.resetHistory();
    const arrival = await withMantle.handler({ scheduledTime: '2026-11-25T12:00:00Z' }, lambdaContext());
    const present = (await withMantle.store.loadConfirmed(withMantle.scope)).endpoints?.get('mantle');

    // Assess: mantle cells are not-found with the reason, nothing is an error or a removal
    const mantleCells = stored?.cells.filter((c) => c.endpoint === 'mantle') ?? [];
    expect(mantleCells.length).toBeGreaterThan(0);
    expect(mantleCells.every((c) => c.status === 'not-found')).toBe(true);
    expect(new Set(mantleCells.map((c) => c.evidence.reason))).toEqual(
      new Set(['no bedrock-mantle endpoint in us-east-1']),
    );
    expect(stored?.cells.filter((c) => c.status === 'error')).toEqual([]);
    // The stored endpoint presence (what the dashboard and the home read) says mantle is absent
    expect(absent).toMatchObject({ endpoint: 'mantle', present: false });
    expect(first).toMatchObject({ baseline: true, changes: 0 });
    expect(second).toMatchObject({ changes: 0 });
    // Then mantle answers: exactly one change, the endpoint's arrival
    expect(arrival).toMatchObject({ changes: 1 });
    const changes = await withMantle.store.changesSince(withMantle.scope, '2026-11-25T00:00:00Z');
    expect(changes).toMatchObject([{ kind: 'endpoint-appeared', endpoint: 'mantle' }]);
    // The home alerted it, once, and the stored presence moved to present
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(await withMantle.store.pendingAlerts(withMantle.scope)).toEqual([]);
    expect(present).toMatchObject({ endpoint: 'mantle', present: true });
  });
});
