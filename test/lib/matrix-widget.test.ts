import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/shared/names';
import { MatrixWidget } from '../../lib/matrix-widget';
import { dashboardBody, testApp } from '../support/cdk';

/** What the tests read of a dashboard widget. */
interface WidgetProperties {
  readonly params: Record<string, unknown>;
  readonly alarms: readonly unknown[];
  readonly endpoint?: unknown;
}

describe('MatrixWidget', () => {
  // Prepare (shared): the widget function and one widget of each view on a dashboard.
  const stack = new Stack(testApp(), 'Test', { env: { region: 'eu-west-1' } });
  const table = new TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
  });
  const widget = new MatrixWidget(stack, 'Widget', {
    table,
    regions: ['eu-west-1', 'us-east-1'],
    noticeDays: 60,
  });
  const dashboard = new Dashboard(stack, 'Dashboard');
  dashboard.addWidgets(widget.rolloutWidget(), widget.changesWidget(), widget.matrixWidget('us-east-1'));
  const template = Template.fromStack(stack);
  const [fnId, fn] = Object.entries(template.findResources('AWS::Lambda::Function'))[0] ?? [];
  const tableId = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))[0];

  it('makes custom widgets that call the widget function with each view, one region for a matrix', () => {
    // Act
    const board = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties;
    const { widgets } = dashboardBody<{ widgets: { type: string; properties: WidgetProperties }[] }>(
      stack,
      board.DashboardBody,
    );

    // Assess
    expect(widgets.map((w) => w.type)).toEqual(['custom', 'custom', 'custom']);
    expect(widgets.map((w) => w.properties.params)).toEqual([
      { view: 'rollout', noticeDays: 60 },
      { view: 'changes', days: 30 },
      { view: 'matrix', region: 'us-east-1', days: 7, noticeDays: 60 },
    ]);
    for (const w of widgets) expect(w.properties.endpoint).toBe('TOKEN');
    expect(JSON.stringify(board.DashboardBody)).toContain(`{"Fn::GetAtt":["${fnId}","Arn"]}`);
  });

  it('refuses a notice window out of range and a region where Bedrock does not run', () => {
    // Prepare
    const other = new Stack(testApp(), 'Other', { env: { region: 'eu-west-1' } });
    const otherTable = new TableV2(other, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
    });

    // Act + Assess
    expect(
      () => new MatrixWidget(other, 'Bad', { table: otherTable, regions: ['eu-west-1'], noticeDays: 400 }),
    ).toThrow(/MatrixWidget.*noticeDays.*400/);
    expect(() => new MatrixWidget(other, 'Worse', { table: otherTable, regions: ['eu-west-9'] })).toThrow(
      /MatrixWidget: regions \["eu-west-9"\] is invalid/,
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

  it('tells the function which table, account and regions to read', () => {
    // Assess
    expect(fn?.Properties.Environment.Variables).toEqual({
      [ENV.tableName]: { Ref: tableId },
      [ENV.account]: { Ref: 'AWS::AccountId' },
      [ENV.regions]: 'eu-west-1,us-east-1',
    });
    expect(fn?.Properties.Runtime).toBe('nodejs24.x');
  });
});
