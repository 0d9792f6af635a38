import { describe, expect, it } from 'vitest';
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
