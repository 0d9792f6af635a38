import { describe, expect, it } from 'vitest';
import {
  availabilityVerdict,
  failedAvailability,
  readAvailability,
  sameAvailability,
} from '../../../../lambda/core/org/availability';
import type { ModelAvailability } from '../../../../lambda/core/org/types';
import { BEARER_PREFIX } from '../../../support/planted-secrets';

const MODEL = 'anthropic.claude-sonnet-4-6';

/** GetFoundationModelAvailability's answer as the API reference spells it, every field at its yes. */
const answer = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  modelId: MODEL,
  agreementAvailability: { status: 'AVAILABLE' },
  authorizationStatus: 'AUTHORIZED',
  entitlementAvailability: 'AVAILABLE',
  regionAvailability: 'AVAILABLE',
  ...over,
});

const verdictOf = (over: Record<string, unknown> = {}) =>
  availabilityVerdict(readAvailability(MODEL, answer(over)));

describe('readAvailability', () => {
  it('reads the four fields of the answer for the model key', () => {
    // Act
    const read = readAvailability(MODEL, answer({ agreementAvailability: { status: 'PENDING' } }));

    // Assess
    expect(read).toEqual({
      model: MODEL,
      agreement: 'PENDING',
      authorization: 'AUTHORIZED',
      entitlement: 'AVAILABLE',
      regionAvailability: 'AVAILABLE',
    });
  });

  it('reads a missing, empty or non-text field as null, and no answer at all as four nulls', () => {
    // Act
    const partial = readAvailability(MODEL, { authorizationStatus: '', entitlementAvailability: 7 });
    const nothing = readAvailability(MODEL, null);

    // Assess
    expect(partial).toEqual({
      model: MODEL,
      agreement: null,
      authorization: null,
      entitlement: null,
      regionAvailability: null,
    });
    expect(nothing).toEqual(partial);
  });

  it('keeps the agreement error message as scrubbed evidence', () => {
    // Prepare
    const token = `${BEARER_PREFIX}UGxhbnRlZEFncmVlbWVudEVycm9yVG9rZW4xMjM0NTY`;

    // Act
    const read = readAvailability(
      MODEL,
      answer({
        agreementAvailability: { status: 'ERROR', errorMessage: `offer failed for Bearer ${token}` },
      }),
    );

    // Assess
    expect(read.agreement).toBe('ERROR');
    expect(read.error).toMatch(/^agreement: offer failed for /);
    expect(read.error).not.toContain(token);
  });
});

describe('availabilityVerdict', () => {
  it('is usable when every field says its documented yes', () => {
    // Act
    const verdict = verdictOf();

    // Assess
    expect(verdict).toEqual({
      access: 'usable',
      reason: 'GetFoundationModelAvailability: authorized and available',
    });
  });

  it('is no-access naming the field that says no, for each documented no', () => {
    // Act
    const cases = [
      verdictOf({ authorizationStatus: 'NOT_AUTHORIZED' }),
      verdictOf({ agreementAvailability: { status: 'PENDING' } }),
      verdictOf({ agreementAvailability: { status: 'NOT_AVAILABLE' } }),
      verdictOf({ entitlementAvailability: 'NOT_AVAILABLE' }),
    ];

    // Assess
    expect(cases).toEqual([
      {
        access: 'no-access',
        reason: 'GetFoundationModelAvailability authorizationStatus NOT_AUTHORIZED',
      },
      {
        access: 'no-access',
        reason: 'GetFoundationModelAvailability agreementAvailability.status PENDING',
      },
      {
        access: 'no-access',
        reason: 'GetFoundationModelAvailability agreementAvailability.status NOT_AVAILABLE',
      },
      {
        access: 'no-access',
        reason: 'GetFoundationModelAvailability entitlementAvailability NOT_AVAILABLE',
      },
    ]);
  });

  it('names every field that says no, and the agreement error when there is one', () => {
    // Act
    const verdict = verdictOf({
      authorizationStatus: 'NOT_AUTHORIZED',
      agreementAvailability: { status: 'ERROR', errorMessage: 'Marketplace subscription failed' },
    });

    // Assess
    expect(verdict).toEqual({
      access: 'no-access',
      reason:
        'GetFoundationModelAvailability authorizationStatus NOT_AUTHORIZED, agreementAvailability.status ERROR (agreement: Marketplace subscription failed)',
    });
  });

  it('is not-offered when the region does not have the model, whatever the other fields say', () => {
    // Act
    const plain = verdictOf({ regionAvailability: 'NOT_AVAILABLE' });
    const withNo = verdictOf({ regionAvailability: 'NOT_AVAILABLE', authorizationStatus: 'NOT_AUTHORIZED' });

    // Assess
    expect(plain).toEqual({
      access: 'not-offered',
      reason: 'GetFoundationModelAvailability regionAvailability NOT_AVAILABLE',
    });
    expect(withNo.access).toBe('not-offered');
  });

  it('is unknown with what was seen for an undocumented word, never usable or no-access', () => {
    // Act
    const strangeYes = verdictOf({ authorizationStatus: 'AUTHORIZED_LIMITED' });
    const strangeNo = verdictOf({
      authorizationStatus: 'NOT_AUTHORIZED',
      entitlementAvailability: 'REVOKED',
    });

    // Assess
    expect(strangeYes).toEqual({
      access: 'unknown',
      reason:
        'GetFoundationModelAvailability answered agreementAvailability.status AVAILABLE, authorizationStatus AUTHORIZED_LIMITED, entitlementAvailability AVAILABLE, regionAvailability AVAILABLE: not understood',
    });
    expect(strangeNo.access).toBe('unknown');
    expect(strangeNo.reason).toContain('entitlementAvailability REVOKED');
  });

  it('is unknown naming the absent field when one is missing', () => {
    // Act
    const verdict = verdictOf({ regionAvailability: undefined });

    // Assess
    expect(verdict.access).toBe('unknown');
    expect(verdict.reason).toContain('regionAvailability absent');
  });

  it('is unknown with the evidence when the call failed, the evidence scrubbed', () => {
    // Prepare
    const token = `${BEARER_PREFIX}UGxhbnRlZEZhaWxlZENhbGxUb2tlbjEyMzQ1Njc4OTA`;
    const failed = failedAvailability(MODEL, `ThrottlingException: Rate exceeded (Bearer ${token})`);

    // Act
    const verdict = availabilityVerdict(failed);

    // Assess
    expect(verdict.access).toBe('unknown');
    expect(verdict.reason).toMatch(/^GetFoundationModelAvailability: ThrottlingException: Rate exceeded/);
    expect(verdict.reason).not.toContain(token);
  });
});

describe('sameAvailability', () => {
  const reading: ModelAvailability = readAvailability(MODEL, answer());

  it('says two readings with the same four fields are the same', () => {
    // Act
    const same = sameAvailability(reading, readAvailability(MODEL, answer()));

    // Assess
    expect(same).toBe(true);
  });

  it('says readings differing in any one field, or in the error, are not the same', () => {
    // Prepare
    const others: ModelAvailability[] = [
      { ...reading, agreement: 'PENDING' },
      { ...reading, authorization: 'NOT_AUTHORIZED' },
      { ...reading, entitlement: 'NOT_AVAILABLE' },
      { ...reading, regionAvailability: 'NOT_AVAILABLE' },
      { ...reading, error: 'agreement: failed' },
    ];

    // Act
    const results = others.map((other) => sameAvailability(reading, other));

    // Assess
    expect(results).toEqual([false, false, false, false, false]);
  });

  it('says a reading is never the same as no reading', () => {
    // Act
    const results = [
      sameAvailability(reading, undefined),
      sameAvailability(undefined, reading),
      sameAvailability(undefined, undefined),
    ];

    // Assess
    expect(results).toEqual([false, false, false]);
  });
});
