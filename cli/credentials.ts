/**
 * Local endpoints (the simulator, DynamoDB Local) check the shape of a signature, not its secret.
 * When every endpoint a command uses is overridden to this machine and no AWS credentials are
 * configured, placeholder credentials let it run with no AWS account at all. Otherwise the
 * default chain, whose resolved secrets are registered with the one scrubber.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { registeringSecrets } from '../lambda/core/scrub';

export const PLACEHOLDER_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'AKIDLOCALBEDROCKMATRIX',
  secretAccessKey: 'local-endpoints-check-signature-shape-only',
};

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

export function localCredentials(
  env: NodeJS.ProcessEnv,
  overrideVars: readonly string[],
): AwsCredentialIdentity | AwsCredentialIdentityProvider {
  const configured = Boolean(
    env.AWS_ACCESS_KEY_ID ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
  );
  if (isLocal(env, overrideVars) && !configured) return PLACEHOLDER_CREDENTIALS;
  return chainCredentials();
}

/**
 * The SDK's own default chain (environment, profile, SSO, container, instance), memoised once per
 * process, with every credential it resolves registered with the scrubber: a profile's session
 * token never passes through the environment, yet an endpoint may echo it raw.
 */
let chain: AwsCredentialIdentityProvider | undefined;
export function chainCredentials(): AwsCredentialIdentityProvider {
  chain ??= registeringSecrets(fromNodeProviderChain());
  return chain;
}

/** True when each named override points at this machine (the run is local, e.g. simulated). */
export function isLocal(env: NodeJS.ProcessEnv, overrideVars: readonly string[]): boolean {
  return overrideVars.every((v) => LOOPBACK.test(env[v] ?? ''));
}
