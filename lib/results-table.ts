import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '../lambda/shared/names';

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
 * change events, all in one table with the key design of `TABLE` shared with the Lambda store.
 */
export class ResultsTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: ResultsTableProps = {}) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
