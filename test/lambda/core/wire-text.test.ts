import { describe, expect, it } from 'vitest';
import { classify } from '../../../lambda/core/classify';
import { findCandidates } from '../../../lambda/core/diff';
import { cellId, emptyEvidence } from '../../../lambda/core/model';
import { type ConfirmedCell, emptyConfirmedState } from '../../../lambda/core/ports';
import { isRetryable, refusalKind } from '../../../lambda/core/wire-text';
import { observation } from '../../support/observation';

describe('retry and refusal helpers', () => {
  it.each([
    ['timeout', observation({ httpStatus: null, timedOut: true }), true],
    ['connection error', observation({ httpStatus: null, errorName: 'ECONNRESET' }), true],
    ['429', observation({ httpStatus: 429 }), true],
    ['500', observation({ httpStatus: 500 }), true],
    ['503', observation({ httpStatus: 503, errorName: 'ServiceUnavailableException' }), true],
    ['400', observation({ httpStatus: 400, message: 'The provided model identifier is invalid.' }), false],
    [
      '403 auth',
      observation({
        httpStatus: 403,
        message: 'Authentication failed: Please make sure your API Key is valid.',
      }),
      false,
    ],
    ['200', observation({}), false],
    // The daily token cap does not lift within a run (quotas-runtime.html): no retry.
    [
      '429 daily token quota',
      observation({
        httpStatus: 429,
        errorName: 'ThrottlingException',
        message: 'Too many tokens per day, please wait before trying again.',
      }),
      false,
    ],
  ] as const)('isRetryable(%s) = %s', (_label, obs, expected) => {
    // Prepare: the observation above

    // Act
    const retry = isRetryable(obs);

    // Assess
    expect(retry).toBe(expected);
  });

  it('gives no refusal kind to successes, transient failures, access denials and not-found', () => {
    // Prepare
    const shapes = [
      observation({}),
      observation({ httpStatus: 429, errorName: 'ThrottlingException' }),
      observation({ httpStatus: null, timedOut: true }),
      observation({
        httpStatus: 403,
        message: "You don't have access to the model with the specified model ID.",
      }),
      observation({ httpStatus: 404, message: "The model 'x' does not exist" }),
    ];

    // Act
    const kinds = shapes.map(refusalKind);

    // Assess
    expect(kinds).toEqual([null, null, null, null, null]);
  });
});

describe('the daily token quota (quotas-runtime: Cross-Model Max Tokens Per Day)', () => {
  it('is throttled with the quota named, and never moves a confirmed cell', () => {
    // Prepare: a confirmed supported cell, then a 429 naming the daily cap
    const obs = observation({
      endpoint: 'mantle',
      api: 'chat',
      route: '/v1',
      modelId: 'm.a',
      httpStatus: 429,
      errorName: 'rate_limit_error',
      message: 'Too many tokens per day, please wait before trying again.',
    });
    const cell = {
      region: 'us-east-1',
      model: 'm.a',
      endpoint: 'mantle',
      api: 'chat',
      variant: 'basic',
    } as const;
    const confirmed = emptyConfirmedState();
    const since = '2026-12-01T00:00:00.000Z';
    (confirmed.cells as Map<string, ConfirmedCell>).set(cellId(cell), {
      ...cell,
      status: 'supported',
      route: '/v1',
      modelId: 'm.a',
      since,
      lastSeen: since,
      lastRunId: 'run-1',
      evidence: emptyEvidence({ httpStatus: 200 }),
    });

    // Act
    const { status, evidence } = classify(obs, { blockedMessages: [] });
    const candidates = findCandidates(confirmed, [{ ...cell, status, evidence }]);

    // Assess
    expect(status).toBe('throttled');
    expect(evidence.reason).toContain('daily token quota spent');
    expect(candidates).toEqual([]);
  });
});
