import { getToken } from '@aws/bedrock-token-generator';
import { describe, expect, it } from 'vitest';
import { authError, bearerProblem, parseAuth } from '../../simulator/auth';
import type { AuthInfo } from '../../simulator/types';

const CREDENTIALS = { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' };
const SIGV4 =
  'AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR/20260501/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
  'a'.repeat(64);

function presignedToken(date: string, expires: number): string {
  const url = `bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-Expires=${expires}&X-Amz-Signature=${'b'.repeat(64)}&Version=1`;
  return `bedrock-api-key-${Buffer.from(url).toString('base64')}`;
}

describe('parseAuth', () => {
  it('accepts a real short-term token from @aws/bedrock-token-generator as a valid bearer', async () => {
    // Prepare
    const token = await getToken({ credentials: CREDENTIALS, region: 'us-east-1', expiresInSeconds: 900 });

    // Act
    const info = parseAuth({ authorization: `Bearer ${token}` }, 'mantle');

    // Assess
    expect(info).toEqual({ kind: 'bearer', valid: true });
  });

  it('reads the Anthropic SDK x-api-key header as a bearer token too', async () => {
    // Prepare
    const token = await getToken({ credentials: CREDENTIALS, region: 'us-east-1' });

    // Act
    const info = parseAuth({ 'x-api-key': token }, 'mantle');

    // Assess
    expect(info).toEqual({ kind: 'bearer', valid: true });
  });

  it('accepts a long-term ABSK key', () => {
    // Prepare
    const headers = { authorization: `Bearer ABSK${'QmVkcm9ja0FQSUtleS1hYmM6c2VjcmV0'}` };

    // Act
    const info = parseAuth(headers, 'runtime');

    // Assess
    expect(info.valid).toBe(true);
  });

  it.each([
    ['an OpenAI key', 'sk-proj-abc123', 'token does not start with bedrock-api-key-'],
    [
      'garbage after the prefix',
      'bedrock-api-key-bm90IGEgdXJs',
      'token is not a CallWithBearerToken presigned URL',
    ],
    [
      'an unsigned URL',
      `bedrock-api-key-${Buffer.from('bedrock.amazonaws.com/?Action=CallWithBearerToken').toString('base64')}`,
      'token carries no signature',
    ],
  ])('refuses %s with the reason', (_label, token, problem) => {
    // Prepare
    const headers = { authorization: `Bearer ${token}` };

    // Act
    const info = parseAuth(headers, 'runtime');

    // Assess
    expect(info).toEqual({ kind: 'bearer', valid: false, problem });
  });

  it('refuses an expired presigned token and accepts a fresh one', () => {
    // Prepare
    const expired = presignedToken('20260101T000000Z', 3600);
    const fresh = presignedToken('20260101T000000Z', 43200);
    const now = Date.parse('2026-01-01T02:00:00Z');

    // Act
    const problems = [bearerProblem(expired, now), bearerProblem(fresh, now)];

    // Assess
    expect(problems).toEqual(['token expired', null]);
  });

  it('accepts a well-formed SigV4 header and refuses a truncated one', () => {
    // Prepare
    const good = { authorization: SIGV4 };
    const bad = { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260501/us-east-1/bedrock/aws4_request' };

    // Act
    const infos = [parseAuth(good, 'control'), parseAuth(bad, 'control')];

    // Assess
    expect(infos).toEqual([
      { kind: 'sigv4', valid: true },
      { kind: 'sigv4', valid: false, problem: 'malformed SigV4 Authorization header' },
    ]);
  });

  it('reports a call without credentials as none', () => {
    // Prepare
    const headers = {};

    // Act
    const info = parseAuth(headers, 'runtime');

    // Assess
    expect(info).toEqual({ kind: 'none', valid: false, problem: 'missing credentials' });
  });
});

describe('authError', () => {
  const bad = (kind: AuthInfo['kind'], problem = 'x'): AuthInfo => ({ kind, valid: false, problem });

  it('lets a valid call through', () => {
    // Prepare
    const req = { host: 'mantle' as const, auth: { kind: 'bearer' as const, valid: true } };

    // Act
    const answer = authError(req);

    // Assess
    expect(answer).toBeNull();
  });

  it('answers mantle 401 invalid_api_key', () => {
    // Prepare
    const req = { host: 'mantle' as const, auth: bad('bearer') };

    // Act
    const answer = authError(req);

    // Assess
    expect(answer?.status).toBe(401);
    expect(JSON.parse(answer?.body ?? '{}')).toEqual({
      error: {
        code: 'invalid_api_key',
        message: 'Invalid bearer token',
        type: 'authentication_error',
        param: null,
      },
    });
  });

  it('answers a malformed runtime bearer with capital-M Message and AccessDeniedException', () => {
    // Prepare
    const req = {
      host: 'runtime' as const,
      auth: bad('bearer', 'token does not start with bedrock-api-key-'),
    };

    // Act
    const answer = authError(req);

    // Assess
    expect(answer?.status).toBe(403);
    expect(answer?.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(answer?.body).toBe('{"Message":"Invalid API Key format: Must start with pre-defined prefix"}');
  });

  it('answers an expired runtime bearer with the authentication-failed message', () => {
    // Prepare
    const req = { host: 'runtime' as const, auth: bad('bearer', 'token expired') };

    // Act
    const answer = authError(req);

    // Assess
    expect(answer?.body).toBe('{"Message":"Authentication failed: Please make sure your API Key is valid."}');
  });

  it('answers a missing token on runtime and control with MissingAuthenticationTokenException', () => {
    // Prepare
    const hosts = ['runtime', 'control'] as const;

    // Act
    const answers = hosts.map((host) => authError({ host, auth: bad('none') }));

    // Assess
    for (const answer of answers) {
      expect(answer?.status).toBe(403);
      expect(answer?.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expect(answer?.body).toBe('{"message":"Missing Authentication Token"}');
    }
  });
});
