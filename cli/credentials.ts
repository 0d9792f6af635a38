/**
 * Local endpoints (the simulator, DynamoDB Local) check the shape of a signature, not its secret.
 * When every endpoint a command uses is overridden to this machine and no AWS credentials are
 * configured, placeholder credentials let it run with no AWS account at all. Otherwise the
 * default chain, whose resolved secrets are registered with the one scrubber.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { registeringSecrets } from '../lambda/core/scrub';
import { UsageError } from './options';

export const PLACEHOLDER_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'AKIDLOCALBEDROCKMATRIX',
  secretAccessKey: 'local-endpoints-check-signature-shape-only',
};

/**
 * This machine, or a name under `.invalid`, which never resolves (RFC 6761): the demo's region
 * without a mantle host. Neither sends a request, or a signature, anywhere else.
 */
const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\]|[a-z0-9.-]+\.invalid)(:\d+)?(\/|$)/;

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

/**
 * How long the credentials check waits for the chain. Environment, profile and SSO answer at
 * once; only the instance-metadata probe at the end of the chain goes to the network, and off
 * EC2 it fails fast or not at all, so a short wait is a verdict, not a guess.
 */
export const CREDENTIALS_CHECK_MS = 2000;

export interface CredentialsCheckOptions {
  /** @default CREDENTIALS_CHECK_MS */
  readonly timeoutMs?: number;
  /** @default the current time */
  readonly now?: Date;
}

/**
 * Resolve the credentials a command will sign with before it does any work, so a missing or
 * expired login is one line naming the cause and the fix (exit 2), not four SDK traces, an empty
 * report and "no catalog answered". Placeholder credentials (every endpoint local) pass as they are.
 */
export async function checkCredentials(
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  env: NodeJS.ProcessEnv,
  opts: CredentialsCheckOptions = {},
): Promise<void> {
  if (typeof credentials !== 'function') return;
  const timeoutMs = opts.timeoutMs ?? CREDENTIALS_CHECK_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CredentialsTimeout(timeoutMs)), timeoutMs);
  });
  let resolved: AwsCredentialIdentity;
  try {
    resolved = await Promise.race([credentials(), timeout]);
  } catch (err) {
    throw new UsageError(credentialsProblem(err, env));
  } finally {
    clearTimeout(timer);
  }
  const now = opts.now ?? new Date();
  if (resolved.expiration && resolved.expiration.getTime() <= now.getTime()) {
    throw new UsageError(
      `the AWS credentials expired at ${resolved.expiration.toISOString()}: ${loginFix(env)}, then try again`,
    );
  }
}

class CredentialsTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

const profileOf = (env: NodeJS.ProcessEnv): string | undefined => env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE;

const loginFix = (env: NodeJS.ProcessEnv): string => {
  const profile = profileOf(env);
  return profile
    ? `run \`aws sso login --profile ${profile}\` (or refresh profile "${profile}")`
    : 'run `aws sso login` (or `aws configure`), or set AWS_PROFILE to a profile that has credentials';
};

/** The one line for a chain that gave no usable credentials: what was tried, why, what to run. */
export function credentialsProblem(err: unknown, env: NodeJS.ProcessEnv): string {
  const profile = profileOf(env);
  const tried = `the AWS SDK's default chain: environment variables, ${
    profile ? `profile "${profile}"` : 'the default profile in ~/.aws'
  }, SSO, web identity, container and instance metadata`;
  const simulator = '; `npm start` runs against the local simulator with no AWS account';
  if (err instanceof CredentialsTimeout)
    return `no AWS credentials within ${err.ms / 1000} s (tried ${tried}): ${loginFix(env)}${simulator}`;
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]?.trim() ?? '';
  if (/expired|ExpiredToken/i.test(message))
    return `the AWS credentials have expired (${message}): ${loginFix(env)}, then try again`;
  if (/could not load credentials from any providers/i.test(message) || message === '')
    return `no AWS credentials found (tried ${tried}): ${loginFix(env)}${simulator}`;
  return `AWS credentials could not be loaded (${message}; tried ${tried}): ${loginFix(env)}`;
}
