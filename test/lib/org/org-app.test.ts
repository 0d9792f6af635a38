import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, HOME_STACK_NAME } from '../../../lambda/shared/names';
import {
  codeBucketName,
  codeStackNameFor,
  MEMBER_EVENT_SOURCE,
  MEMBER_STACK_SET_NAME,
  MEMBER_TABLE_NAME,
  ORG_BUS_NAME,
  ORG_ENV,
  ORG_METRICS,
} from '../../../lambda/shared/org-names';
import { buildApp } from '../../../lib/app';
import type { HomeStack } from '../../../lib/home-stack';
import type { CodeBucketStack } from '../../../lib/org/code-bucket-stack';
import { readOrgConfig } from '../../../lib/org/org-config';
import { MEMBER_TEMPLATE_FILE } from '../../../lib/org/org-home';
import { testApp } from '../../support/cdk';
import {
  actionsOf,
  countsOf,
  type FunctionProperties,
  idOf,
  resourcesOf,
  type Statement,
} from '../../support/templates';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'org.json');
const ORG = readOrgConfig(EXAMPLE);

describe('the organization app (-c org=examples/org.json)', () => {
  // Prepare (shared, synthesized once): the app as `cdk synth -c org=examples/org.json` builds it, unbundled.
  let app: App;
  let stacks: Stack[];
  let homeT: Template;
  let member: Record<string, { Type: string; Properties: Record<string, unknown>; Condition?: string }>;
  let memberJson: Record<string, unknown>;
  let assemblyDir: string;
  beforeAll(() => {
    app = buildApp(testApp({ org: EXAMPLE, alarmEmails: 'context@example.com' }));
    stacks = app.node.children.filter((c): c is Stack => c instanceof Stack);
    const home = app.node.findChild(HOME_STACK_NAME) as Stack;
    homeT = Template.fromStack(home);
    assemblyDir = app.synth().directory;
    const stackSet = Object.values(homeT.findResources('AWS::CloudFormation::StackSet'))[0];
    memberJson = JSON.parse(stackSet?.Properties.TemplateBody as string);
    member = memberJson.Resources as typeof member;
  });

  const memberOfType = (type: string) => Object.entries(member).filter(([, r]) => r.Type === type);

  it('builds one code stack per target region and the home, in the home account, home deployed last', () => {
    // Act
    const names = stacks.map((s) => [s.stackName, s.account, s.region]);
    const home = stacks.find((s) => s.stackName === HOME_STACK_NAME) as Stack;

    // Assess
    expect(names).toEqual([
      ...ORG.targets.regions.map((r) => [codeStackNameFor(r), ORG.home.account, r]),
      [HOME_STACK_NAME, ORG.home.account, ORG.home.region],
    ]);
    // No region stack: the members probe.
    expect(names.filter(([n]) => /^BedrockMatrix-[a-z]{2}-/.test(n as string))).toEqual([]);
    expect(home.dependencies.map((d) => d.stackName).sort()).toEqual(
      ORG.targets.regions.map(codeStackNameFor).sort(),
    );
  });

  it('deploys the member template with a service-managed, auto-deploying StackSet to the OUs x regions', () => {
    // Act
    const sets = Object.values(homeT.findResources('AWS::CloudFormation::StackSet')).map((r) => r.Properties);

    // Assess
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({
      StackSetName: MEMBER_STACK_SET_NAME,
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      Capabilities: ['CAPABILITY_IAM'],
      ManagedExecution: { Active: true },
      OperationPreferences: { RegionConcurrencyType: 'PARALLEL', FailureTolerancePercentage: 10 },
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-78gh90ij'] },
          Regions: ORG.targets.regions,
        },
      ],
    });
  });

  it('lets only the organization put events on the org bus, and hands member events to the home function', () => {
    // Act
    const busId = idOf(homeT, 'AWS::Events::EventBus', 'OrgBus');
    const policies = Object.values(homeT.findResources('AWS::Events::EventBusPolicy')).map(
      (r) => r.Properties,
    );
    const rules = Object.values(homeT.findResources('AWS::Events::Rule')).map((r) => r.Properties);
    const homeFn = idOf(homeT, 'AWS::Lambda::Function', 'HomeFunction');

    // Assess
    homeT.hasResourceProperties('AWS::Events::EventBus', { Name: ORG_BUS_NAME });
    expect(policies).toEqual([
      {
        EventBusName: { Ref: busId },
        StatementId: 'cdk-OrganizationPutsEvents',
        Statement: {
          Action: 'events:PutEvents',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Resource: { 'Fn::GetAtt': [busId, 'Arn'] },
          Sid: 'cdk-OrganizationPutsEvents',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG.organizationId } },
        },
      },
    ]);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      EventBusName: { Ref: busId },
      EventPattern: { source: [MEMBER_EVENT_SOURCE] },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [homeFn, 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [idOf(homeT, 'AWS::SQS::Queue', 'OrgDeadLetterQueue'), 'Arn'] },
          },
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        },
      ],
    });
    homeT.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [homeFn, 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('tells the home function the probe accounts and OUs, and lets it read Organizations', () => {
    // Act
    const fn = resourcesOf(homeT)[idOf(homeT, 'AWS::Lambda::Function', 'HomeFunction')]
      ?.Properties as unknown as FunctionProperties;
    const role = idOf(homeT, 'AWS::IAM::Role', 'HomeRole');
    const policy = Object.values(homeT.findResources('AWS::IAM::Policy')).find(
      (p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role }]),
    );
    const statements = (policy?.Properties.PolicyDocument.Statement ?? []) as Statement[];

    // Assess
    expect(fn.Environment.Variables[ENV.regions]).toBe(ORG.targets.regions.join(','));
    expect(fn.Environment.Variables[ORG_ENV.probeAccounts]).toBe(
      ORG.targets.regions.map((r) => `${r}=${ORG.probeAccounts[r]}`).join(','),
    );
    expect(fn.Environment.Variables[ORG_ENV.probeAccounts]).toContain('eu-central-2=345678901234');
    expect(fn.Environment.Variables[ORG_ENV.organizationalUnits]).toBe('ou-ab12-34cd56ef,ou-ab12-78gh90ij');
    expect(statements.find((s) => s.Sid === 'OrganizationsRead')).toMatchObject({
      Action: [
        'organizations:DescribeOrganizationalUnit',
        'organizations:ListAccounts',
        'organizations:ListAccountsForParent',
        'organizations:ListParents',
      ],
      Resource: '*',
    });
  });

  it('alarms on stale members (missing data breaching, as stale regions) to the ops topic, and shows the org view', () => {
    // Act
    const alarms = Object.values(homeT.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const stale = alarms.find((a) => a.AlarmName === 'bedrock-matrix-home-stale-members');
    const staleRegions = alarms.find((a) => a.AlarmName === 'bedrock-matrix-home-stale-regions');
    const ops = { Ref: idOf(homeT, 'AWS::SNS::Topic', 'OpsTopic') };
    const dashboard = JSON.stringify(Object.values(homeT.findResources('AWS::CloudWatch::Dashboard'))[0]);

    // Assess
    expect(alarms).toHaveLength(6);
    expect(stale).toMatchObject({
      MetricName: ORG_METRICS.staleMembers,
      Namespace: 'BedrockMatrix',
      Statistic: 'Maximum',
      Threshold: 1,
      TreatMissingData: staleRegions?.TreatMissingData,
      AlarmActions: [ops],
      OKActions: [ops],
    });
    expect(stale?.Dimensions).toBeUndefined();
    expect(dashboard).toContain('\\"view\\":\\"org\\"');
    expect(
      (app.node.findChild(HOME_STACK_NAME) as HomeStack).widget
        .orgModelWidget('amazon.nova-lite')
        .toJson()[0],
    ).toMatchObject({
      properties: {
        title: 'Organization: amazon.nova-lite',
        params: { view: 'org-model', model: 'amazon.nova-lite' },
      },
    });
    // The org file's alarm e-mail, not the context's.
    homeT.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: 'platform-ops@example.com' });
    expect(JSON.stringify(homeT.toJSON())).not.toContain('context@example.com');
  });

  it('gives each region a code bucket named for it, readable by the organization only, holding the content-keyed zip', () => {
    for (const region of ORG.targets.regions) {
      // Act
      const code = app.node.findChild(codeStackNameFor(region)) as CodeBucketStack;
      const t = Template.fromStack(code);
      const statements = Object.values(t.findResources('AWS::S3::BucketPolicy')).flatMap(
        (p) => p.Properties.PolicyDocument.Statement as Statement[],
      );

      // Assess
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: codeBucketName(ORG.home.account, region),
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      expect(statements.find((s) => s.Sid === 'OrganizationReadsMemberCode')).toMatchObject({
        Action: 's3:GetObject',
        Principal: { AWS: '*' },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG.organizationId } },
      });
      t.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketKeyPrefix: 'member/',
        Extract: false,
        Prune: false,
        RetainOnDelete: false,
      });
      expect(code.codeKey).toMatch(/^member\/[0-9a-f]{64}\.zip$/);
    }
  });

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

  it('has no unacknowledged cdk-nag AwsSolutions finding in any stack, the member stack included', () => {
    // Act (the member stack passed its own app's checks, or the build above would have thrown)
    for (const stack of stacks) {
      const report = new AwsSolutionsChecks(app).validateScope(stack);

      // Assess
      expect(report.violations, stack.stackName).toEqual([]);
    }
    expect(countsOf(homeT)['AWS::CloudFormation::StackSet']).toBe(1);
  });
});
