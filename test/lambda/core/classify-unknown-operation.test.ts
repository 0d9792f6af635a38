/**
 * "Unknown operation" decides over the bare status code, in every wire shape: a runtime 404 whose
 * body is the raw XML `<UnknownOperationException/>` (no error-type header) is `unsupported` (the
 * host does not serve this api), not `not-found`. Served on loopback and read by the real SDKs.
 */
import { describe, expect, it } from 'vitest';
import { classify } from '../../../lambda/core/classify';
import type { Api } from '../../../lambda/core/model';
import { refusalKind } from '../../../lambda/core/wire-text';
import { DEFAULTS } from '../../../lambda/shared/names';
import { useEnvelopeProber } from '../../support/envelope-prober';
import { observation } from '../../support/observation';

const CTX = { blockedMessages: [] };

describe('a raw XML UnknownOperationException 404 through the real SDKs', () => {
  const wire = useEnvelopeProber();

  const cases: readonly (readonly [Api, string | null])[] = [
    ['chat', '/openai/v1'],
    ['responses', '/openai/v1'],
    ['messages', '/anthropic/v1'],
    ['converse', null],
  ];
  it.each(cases)('runtime %s: unsupported, decided by the raw body over HTTP 404', async (api, route) => {
    // Prepare
    wire.server.answer({
      status: 404,
      headers: { 'content-type': 'text/xml' },
      body: '<UnknownOperationException/>\n',
    });

    // Act
    const obs = await wire.probe(
      {
        region: 'us-east-1',
        modelKey: 'anthropic.claude-sonnet-5',
        modelId: 'anthropic.claude-sonnet-5',
        endpoint: 'runtime',
        api,
        variant: 'basic',
        route,
        family: 'anthropic',
        maxTokens: 16,
        guardrail: null,
        canary: DEFAULTS.canary,
      },
      new AbortController().signal,
    );
    const got = classify(obs, CTX);

    // Assess
    expect(got.status).toBe('unsupported');
    expect(got.evidence.reason).toContain('unknown operation (decided by the raw body, over HTTP 404)');
    expect(got.refusal).toBe('api-unsupported');
  });
});

describe('unknown operation in every other wire shape decides over a 404', () => {
  const base = {
    endpoint: 'runtime' as const,
    api: 'chat' as const,
    route: '/openai/v1',
    httpStatus: 404,
    modelId: 'openai.gpt-oss-120b-1:0',
  };
  it.each([
    ['error name', observation({ ...base, errorName: 'UnknownOperationException' })],
    [
      'x-amzn-ErrorType header',
      observation({
        ...base,
        errorName: 'NotFoundError',
        headers: { 'x-amzn-errortype': 'UnknownOperationException:' },
      }),
    ],
    [
      'error type',
      observation({ ...base, body: { __type: 'com.amazon.coral.service#UnknownOperationException' } }),
    ],
    ['error message', observation({ ...base, body: { message: 'Unknown operation' } })],
    ['raw body', observation({ ...base, body: 'UnknownOperationException' })],
  ])('%s', (where, obs) => {
    // Act
    const got = classify(obs, CTX);

    // Assess
    expect(got.status).toBe('unsupported');
    expect(got.evidence.reason).toContain(`decided by the ${where}`);
    expect(refusalKind(obs)).toBe('api-unsupported');
  });

  it('a plain 404 with no such word stays not-found', () => {
    // Prepare
    const obs = observation({ ...base, api: 'messages', route: '/anthropic/v1', body: 'Not Found' });

    // Act
    const got = classify(obs, CTX);

    // Assess
    expect(got.status).toBe('not-found');
  });
});
