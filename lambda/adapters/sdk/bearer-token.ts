/**
 * Short-term Bedrock API keys (`bedrock-api-key-…`) for the OpenAI-compatible and Messages
 * paths, minted locally by @aws/bedrock-token-generator from the caller's credentials and
 * refreshed before they expire. Version 1.1.0 has no refreshing provider of its own, so the
 * cache lives here. The token only ever lives in this closure and in request headers.
 */

import { getToken } from '@aws/bedrock-token-generator';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface BearerTokenOptions {
  readonly region: string;
  /** @default the Node default credential chain */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Requested life; the real life is also capped by the credentials' expiry. @default 3600 */
  readonly expiresInSeconds?: number;
  /** Mint a new token this long before the old one would expire. @default 300 */
  readonly refreshBeforeSeconds?: number;
  readonly now?: () => number;
  /** For tests. @default getToken from @aws/bedrock-token-generator */
  readonly mint?: typeof getToken;
}

export type TokenProvider = () => Promise<string>;

export function createBearerTokenProvider(options: BearerTokenOptions): TokenProvider {
  const expiresInSeconds = options.expiresInSeconds ?? 3600;
  const refreshMs = (options.refreshBeforeSeconds ?? 300) * 1000;
  const now = options.now ?? Date.now;
  const mint = options.mint ?? getToken;
  const credentials = options.credentials ?? fromNodeProviderChain();
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  return async () => {
    if (cached && now() < cached.expiresAt - refreshMs) return cached.token;
    // One mint at a time: concurrent probes share the refresh instead of each signing anew.
    pending ??= (async () => {
      try {
        const creds = typeof credentials === 'function' ? await credentials() : credentials;
        const credentialExpiry = creds.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
        const token = await mint({ credentials: creds, region: options.region, expiresInSeconds });
        cached = { token, expiresAt: Math.min(now() + expiresInSeconds * 1000, credentialExpiry) };
        return token;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };
}
