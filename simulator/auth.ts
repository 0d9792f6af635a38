/**
 * How the simulator checks callers: only the SHAPE of credentials (there is no secret to verify
 * against), so a real SDK configured the real way passes and a mis-configured one fails the way
 * AWS would fail it. Nothing here keeps or echoes the token or signature.
 */
import { randomUUID } from 'node:crypto';
import type { AuthInfo, Host, SimRequest } from './types';

const BEARER_PREFIX = 'bedrock-api-key-';
/** Long-term Bedrock API keys (service-specific credentials) start with ABSK. */
const LONG_TERM_KEY = /^ABSK[A-Za-z0-9+/=_-]{16,}$/;
const SIGV4 =
  /^AWS4-HMAC-SHA256\s+Credential=[^/\s,]+\/\d{8}\/[a-z0-9-]+\/[a-z0-9-]+\/aws4_request,\s*SignedHeaders=[a-z0-9;:-]+,\s*Signature=[0-9a-f]{64}$/;

export interface AuthErrorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Parse how a call authenticated. Bearer tokens arrive as `Authorization: Bearer …` (openai SDK,
 * AWS SDK with AWS_BEARER_TOKEN_BEDROCK) or `x-api-key` (the Anthropic SDK's apiKey), both accepted.
 */
export function parseAuth(
  headers: Readonly<Record<string, string | undefined>>,
  host: Host | 'control',
): AuthInfo {
  const authorization = headers.authorization?.trim();
  if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
    return SIGV4.test(authorization)
      ? { kind: 'sigv4', valid: true }
      : { kind: 'sigv4', valid: false, problem: 'malformed SigV4 Authorization header' };
  }
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? headers['x-api-key']?.trim();
  if (bearer === undefined || bearer === '') {
    if (authorization) return { kind: 'none', valid: false, problem: 'unrecognised Authorization scheme' };
    return { kind: 'none', valid: false, problem: 'missing credentials' };
  }
  const problem = bearerProblem(bearer, Date.now());
  // host is part of the contract so per-host rules can differ; today every host reads tokens alike.
  void host;
  return problem === null ? { kind: 'bearer', valid: true } : { kind: 'bearer', valid: false, problem };
}

/** Why a bearer token is not a well-formed Bedrock API key, or null when it is. */
export function bearerProblem(token: string, nowMs: number): string | null {
  if (LONG_TERM_KEY.test(token)) return null;
  if (!token.startsWith(BEARER_PREFIX)) return 'token does not start with bedrock-api-key-';
  const decoded = Buffer.from(token.slice(BEARER_PREFIX.length), 'base64').toString('utf8');
  if (!decoded.includes('Action=CallWithBearerToken'))
    return 'token is not a CallWithBearerToken presigned URL';
  if (!decoded.includes('X-Amz-Signature=')) return 'token carries no signature';
  const params = new URLSearchParams(decoded.slice(decoded.indexOf('?') + 1));
  const date = params.get('X-Amz-Date');
  const expires = Number(params.get('X-Amz-Expires'));
  if (date && Number.isFinite(expires)) {
    const signedAt = Date.parse(
      `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
    );
    if (Number.isFinite(signedAt) && signedAt + expires * 1000 < nowMs) return 'token expired';
  }
  return null;
}

/**
 * The host's answer to a call whose credentials it refuses, or null when the call may proceed.
 * Mantle takes a bearer token or SigV4 (docs/bedrock-wire.md); runtime takes SigV4 or bearer; control
 * plane takes SigV4 or bearer (API keys cover Bedrock control-plane actions too).
 */
export function authError(req: Pick<SimRequest, 'host' | 'auth'>): AuthErrorResponse | null {
  const { auth, host } = req;
  if (auth.valid) return null;
  if (host === 'mantle') {
    return {
      status: 401,
      headers: { 'content-type': 'application/json', 'x-request-id': randomUUID() },
      body: JSON.stringify({
        error: {
          code: 'invalid_api_key',
          message: 'Invalid bearer token',
          type: 'authentication_error',
          param: null,
        },
      }),
    };
  }
  const awsHeaders = (type: string) => ({
    'content-type': 'application/json',
    'x-amzn-errortype': type,
    'x-amzn-requestid': randomUUID(),
  });
  if (auth.kind === 'bearer') {
    const expired = auth.problem === 'token expired';
    return {
      status: 403,
      headers: awsHeaders('AccessDeniedException'),
      // Capital M: this is how the runtime's bearer-token front door spells it (docs/bedrock-wire.md).
      body: JSON.stringify({
        Message: expired
          ? 'Authentication failed: Please make sure your API Key is valid.'
          : 'Invalid API Key format: Must start with pre-defined prefix',
      }),
    };
  }
  if (auth.kind === 'sigv4') {
    return {
      status: 403,
      headers: awsHeaders('IncompleteSignatureException'),
      body: JSON.stringify({
        message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
      }),
    };
  }
  return {
    status: 403,
    headers: awsHeaders('MissingAuthenticationTokenException'),
    body: JSON.stringify({ message: 'Missing Authentication Token' }),
  };
}
