/**
 * THE results table's key schema, as plain data: the CDK table (lib/results-table.ts) and the
 * CLI's `ensureTable` (CreateTable) both build from it, so a table the CLI creates is the table
 * the stack deploys. No CDK and no SDK here: it is bundled into the Lambda and read at synth time.
 */

/** Attribute names of the key design (README "Table design"). */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

/** Partition-key prefix of the outbox items (changes no alert has carried yet; keys.ts). */
export const OUTBOX_PK_PREFIX = 'OUTBOX#';

/**
 * Partition-key prefix of a scope's run list. The home's notifier is driven by the table's
 * stream filtered on it and on {@link DRAINED_OUTCOMES} (lib/), and the store writes it
 * (lambda/adapters/store/keys.ts): one definition for both.
 */
export const RUNS_PK_PREFIX = 'RUNS#';

/** Run outcomes after which the home drains the scope's outbox (a `failed` run stored only in part). */
export const DRAINED_OUTCOMES = ['completed', 'partial'] as const;

export interface KeyAttribute {
  readonly name: string;
  /** DynamoDB scalar type; every key attribute of this design is a string. */
  readonly type: 'S';
  readonly keyType: 'HASH' | 'RANGE';
}

export interface TableSchema {
  /** Partition key first, then sort key (the order CreateTable and CloudFormation list them). */
  readonly keys: readonly [KeyAttribute, KeyAttribute];
  /** Epoch-seconds attribute DynamoDB's TTL sweeps on. */
  readonly ttlAttribute: string;
  readonly billing: 'PAY_PER_REQUEST';
}

export const TABLE_SCHEMA: TableSchema = {
  keys: [
    { name: TABLE.partitionKey, type: 'S', keyType: 'HASH' },
    { name: TABLE.sortKey, type: 'S', keyType: 'RANGE' },
  ],
  ttlAttribute: TABLE.ttlAttribute,
  billing: 'PAY_PER_REQUEST',
};
