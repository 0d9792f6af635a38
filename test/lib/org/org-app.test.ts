import { join } from 'node:path';
import { type App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, HOME_STACK_NAME } from '../../../lambda/shared/names';
import {
  codeBucketName,
  codeStackNameFor,
  INBOX_BATCH,
  MEMBER_EVENT_SOURCE,
  MEMBER_STACK_SET_NAME,
  ORG_BUS_NAME,
  ORG_ENV,
  ORG_METRICS,
} from '../../../lambda/shared/org-names';
import { buildApp } from '../../../lib/app';
import type { HomeStack } from '../../../lib/home-stack';
import type { CodeBucketStack } from '../../../lib/org/code-bucket-stack';
import { readOrgConfig } from '../../../lib/org/org-config';
import { testApp } from '../../support/cdk';
import {
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
  beforeAll(() => {
    app = buildApp(testApp({ org: EXAMPLE, alarmEmails: 'context@example.com' }));
    stacks = app.node.children.filter((c): c is Stack => c instanceof Stack);
    const home = app.node.findChild(HOME_STACK_NAME) as Stack;
    homeT = Template.fromStack(home);
  });

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

  it('lets only the organization put events on the org bus, and hands member events to the home function through an inbox', () => {
    // Act
    const busId = idOf(homeT, 'AWS::Events::EventBus', 'OrgBus');
    const policies = Object.values(homeT.findResources('AWS::Events::EventBusPolicy')).map(
      (r) => r.Properties,
    );
    const rules = Object.values(homeT.findResources('AWS::Events::Rule')).map((r) => r.Properties);
    const homeFn = idOf(homeT, 'AWS::Lambda::Function', 'HomeFunction');
    const inbox = idOf(homeT, 'AWS::SQS::Queue', 'OrgInbox');
    const dlq = idOf(homeT, 'AWS::SQS::Queue', 'OrgDeadLetterQueue');

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
          Arn: { 'Fn::GetAtt': [inbox, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        },
      ],
    });
    // The inbox keeps an event until the home function took it (120 s timeout x 2), then its DLQ.
    homeT.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 240,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 100 },
    });
    homeT.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [inbox, 'Arn'] },
      FunctionName: { Ref: homeFn },
      BatchSize: INBOX_BATCH,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
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
    // The single account's five, less FailingRegions (the home never sees a member's runs), plus stale members.
    expect(alarms).toHaveLength(5);
    expect(alarms.map((a) => a.AlarmName)).not.toContain('bedrock-matrix-home-failing-regions');
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
    // No per-region run widgets: an organization's runs stay in the members' own tables.
    expect(dashboard).not.toContain('\\"view\\":\\"rollout\\"');
    expect(dashboard).not.toContain('\\"view\\":\\"matrix\\"');
    // The widget function reads the org items only in an organization's home.
    homeT.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'bedrock-matrix dashboard widget: the stored capability matrix as HTML',
      Environment: { Variables: { [ORG_ENV.orgView]: '1' } },
    });
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
