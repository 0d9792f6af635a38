import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { HOME_TABLE_NAME } from '../lambda/shared/names';
import { TABLE_SCHEMA } from '../lambda/shared/table-schema';

export interface ResultsTableProps {
  /**
   * What happens to the table when the stack is deleted. The table is the evidence of every
   * past run, so it outlives the stack unless asked otherwise.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Physical name. Fixed by default so every region stack names it without a cross-region reference.
   * @default HOME_TABLE_NAME
   */
  readonly tableName?: string;
}

/**
 * The results store of every region: run summaries, per-cell history (expiring through TTL),
 * confirmed state, change events and the outbox, all in one table with the key schema of
 * lambda/shared/table-schema.ts shared with the Lambda store. Its stream (new images) carries the
 * outbox items to the home function, which notifies once per change.
 */
export class ResultsTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: ResultsTableProps = {}) {
    super(scope, id);
    // Every key attribute of the schema is a string and billing is on demand (table-schema.ts).
    const [partition, sort] = TABLE_SCHEMA.keys;
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName ?? HOME_TABLE_NAME,
      partitionKey: { name: partition.name, type: AttributeType.STRING },
      sortKey: { name: sort.name, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The home function only needs what was written (the outbox item), not what it replaced.
      dynamoStream: StreamViewType.NEW_IMAGE,
      deletionProtection: false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
