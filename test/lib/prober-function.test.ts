import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { ENV, METRICS_NAMESPACE } from '../../lambda/shared/names';
import { ProberFunction } from '../../lib/prober-function';

describe('ProberFunction', () => {
  // Prepare (shared): one bundling run of the real lambda/index.ts entry for the whole file.
  const stack = new Stack(new App(), 'Test', { env: { region: 'us-west-2' } });
  const table = new TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  const topic = new Topic(stack, 'Topic');
  new ProberFunction(stack, 'Prober', {
    table,
    topic,
    guardrail: {
      guardrailId: 'gr-id',
      guardrailArn: 'arn:aws:bedrock:us-west-2:111122223333:guardrail/gr-id',
      guardrailVersion: '3',
    },
    settings: {
      canary: 'BMX-CANARY-TEST01',
      includeModels: ['openai.*', 'anthropic.*'],
      excludeModels: [],
      apis: ['chat'],
      maxTokens: 16,
      concurrency: 8,
      historyTtlDays: 90,
      confirmCount: 2,
      maxCalls: 0,
    },
  });
  const template = Template.fromStack(stack);
  const fnResource = Object.values(template.findResources('AWS::Lambda::Function'))[0];
  const statements: Array<Record<string, unknown>> =
    Object.values(template.findResources('AWS::IAM::Policy'))[0]?.Properties.PolicyDocument.Statement ?? [];
  const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
  const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

  it('runs the bundled handler on a current Node runtime, arm64, never overlapping', () => {
    // Act
    const props = fnResource?.Properties;

    // Assess
    expect(props).toMatchObject({
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 600,
      MemorySize: 512,
      ReservedConcurrentExecutions: 1,
    });
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

  it('passes the shared environment variables, source maps on', () => {
    // Act
    const env = fnResource?.Properties.Environment.Variables;

    // Assess
    expect(env).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
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
      [ENV.metricsNamespace]: METRICS_NAMESPACE,
      [ENV.tableName]: { Ref: Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))[0] },
      [ENV.topicArn]: { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] },
    });
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
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':bedrock:us-west-2:',
              { Ref: 'AWS::AccountId' },
              ':inference-profile/*',
            ],
          ],
        },
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

  it('may use the runtime default project, the catalog, bearer tokens and mantle CreateInference', () => {
    // Act
    const responses = bySid('RuntimeResponses');
    const catalog = bySid('Catalog');
    const bearer = bySid('BearerTokens');
    const mantle = bySid('MantleInference');

    // Assess
    expect(responses?.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':bedrock:us-west-2:',
          { Ref: 'AWS::AccountId' },
          ':project/default',
        ],
      ],
    });
    expect(catalog).toMatchObject({
      Resource: '*',
      Action: expect.arrayContaining([
        'bedrock:ListFoundationModels',
        'bedrock:GetFoundationModel',
        'bedrock:GetFoundationModelAvailability',
        'bedrock:ListInferenceProfiles',
        'bedrock:GetInferenceProfile',
      ]),
    });
    expect(bearer).toMatchObject({
      Resource: '*',
    });
    expect([...((bearer?.Action as string[]) ?? [])].sort()).toEqual([
      'bedrock-mantle:CallWithBearerToken',
      'bedrock:CallWithBearerToken',
    ]);
    expect(mantle).toMatchObject({
      Action: 'bedrock-mantle:CreateInference',
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':bedrock-mantle:us-west-2:',
            { Ref: 'AWS::AccountId' },
            ':project/*',
          ],
        ],
      },
    });
  });

  it('may put metrics only into its namespace, and reach only this table and topic', () => {
    // Act
    const metrics = bySid('Metrics');

    // Assess
    expect(metrics).toMatchObject({
      Action: 'cloudwatch:PutMetricData',
      Condition: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']),
        Resource: {
          'Fn::GetAtt': [Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))[0], 'Arn'],
        },
      }),
    );
    expect(statements).toContainEqual({
      Action: 'sns:Publish',
      Effect: 'Allow',
      Resource: { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] },
    });
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
      ManagedPolicyArns: Match.absent(),
    });
  });
});
