/** The widget Lambda's default wiring: the home's results table, Query only, with timeouts. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStore } from '../adapters/store/dynamodb-store';
import { readWatchedConfig } from '../home/config';
import { ORG_ENV } from '../shared/org-names';
import { createWidgetHandler } from './handler';

const config = readWatchedConfig(process.env);

const client = new DynamoDBClient({
  region: config.region,
  maxAttempts: 2,
  // A dashboard waits for the widget; a slow table must not hold it past the widget's own timeout.
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
});

const store = new DynamoDbStore({ client, tableName: config.tableName });

export const handler = createWidgetHandler({
  store,
  account: config.account,
  regions: config.regions,
  staleAfterMs: config.staleAfterMs,
  // Without it the `org` and `org-model` views say this is not an organization home.
  ...(process.env[ORG_ENV.orgView] === '1' ? { org: { reader: store.org() } } : {}),
});
