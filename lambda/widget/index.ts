/** The widget Lambda's default wiring: the results table of this region, Query only, with timeouts. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStore } from '../adapters/store/dynamodb-store';
import { ENV } from '../shared/names';
import { createWidgetHandler } from './handler';

const region = process.env.AWS_REGION ?? 'us-east-1';
const tableName = process.env[ENV.tableName];
if (!tableName) throw new Error(`${ENV.tableName} is not set`);

const client = new DynamoDBClient({
  region,
  maxAttempts: 2,
  // A dashboard waits for the widget; a slow table must not hold it past the widget's own timeout.
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
});

export const handler = createWidgetHandler({ store: new DynamoDbStore({ client, tableName }), region });
