import { fileURLToPath } from 'node:url';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV, HOME_TABLE_NAME } from '../../lambda/shared/names';
import { actionsByResource, isProberKind, MARKETPLACE_ACTIONS } from '../../lib/prober-calls';
import { ProberFunction, proberStatements } from '../../lib/prober-function';
import { testApp } from '../support/cdk';

describe('ProberFunction', () => {
  // Prepare (shared): one bundling run of the real lambda/index.ts entry for the whole file.
  const stack = new Stack(testApp(), 'Test', { env: { region: 'us-west-2' } });
  new ProberFunction(stack, 'Prober', {
    tableRegion: 'eu-central-1',
    guardrail: {
      guardrailId: 'gr-id',
      guardrailArn: 'arn:aws:bedrock:us-west-2:111122223333:guardrail/gr-id',
      guardrailVersion: '3',
    },
    canary: 'BMX-CANARY-TEST01',
    includeModels: ['openai.*', 'anthropic.*'],
    excludeModels: [],
    apis: ['chat'],
    maxTokens: 16,
    concurrency: 8,
    historyTtlDays: 90,
    confirmCount: 2,
    maxCalls: 0,
    maxRunTokens: 250_000,
    dependencyTimeoutMs: 5000,
  });
  const template = Template.fromStack(stack);
  const fnResource = Object.values(template.findResources('AWS::Lambda::Function'))[0];
  const statements: Array<Record<string, unknown>> =
    Object.values(template.findResources('AWS::IAM::Policy'))[0]?.Properties.PolicyDocument.Statement ?? [];
  const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
  const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
  /** `arn:<partition><service+region>:<account><resource>`, as CDK joins a stack-scoped ARN. */
  const accountArn = (serviceAndRegion: string, resource: string) => ({
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, serviceAndRegion, { Ref: 'AWS::AccountId' }, resource],
    ],
  });

  it('runs the bundled handler on a current Node runtime, arm64, with no reserved concurrency by default', () => {
    // Act
    const props = fnResource?.Properties;

    // Assess
    expect(props).toMatchObject({
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 600,
      MemorySize: 512,
    });
    expect(props).not.toHaveProperty('ReservedConcurrentExecutions');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  it('writes to its own log group with a retention', () => {
    // Act
    const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup'))[0];

    // Assess
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    expect(fnResource?.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    expect(statements).toContainEqual({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
    });
  });

  it('passes the shared environment variables, without the costly source-map option', () => {
    // Act
    const env = fnResource?.Properties.Environment.Variables;

    // Assess
    expect(env).not.toHaveProperty('NODE_OPTIONS');
    expect(env).toMatchObject({
      [ENV.guardrailId]: 'gr-id',
      [ENV.guardrailVersion]: '3',
      [ENV.canary]: 'BMX-CANARY-TEST01',
      [ENV.includeModels]: 'openai.*,anthropic.*',
      [ENV.excludeModels]: '',
      [ENV.apis]: 'chat',
      [ENV.maxTokens]: '16',
      [ENV.concurrency]: '8',
      [ENV.historyTtlDays]: '90',
      [ENV.confirmCount]: '2',
      [ENV.maxCalls]: '0',
      [ENV.maxRunTokens]: '250000',
      [ENV.dependencyTimeoutMs]: '5000',
      [ENV.tableName]: HOME_TABLE_NAME,
      [ENV.tableRegion]: 'eu-central-1',
      [ENV.account]: { Ref: 'AWS::AccountId' },
    });
    // Notifying is the home's job: the prober is told of no topic and no metric namespace.
    expect(env).not.toHaveProperty(ENV.topicArn);
    expect(env).not.toHaveProperty(ENV.metricsNamespace);
  });

  it('may invoke foundation models in every region, region-less (global.) and its own profiles', () => {
    // Act
    const statement = bySid('InvokeModels');

    // Assess
    expect(statement).toEqual({
      Sid: 'InvokeModels',
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: [
        arn(':bedrock:*::foundation-model/*'),
        arn(':bedrock:::foundation-model/*'),
        accountArn(':bedrock:us-west-2:', ':inference-profile/*'),
      ],
    });
  });

  it('may apply and read the probe guardrail only', () => {
    // Act
    const statement = bySid('ProbeGuardrail');

    // Assess
    expect(statement).toMatchObject({
      Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'],
      Resource: 'arn:aws:bedrock:us-west-2:111122223333:guardrail/gr-id',
    });
    const guardrailActions = statements.filter((s) => JSON.stringify(s.Action).includes('Guardrail"'));
    expect(guardrailActions.map((s) => s.Sid)).toEqual(['ProbeGuardrail']);
  });

  it('grants the mantle actions of AmazonBedrockMantleInferenceAccess on this region’s projects', () => {
    // Act
    const mantle = bySid('MantleProjects');

    // Assess
    expect(mantle).toMatchObject({
      Action: [
        'bedrock-mantle:CreateInference',
        'bedrock-mantle:GetInference',
        'bedrock-mantle:GetModel',
        'bedrock-mantle:GetProject',
        'bedrock-mantle:ListModels',
        'bedrock-mantle:ListProjects',
      ],
      Resource: accountArn(':bedrock-mantle:us-west-2:', ':project/*'),
    });
  });

  it('grants runtime Responses and their retrieval in the default project, and bearer tokens and catalogs on *', () => {
    // Act
    const responses = bySid('RuntimeResponses');
    const any = bySid('NoResourceLevelPermissions');

    // Assess
    expect(responses).toMatchObject({
      Action: ['bedrock:GetInvoke', 'bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: accountArn(':bedrock:us-west-2:', ':project/default'),
    });
    expect(any).toMatchObject({
      Resource: '*',
      Action: [
        'bedrock-mantle:CallWithBearerToken',
        'bedrock:CallWithBearerToken',
        'bedrock:ListEnforcedGuardrailsConfiguration',
        'bedrock:ListFoundationModels',
        'bedrock:ListInferenceProfiles',
      ],
    });
  });

  it('grants nothing the code never calls, and no Marketplace subscription unless asked', () => {
    // Act
    const granted = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

    // Assess
    for (const unused of [
      'bedrock:GetFoundationModel',
      'bedrock:GetFoundationModelAvailability',
      'bedrock:GetInferenceProfile',
      'bedrock:CancelInvoke',
      'bedrock:DeleteInvoke',
      'dynamodb:Scan',
      'dynamodb:GetItem',
      'dynamodb:DescribeTable',
      'dynamodb:CreateTable',
      'dynamodb:UpdateTimeToLive',
      ...MARKETPLACE_ACTIONS,
    ]) {
      expect(granted).not.toContain(unused);
    }
    // Every action of the calls list is granted (the other direction of prober-calls.test.ts) but
    // the home's (notifying happens at home) and an organization's member's or home's own.
    for (const [kind, actions] of actionsByResource())
      for (const a of actions) expect(granted.includes(a), a).toBe(isProberKind(kind));
  });

  it('adds the Marketplace subscription actions with subscribeModels', () => {
    // Prepare
    const other = new Stack(testApp(), 'Other', { env: { region: 'us-west-2' } });
    const resources = { guardrailArn: 'arn:aws:bedrock:us-west-2:1:guardrail/g', tableArn: 'arn:table' };

    // Act
    const withOptIn = proberStatements(other, resources, true).map((s) => s.toStatementJson());
    const without = proberStatements(other, resources).map((s) => s.toStatementJson());

    // Assess
    expect(withOptIn).toContainEqual({
      Sid: 'SubscribeModels',
      Effect: 'Allow',
      Action: ['aws-marketplace:Subscribe', 'aws-marketplace:ViewSubscriptions'],
      Resource: '*',
    });
    expect(JSON.stringify(without)).not.toContain('aws-marketplace');
  });

  it('publishes nothing, and reaches only the home table by its ARN in the home region (no index)', () => {
    // Act
    const granted = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

    // Assess
    for (const forbidden of [/^cloudwatch:/, /^sns:/, /^events:/, /^kms:/])
      expect(granted.filter((a) => forbidden.test(a as string))).toEqual([]);
    expect(bySid('ResultsTable')).toEqual({
      Sid: 'ResultsTable',
      Effect: 'Allow',
      Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      Resource: accountArn(':dynamodb:eu-central-1:', `:table/${HOME_TABLE_NAME}`),
    });
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
      ManagedPolicyArns: Match.absent(),
    });
  });

  it('reserves concurrency only when asked', () => {
    // Prepare
    const other = new Stack(testApp(), 'Reserved', { env: { region: 'us-west-2' } });
    new ProberFunction(other, 'Prober', {
      tableRegion: 'us-west-2',
      guardrail: {
        guardrailId: 'g',
        guardrailArn: 'arn:aws:bedrock:us-west-2:1:guardrail/g',
        guardrailVersion: '1',
      },
      canary: 'BMX-CANARY-TEST01',
      includeModels: [],
      excludeModels: [],
      apis: [],
      maxTokens: 16,
      concurrency: 8,
      historyTtlDays: 90,
      confirmCount: 2,
      maxCalls: 0,
      reservedConcurrency: 1,
      entry: fileURLToPath(new URL('../../lambda/index.ts', import.meta.url)),
    });

    // Act
    const reserved = Template.fromStack(other);

    // Assess
    reserved.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1 });
  });
});
