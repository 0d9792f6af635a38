/**
 * Short-term Bedrock API keys (`bedrock-api-key-…`) for the OpenAI-compatible and Messages paths,
 * minted locally by @aws/bedrock-token-generator from the caller's AWS credentials (no network
 * call) and refreshed before they expire. The installed version (1.1.0) exports only `getToken`,
 * `getTokenProvider` and the legacy class (no `getRefreshingTokenProvider`), so the cache lives
 * here. The token only ever lives in this closure and in request headers: never log it.
 */
import { getToken } from '@aws/bedrock-token-generator';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** An async bearer-token source, the shape both `openai` and `@anthropic-ai/sdk` take as `apiKey`. */
export type TokenProvider = () => Promise<string>;

export interface BearerTokenOptions {
  /** The region the token is valid in (short-term keys only work where they were minted). */
  readonly region: string;
  /** @default the Node default credential chain (`fromNodeProviderChain`) */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Requested life; the real life is also capped by the credentials' own expiry. @default 3600 */
  readonly expiresInSeconds?: number;
  /** Mint a new token this long before the old one would expire. @default 300 */
  readonly refreshBeforeSeconds?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
  /** Token minting, for tests. @default getToken from @aws/bedrock-token-generator */
  readonly mint?: typeof getToken;
}

/** 12 h: the longest life the token generator accepts (docs/bedrock-wire.md). */
const MAX_EXPIRES_IN_SECONDS = 43_200;

export function createBearerTokenProvider(options: BearerTokenOptions): TokenProvider {
  const expiresInSeconds = options.expiresInSeconds ?? 3600;
  if (
    !Number.isInteger(expiresInSeconds) ||
    expiresInSeconds <= 0 ||
    expiresInSeconds > MAX_EXPIRES_IN_SECONDS
  ) {
    throw new Error(
      `bearer token expiresInSeconds must be an integer in 1..${MAX_EXPIRES_IN_SECONDS}, got ${expiresInSeconds}`,
    );
  }
  const refreshBeforeSeconds = options.refreshBeforeSeconds ?? 300;
  if (!Number.isFinite(refreshBeforeSeconds) || refreshBeforeSeconds < 0) {
    throw new Error(`bearer token refreshBeforeSeconds must be >= 0, got ${refreshBeforeSeconds}`);
  }
  if (!options.region) throw new Error(`bearer token region must be set, got '${options.region}'`);
  const refreshMs = refreshBeforeSeconds * 1000;
  const now = options.now ?? Date.now;
  const mint = options.mint ?? getToken;
  const credentials = options.credentials ?? fromNodeProviderChain();
  let cached: { readonly token: string; readonly expiresAt: number } | undefined;
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
