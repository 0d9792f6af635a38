import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { HOME_TABLE_NAME, TABLE } from '../../lambda/shared/names';
import { ResultsTable } from '../../lib/results-table';
import { testApp } from '../support/cdk';

describe('ResultsTable', () => {
  it('uses the shared key design, a fixed name, on-demand billing, PITR, TTL and a stream of new images, and survives stack deletion', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Test', { env: { region: 'us-east-1' } });

    // Act
    new ResultsTable(stack, 'Results');
    const template = Template.fromStack(stack);

    // Assess
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        TableName: HOME_TABLE_NAME,
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE.sortKey, AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        Replicas: [
          {
            Region: 'us-east-1',
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          },
        ],
      },
    });
  });
});
