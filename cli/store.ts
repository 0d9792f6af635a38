/** The CLI's store: the same DynamoDB design as the Lambda, created on first use. */

import { dynamoDbClient } from '../lambda/adapters/aws-clients';
import { DynamoDbStore } from '../lambda/adapters/store';
import { ENDPOINT_OVERRIDE_ENV } from '../lambda/shared/names';
import { checkCredentials, localCredentials } from './credentials';
import { type StackFlag, stackFor, tableFromStack } from './stack-outputs';

export async function openStore(
  env: NodeJS.ProcessEnv,
  region: string,
  table: string,
  opts: {
    readonly create: boolean;
    readonly timeoutMs?: number;
    /** `--stack`: read the table's name and region from the stack's outputs instead. @default `table` in `region` */
    readonly stack?: StackFlag;
  },
): Promise<DynamoDbStore> {
  const credentials = localCredentials(env, [ENDPOINT_OVERRIDE_ENV.dynamodb]);
  // Credentials first: reading the stack's outputs needs them too, and a missing set is one line.
  await checkCredentials(credentials, env);
  const stack = stackFor(opts.stack, region);
  // The table may live in another region (the home); the store still reads `region`'s items.
  let tableRegion = region;
  if (stack !== undefined) ({ tableName: table, tableRegion } = await tableFromStack(region, stack));
  const timeout = opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {};
  const client = dynamoDbClient({
    region: tableRegion,
    env,
    ...(credentials ? { credentials } : {}),
    ...timeout,
  });
  const store = new DynamoDbStore({
    client,
    tableName: table,
    ...(opts.timeoutMs !== undefined ? { callTimeoutMs: opts.timeoutMs } : {}),
  });
  if (opts.create) await store.ensureTable();
  return store;
}
