import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { stackFor, tableFromStack } from '../../cli/stack-outputs';

const cloudFormation = mockClient(CloudFormationClient);
const client = new CloudFormationClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
});

describe('--stack: the deployed table from the stack outputs', () => {
  beforeEach(() => cloudFormation.reset());

  it('asks DescribeStacks for exactly the named stack and returns its table and the region it lives in', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'BedrockMatrix-eu-west-1',
          CreationTime: new Date(0),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'FunctionName', OutputValue: 'BedrockMatrix-eu-west-1-ProberFunction' },
            { OutputKey: 'TableName', OutputValue: 'bedrock-matrix-results' },
            { OutputKey: 'TableRegion', OutputValue: 'us-east-1' },
          ],
        },
      ],
    });

    // Act
    const table = await tableFromStack('eu-west-1', 'BedrockMatrix-eu-west-1', client);

    // Assess
    expect(table).toEqual({ tableName: 'bedrock-matrix-results', tableRegion: 'us-east-1' });
    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input)).toEqual([
      { StackName: 'BedrockMatrix-eu-west-1' },
    ]);
  });

  it("takes the stack's own region for a stack without a TableRegion output (deployed before the split)", async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'BedrockMatrix-eu-west-1',
          CreationTime: new Date(0),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'TableName', OutputValue: 'BedrockMatrix-eu-west-1-ResultsTable7B2FF7F9-1X2Y3Z' },
          ],
        },
      ],
    });

    // Act
    const table = await tableFromStack('eu-west-1', 'BedrockMatrix-eu-west-1', client);

    // Assess
    expect(table).toEqual({
      tableName: 'BedrockMatrix-eu-west-1-ResultsTable7B2FF7F9-1X2Y3Z',
      tableRegion: 'eu-west-1',
    });
  });

  it('names the stack and the region when the stack does not exist', async () => {
    // Prepare: CloudFormation's own answer for an unknown stack.
    const missing = Object.assign(new Error('Stack with id BedrockMatrix-eu-west-1 does not exist'), {
      name: 'ValidationError',
    });
    cloudFormation.on(DescribeStacksCommand).rejects(missing);

    // Act + Assess
    await expect(tableFromStack('eu-west-1', 'BedrockMatrix-eu-west-1', client)).rejects.toThrow(
      /^--stack: no stack "BedrockMatrix-eu-west-1" in eu-west-1 \(deploy it there/,
    );
  });

  it('says so when the stack has no TableName output', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        { StackName: 'other', CreationTime: new Date(0), StackStatus: 'CREATE_COMPLETE', Outputs: [] },
      ],
    });

    // Act + Assess
    await expect(tableFromStack('eu-west-1', 'other', client)).rejects.toThrow(
      '--stack: stack "other" in eu-west-1 has no TableName output',
    );
  });

  it('a bare --stack means each region its own stack; a name is taken as given', () => {
    // Act + Assess
    expect(stackFor(true, 'us-west-2')).toBe('BedrockMatrix-us-west-2');
    expect(stackFor('mine', 'us-west-2')).toBe('mine');
    expect(stackFor(undefined, 'us-west-2')).toBeUndefined();
  });
});
