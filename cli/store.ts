/** The CLI's store: the same DynamoDB design as the Lambda, created on first use. */

import { dynamoDbClient } from '../lambda/adapters/aws-clients';
import { DynamoDbStore } from '../lambda/adapters/dynamodb-store';
import { ENDPOINT_OVERRIDE_ENV } from '../lambda/shared/names';
import { localCredentials } from './credentials';

export async function openStore(
  env: NodeJS.ProcessEnv,
  region: string,
  table: string,
  opts: { readonly create: boolean },
): Promise<DynamoDbStore> {
  const credentials = localCredentials(env, [ENDPOINT_OVERRIDE_ENV.dynamodb]);
  const client = dynamoDbClient({ region, env, ...(credentials ? { credentials } : {}) });
  const store = new DynamoDbStore({ client, tableName: table });
  if (opts.create) await store.ensureTable();
  return store;
}
