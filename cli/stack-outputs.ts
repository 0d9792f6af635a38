/**
 * `--stack`: the CLI reads the results table's name and region from a stack's outputs
 * (DescribeStacks) instead of guessing them: a region stack's table lives in its home region.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { STACK_OUTPUTS, stackNameFor } from '../lambda/shared/names';
import { chainCredentials } from './credentials';
import { UsageError } from './options';

/** `--stack` as commander gives it: absent, a bare flag (each region's own stack) or a name. */
export type StackFlag = string | boolean | undefined;

/** The stack to read in `region`, or undefined when `--stack` was not given. */
export const stackFor = (flag: StackFlag, region: string): string | undefined =>
  flag === undefined || flag === false ? undefined : flag === true ? stackNameFor(region) : flag;

/** Every output of `stack` in the client's region, by key. Throws UsageError naming what is missing. */
export async function stackOutputs(
  client: CloudFormationClient,
  stack: string,
  region: string,
): Promise<Record<string, string>> {
  let outputs: { OutputKey?: string; OutputValue?: string }[] | undefined;
  try {
    const answer = await client.send(new DescribeStacksCommand({ StackName: stack }));
    outputs = answer.Stacks?.[0]?.Outputs;
  } catch (err) {
    // CloudFormation answers an unknown stack with a ValidationError "Stack with id X does not exist".
    if (err instanceof Error && err.name === 'ValidationError' && /does not exist/.test(err.message))
      throw new UsageError(
        `--stack: no stack "${stack}" in ${region} (deploy it there with cdk deploy, or name the table with --table)`,
      );
    throw err;
  }
  return Object.fromEntries(
    (outputs ?? []).flatMap((o) => (o.OutputKey ? [[o.OutputKey, o.OutputValue ?? '']] : [])),
  );
}

/** Where a stack's results table is: its name, and the region its DynamoDB client must call. */
export interface StackTable {
  readonly tableName: string;
  /** The `TableRegion` output (the home region); the stack's own region when the output is absent. */
  readonly tableRegion: string;
}

/** The results table of `stack` in `region`, from its `TableName` and `TableRegion` outputs. */
export async function tableFromStack(
  region: string,
  stack: string,
  client: CloudFormationClient = new CloudFormationClient({ region, credentials: chainCredentials() }),
): Promise<StackTable> {
  const outputs = await stackOutputs(client, stack, region);
  const tableName = outputs[STACK_OUTPUTS.tableName];
  if (!tableName)
    throw new UsageError(
      `--stack: stack "${stack}" in ${region} has no ${STACK_OUTPUTS.tableName} output (is it a bedrock-matrix stack?)`,
    );
  // A stack deployed before the home/region split has no TableRegion: its table is its own.
  return { tableName, tableRegion: outputs[STACK_OUTPUTS.tableRegion] || region };
}
