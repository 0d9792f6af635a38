import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../lambda/shared/table-schema';

export interface ResultsTableProps {
  /**
   * What happens to the table when the stack is deleted. The table is the evidence of every
   * past run, so it outlives the stack unless asked otherwise.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The results store: run summaries, per-cell history (expiring through TTL), confirmed state and
 * change events, all in one table with the key schema of lambda/shared/table-schema.ts shared with the Lambda store.
 */
export class ResultsTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: ResultsTableProps = {}) {
    super(scope, id);
    // Every key attribute of the schema is a string and billing is on demand (table-schema.ts).
    const [partition, sort] = TABLE_SCHEMA.keys;
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: partition.name, type: AttributeType.STRING },
      sortKey: { name: sort.name, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
