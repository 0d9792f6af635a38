/**
 * Local endpoints (the simulator, DynamoDB Local) check the shape of a signature, not its secret.
 * When every endpoint a command uses is overridden to this machine and no AWS credentials are
 * configured, placeholder credentials let it run with no AWS account at all.
 */
import type { AwsCredentialIdentity } from '@smithy/types';

export const PLACEHOLDER_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'AKIDLOCALBEDROCKMATRIX',
  secretAccessKey: 'local-endpoints-check-signature-shape-only',
};

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

export function localCredentials(
  env: NodeJS.ProcessEnv,
  overrideVars: readonly string[],
): AwsCredentialIdentity | undefined {
  const configured = Boolean(
    env.AWS_ACCESS_KEY_ID ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
  );
  return isLocal(env, overrideVars) && !configured ? PLACEHOLDER_CREDENTIALS : undefined;
}

/** True when each named override points at this machine (the run is local, e.g. simulated). */
export function isLocal(env: NodeJS.ProcessEnv, overrideVars: readonly string[]): boolean {
  return overrideVars.every((v) => LOOPBACK.test(env[v] ?? ''));
}
