import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/shared/names';
import { MatrixWidget } from '../../lib/matrix-widget';
import { testApp } from '../support/cdk';

describe('MatrixWidget', () => {
  // Prepare (shared): one bundling run of the real lambda/widget/index.ts entry.
  const stack = new Stack(testApp(), 'Test', { env: { region: 'eu-west-1' } });
  const table = new TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
  });
  const dashboard = new Dashboard(stack, 'Dashboard');
  new MatrixWidget(stack, 'Widget', { table, dashboard });
  const template = Template.fromStack(stack);
  const [fnId, fn] = Object.entries(template.findResources('AWS::Lambda::Function'))[0] ?? [];
  const tableId = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))[0];

  it('puts two custom widgets on the dashboard, both calling the widget function', () => {
    // Act
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );

    // Assess
    expect(body.match(/\\"type\\":\\"custom\\"/g)).toHaveLength(2);
    expect(body).toContain(`{"Fn::GetAtt":["${fnId}","Arn"]}`);
    expect(body).toContain('\\"view\\":\\"matrix\\"');
    expect(body).toContain('\\"view\\":\\"changes\\"');
    expect(body).toContain('\\"noticeDays\\":30');
  });

  it("passes the stack's notice window to the matrix widget, and refuses one out of range", () => {
    // Prepare
    const other = new Stack(testApp(), 'Other', { env: { region: 'eu-west-1' } });
    const otherTable = new TableV2(other, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
    });
    const otherDashboard = new Dashboard(other, 'Dashboard');

    // Act
    new MatrixWidget(other, 'Widget', { table: otherTable, dashboard: otherDashboard, noticeDays: 60 });
    const body = JSON.stringify(
      Object.values(Template.fromStack(other).findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
        .DashboardBody,
    );

    // Assess
    expect(body).toContain('\\"noticeDays\\":60');
    expect(() => new MatrixWidget(other, 'Bad', { table: otherTable, noticeDays: 400 })).toThrow(
      /MatrixWidget.*noticeDays.*400/,
    );
  });

  it('gives the function read-only access: dynamodb:Query on the results table and nothing else on it', () => {
    // Act
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>,
    );

    // Assess
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:Query',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
      }),
    ]);
    const others = statements.flatMap((s) => [s.Action].flat()).filter((a) => !a.startsWith('dynamodb:'));
    expect(others.every((a) => a.startsWith('logs:'))).toBe(true);
  });

  it('tells the function which table to read', () => {
    // Assess
    expect(fn?.Properties.Environment.Variables[ENV.tableName]).toEqual({ Ref: tableId });
    expect(fn?.Properties.Runtime).toBe('nodejs24.x');
  });
});
