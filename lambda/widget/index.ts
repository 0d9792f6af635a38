/** The widget Lambda's default wiring: the home's results table, Query only, with timeouts. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStore } from '../adapters/store/dynamodb-store';
import { readWatchedConfig } from '../home/config';
import { createWidgetHandler } from './handler';

const config = readWatchedConfig(process.env);

const client = new DynamoDBClient({
  region: config.region,
  maxAttempts: 2,
  // A dashboard waits for the widget; a slow table must not hold it past the widget's own timeout.
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
});

export const handler = createWidgetHandler({
  store: new DynamoDbStore({ client, tableName: config.tableName }),
  account: config.account,
  regions: config.regions,
  staleAfterMs: config.staleAfterMs,
  // An organization home adds its org reader here, one line: `org: { reader: <OrgReader> },`
  // (WidgetDeps.org); without it the `org` and `org-model` views say this is not an organization home.
});
