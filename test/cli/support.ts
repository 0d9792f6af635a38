/** Runs the CLI in-process, as a user would from a shell, capturing what it prints. */
import { main } from '../../cli/main';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import type { DynamoDbLocal } from '../support/dynamodb-local';
import type { TestSimulator } from '../support/simulator';

/** The endpoint overrides that point the CLI at a running simulator (and DynamoDB Local, if given). */
export const simulatorEnv = (sim: TestSimulator, dynamo?: DynamoDbLocal): NodeJS.ProcessEnv => ({
  [ENDPOINT_OVERRIDE_ENV.runtime]: sim.urls.runtime,
  [ENDPOINT_OVERRIDE_ENV.mantle]: sim.urls.mantle,
  [ENDPOINT_OVERRIDE_ENV.control]: sim.urls.control,
  ...(dynamo ? { [ENDPOINT_OVERRIDE_ENV.dynamodb]: dynamo.endpoint } : {}),
});

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { PATH: process.env.PATH, ...env },
  });
  return { code, stdout, stderr };
}
