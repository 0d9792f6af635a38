/**
 * DynamoDB Local for tests. Tests start it exactly as the demo does (one launcher, one behaviour),
 * but share one instance started by the global setup of `npm test` (test/support/global-dynamodb.ts):
 * a file names its tables so no other file uses them.
 */
import { inject } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../cli/dynamodb-local';

export { type DynamoDbLocal, LOCAL_CREDENTIALS, LOCAL_REGION, localClient } from '../../cli/dynamodb-local';

/**
 * The run's shared DynamoDB Local. `stop()` does nothing: the global setup stops it after the
 * last file. Under `npm run test:fast` (no global setup) it fails in one line.
 */
export async function sharedDynamoDbLocal(): Promise<DynamoDbLocal> {
  const endpoint = inject('dynamodbEndpoint');
  if (!endpoint)
    throw new Error(
      'no shared DynamoDB Local: add this file to INTEGRATION in vitest.config.ts (npm run test:fast starts none)',
    );
  return { endpoint, stop: async () => {} };
}

/** A DynamoDB Local of this test's own, for a test that stops it under a running probe. */
export const startOwnDynamoDbLocal = (timeoutMs = 90_000): Promise<DynamoDbLocal> =>
  startDynamoDbLocal(timeoutMs);
