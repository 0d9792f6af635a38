/**
 * The local world of the handler and fault tests: the shared DynamoDB Local and a simulator on the
 * `tiny` scenario started once per test file, the scenario reset before each test, both stopped after.
 */
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { DynamoDbStore } from '../../lambda/adapters/store';
import { loadScenario } from '../../simulator/scenario';
import type { Scenario } from '../../simulator/types';
import { type DynamoDbLocal, localClient, sharedDynamoDbLocal } from './dynamodb-local';
import { type TestSimulator, withSimulator } from './simulator';

export interface LocalWorld {
  readonly dynamo: DynamoDbLocal;
  readonly sim: TestSimulator;
  /** The `tiny` scenario the simulator is reset to before each test. */
  readonly tiny: Scenario;
}

/**
 * Registers the world's hooks; `use` receives it once started, so a test file keeps its own
 * `dynamo`, `sim` and `tiny` variables. DynamoDB Local is the run's shared one.
 */
export function useLocalWorld(use: (world: LocalWorld) => void): void {
  let world: LocalWorld | undefined;
  beforeAll(async () => {
    const [dynamo, sim, tiny] = await Promise.all([
      sharedDynamoDbLocal(),
      withSimulator('tiny'),
      loadScenario('tiny'),
    ]);
    world = { dynamo, sim, tiny };
    use(world);
  });
  afterAll(async () => {
    await world?.sim.close();
  });
  beforeEach(() => {
    world?.sim.setScenario(world.tiny);
  });
}

/** Creates the results table `name` on DynamoDB Local, as the store does, and returns its name. */
export async function freshTable(dynamo: DynamoDbLocal, name: string): Promise<string> {
  await new DynamoDbStore({ client: localClient(dynamo.endpoint), tableName: name }).ensureTable();
  return name;
}

/**
 * Copies every item of table `from` into table `to` on DynamoDB Local: a stored baseline made once
 * and given to each test, instead of one baseline run per test.
 */
export async function copyTable(dynamo: DynamoDbLocal, from: string, to: string): Promise<void> {
  const doc = DynamoDBDocumentClient.from(localClient(dynamo.endpoint));
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: from, ExclusiveStartKey: start }));
    const items = page.Items ?? [];
    for (let i = 0; i < items.length; i += 25) {
      const requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      let pending: typeof requests | undefined = requests;
      while (pending && pending.length > 0) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [to]: pending } }));
        pending = out.UnprocessedItems?.[to] as typeof requests | undefined;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  doc.destroy();
}
