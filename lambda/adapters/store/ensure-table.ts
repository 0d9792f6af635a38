/**
 * Create the results table when it is absent (the CLI on a laptop or DynamoDB Local), from the one
 * key schema the CDK stack also deploys (shared/table-schema.ts).
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type UpdateTimeToLiveCommandInput,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '../../shared/table-schema';
import { bounded, DependencyError, DependencyTimeout } from '../bounded';

/** CreateTable input of the results table. */
export const createTableInput = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: TABLE_SCHEMA.billing,
  AttributeDefinitions: TABLE_SCHEMA.keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
  KeySchema: TABLE_SCHEMA.keys.map((k) => ({ AttributeName: k.name, KeyType: k.keyType })),
});

/** UpdateTimeToLive input that turns the TTL sweep on. */
export const timeToLiveInput = (tableName: string): UpdateTimeToLiveCommandInput => ({
  TableName: tableName,
  TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
});

/** The table does not exist (in that account and region): a fact for the CLI to name, not a fault. */
export function isMissingTable(err: unknown): boolean {
  const e = err as { name?: string; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  return e.name === 'ResourceNotFoundException' || (e.cause !== undefined && isMissingTable(e.cause));
}

export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs: number,
): Promise<void> {
  const call = async <T>(op: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> => {
    // The writes name the table itself as their key, like every other store call names its pk.
    const what = `DynamoDB ${op} on table ${tableName}${op === 'DescribeTable' ? '' : ' (table)'}`;
    try {
      return await bounded(what, timeoutMs, send);
    } catch (err) {
      if (
        err instanceof DependencyTimeout ||
        err instanceof ResourceNotFoundException ||
        err instanceof ResourceInUseException
      )
        throw err;
      throw new DependencyError(what, err);
    }
  };
  const active = () => waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  try {
    const described = await call('DescribeTable', (abortSignal) =>
      client.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal }),
    );
    // Another run may have created it a moment ago: writes wait until it is ACTIVE.
    if (described.Table?.TableStatus !== 'ACTIVE') await active();
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  try {
    await call('CreateTable', (abortSignal) =>
      client.send(new CreateTableCommand(createTableInput(tableName)), { abortSignal }),
    );
  } catch (err) {
    // Two runs (two regions probed at once into one new table) raced to create it: "already
    // exists" or "being created" is success once the table is ACTIVE, and the winner turns TTL on.
    if (!(err instanceof ResourceInUseException)) throw err;
    await active();
    return;
  }
  await active();
  await call('UpdateTimeToLive', (abortSignal) =>
    client.send(new UpdateTimeToLiveCommand(timeToLiveInput(tableName)), { abortSignal }),
  );
}

/**
 * The account that owns the table, from its ARN (DescribeTable): the account of the CLI's scope
 * when it reads or writes a table that a stack of that account fills. DynamoDB Local answers
 * `arn:aws:dynamodb:ddblocal:000000000000:table/...`.
 */
export async function tableAccount(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs: number,
): Promise<string> {
  const what = `DynamoDB DescribeTable on table ${tableName}`;
  const described = await bounded(what, timeoutMs, (abortSignal) =>
    client.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal }),
  ).catch((err: unknown) => {
    if (err instanceof DependencyTimeout || err instanceof ResourceNotFoundException) throw err;
    throw new DependencyError(what, err);
  });
  const account = described.Table?.TableArn?.split(':')[4] ?? '';
  if (!/^\d{12}$/.test(account))
    throw new DependencyError(
      what,
      new Error(`no account in the table ARN ${JSON.stringify(described.Table?.TableArn)}`),
    );
  return account;
}
