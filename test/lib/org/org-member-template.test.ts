import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, HOME_STACK_NAME } from '../../../lambda/shared/names';
import {
  codeStackNameFor,
  MEMBER_EVENT_SOURCE,
  MEMBER_TABLE_NAME,
  ORG_BUS_NAME,
  ORG_ENV,
} from '../../../lambda/shared/org-names';
import { buildApp } from '../../../lib/app';
import type { CodeBucketStack } from '../../../lib/org/code-bucket-stack';
import { readOrgConfig } from '../../../lib/org/org-config';
import { MEMBER_TEMPLATE_FILE } from '../../../lib/org/org-home';
import { testApp } from '../../support/cdk';
import { actionsOf, type FunctionProperties, type Statement } from '../../support/templates';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'org.json');
const ORG = readOrgConfig(EXAMPLE);

describe('the member template of the organization app (the StackSet TemplateBody)', () => {
  // Prepare (shared, synthesized once): the app as `cdk synth -c org=examples/org.json` builds it, unbundled.
  let app: App;
  let member: Record<string, { Type: string; Properties: Record<string, unknown>; Condition?: string }>;
  let memberJson: Record<string, unknown>;
  let assemblyDir: string;
  beforeAll(() => {
    app = buildApp(testApp({ org: EXAMPLE }));
    const homeT = Template.fromStack(app.node.findChild(HOME_STACK_NAME) as Stack);
    assemblyDir = app.synth().directory;
    const stackSet = Object.values(homeT.findResources('AWS::CloudFormation::StackSet'))[0];
    memberJson = JSON.parse(stackSet?.Properties.TemplateBody as string);
    member = memberJson.Resources as typeof member;
  });

  const memberOfType = (type: string) => Object.entries(member).filter(([, r]) => r.Type === type);

  it('synthesizes the member template flat, bootstrapless and under the TemplateBody limit, and writes it into the assembly', () => {
    // Act
    const text = JSON.stringify(memberJson);
    const file = join(assemblyDir, MEMBER_TEMPLATE_FILE);

    // Assess
    expect(Buffer.byteLength(text)).toBeLessThan(51_200);
    expect(memberJson.Parameters).toBeUndefined();
    expect(memberJson.Rules).toBeUndefined();
    expect(memberOfType('AWS::CDK::Metadata')).toEqual([]);
    expect(memberOfType('AWS::CloudFormation::Stack')).toEqual([]);
    expect(text).not.toContain('BootstrapVersion');
    expect(text).not.toContain('AssetParameters');
    expect(text).not.toMatch(/cdk-[a-z0-9]+-assets/);
    expect(text).not.toContain('aws:cdk:path');
    for (const type of [
      'AWS::KMS::Key',
      'AWS::SNS::Topic',
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Dashboard',
    ])
      expect(memberOfType(type), type).toEqual([]);
    expect(text).not.toContain('cloudwatch:PutMetricData');
    expect(text).not.toContain('sns:Publish');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(memberJson);
  });

  it('runs the prober bundle from the region code bucket as a member, 512 MB on arm64, with its own table', () => {
    // Act
    const functions = memberOfType('AWS::Lambda::Function');
    const [fnId, fn] = functions[0] as unknown as [
      string,
      { Properties: FunctionProperties & Record<string, unknown> },
    ];
    const code = app.node.findChild(codeStackNameFor('us-east-1')) as CodeBucketStack;
    const tableId = memberOfType('AWS::DynamoDB::GlobalTable')[0]?.[0];

    // Assess
    expect(fn.Properties.Code).toEqual({
      S3Bucket: { 'Fn::Sub': `bedrock-matrix-code-${ORG.home.account}-\${AWS::Region}` },
      S3Key: code.codeKey,
    });
    expect(fn.Properties).toMatchObject({
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 600,
    });
    expect(fn.Properties.Environment.Variables).toMatchObject({
      [ENV.tableName]: { Ref: tableId },
      [ENV.account]: { Ref: 'AWS::AccountId' },
      [ORG_ENV.member]: '1',
      [ORG_ENV.probeAccount]: { 'Fn::FindInMap': ['ProbeAccounts', { Ref: 'AWS::Region' }, 'account'] },
      [ORG_ENV.fullMatrix]: { 'Fn::If': ['FullMatrixAccount', '1', '0'] },
      [ENV.canary]: 'BMX-CANARY-7F3A9C',
    });
    expect(fn.Properties.Environment.Variables[ENV.tableRegion]).toBeUndefined();
    expect(member[tableId as string]?.Properties).toMatchObject({
      TableName: MEMBER_TABLE_NAME,
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(member[tableId as string]?.Properties.StreamSpecification).toBeUndefined();
    expect(memberJson.Mappings).toEqual({
      ProbeAccounts: Object.fromEntries(
        ORG.targets.regions.map((r) => [r, { account: ORG.probeAccounts[r] }]),
      ),
    });
    expect(functions).toHaveLength(1);
    expect(fnId).toMatch(/^MemberFunction/);
    expect(memberOfType('AWS::Bedrock::Guardrail')).toHaveLength(1);
  });

  it('ticks account facts every 5 minutes everywhere, and the sweep and sentinel only where the account probes the region', () => {
    // Act
    const byKind = Object.fromEntries(
      memberOfType('AWS::Scheduler::Schedule').map(([, r]) => {
        const target = r.Properties.Target as { Input: string };
        return [
          JSON.parse(target.Input).kind,
          { expression: r.Properties.ScheduleExpression, condition: r.Condition },
        ];
      }),
    );

    // Assess
    expect(byKind).toEqual({
      account: { expression: 'rate(5 minutes)', condition: undefined },
      sweep: { expression: 'rate(1 day)', condition: 'ProbesRegionFacts' },
      sentinel: { expression: 'rate(5 minutes)', condition: 'ProbesRegionFacts' },
    });
    expect(memberJson.Conditions).toEqual({
      FullMatrixAccount: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '456789012345'] },
      ProbesRegionFacts: {
        'Fn::Or': [
          {
            'Fn::Equals': [
              { Ref: 'AWS::AccountId' },
              { 'Fn::FindInMap': ['ProbeAccounts', { Ref: 'AWS::Region' }, 'account'] },
            ],
          },
          { Condition: 'FullMatrixAccount' },
        ],
      },
    });
  });

  it("grants the member a prober's calls plus availability, its own table and default bus only, nothing of the home's", () => {
    // Act
    const statements = memberOfType('AWS::IAM::Policy').flatMap(
      ([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const byAction = (action: string) => statements.filter((s) => actionsOf(s).includes(action));
    const tableId = memberOfType('AWS::DynamoDB::GlobalTable')[0]?.[0];
    const orgBus = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:events:${ORG.home.region}:${ORG.home.account}:event-bus/${ORG_BUS_NAME}`,
        ],
      ],
    };

    // Assess
    expect(byAction('bedrock:GetFoundationModelAvailability')).toHaveLength(1);
    expect(byAction('bedrock:ListEnforcedGuardrailsConfiguration')).toHaveLength(1);
    for (const action of [
      'dynamodb:Query',
      'dynamodb:BatchWriteItem',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
    ])
      expect(byAction(action).map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }]);
    const puts = byAction('events:PutEvents');
    expect(puts).toHaveLength(2);
    expect(puts.find((s) => s.Sid === 'MemberEvents')).toMatchObject({
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':events:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':event-bus/default',
          ],
        ],
      },
      Condition: { StringEquals: { 'events:source': MEMBER_EVENT_SOURCE } },
    });
    // The forwarding role: exactly the org bus.
    expect(puts.find((s) => s.Sid === undefined)?.Resource).toEqual(orgBus);
  });

  it('forwards member events from the default bus to the org bus, with a day of retries and a dead-letter queue', () => {
    // Act
    const rules = memberOfType('AWS::Events::Rule').map(([, r]) => r.Properties);

    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0]?.EventBusName).toBeUndefined(); // the default bus
    expect(rules[0]).toMatchObject({
      EventPattern: { source: [MEMBER_EVENT_SOURCE] },
      Targets: [
        {
          Arn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                `:events:${ORG.home.region}:${ORG.home.account}:event-bus/${ORG_BUS_NAME}`,
              ],
            ],
          },
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
          DeadLetterConfig: {
            Arn: {
              'Fn::GetAtt': [
                memberOfType('AWS::SQS::Queue').find(([id]) => id.startsWith('Forwarder'))?.[0],
                'Arn',
              ],
            },
          },
        },
      ],
    });
  });
});
