/**
 * Reading GetFoundationModelAvailability (docs/bedrock-wire.md "Accounts on the wire"): what the
 * answer says about an account's access to one model in one region. The words the API reference
 * lists are read; any other word, a missing field or a failed call is `unknown` with the raw
 * evidence, never a guess. An SCP or IAM deny is not documented to show here, so `usable` only
 * means "nothing here says otherwise": the account's own probe confirms it.
 */
import { trimMessage } from '../scrub';
import type { ModelAvailability, OrgAccess } from './types';

/** One field's documented words; `ok` is the word that lets the account call the model. */
const FIELDS = {
  agreement: {
    name: 'agreementAvailability.status',
    ok: 'AVAILABLE',
    known: ['AVAILABLE', 'PENDING', 'NOT_AVAILABLE', 'ERROR'],
  },
  authorization: { name: 'authorizationStatus', ok: 'AUTHORIZED', known: ['AUTHORIZED', 'NOT_AUTHORIZED'] },
  entitlement: { name: 'entitlementAvailability', ok: 'AVAILABLE', known: ['AVAILABLE', 'NOT_AVAILABLE'] },
  regionAvailability: { name: 'regionAvailability', ok: 'AVAILABLE', known: ['AVAILABLE', 'NOT_AVAILABLE'] },
} as const;
type Field = keyof typeof FIELDS;

/** The answer's four fields as sent (an SDK output or a JSON body), for one model key. */
export function readAvailability(model: string, answer: unknown): ModelAvailability {
  const body = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
  const agreement = body.agreementAvailability as Record<string, unknown> | undefined;
  const word = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const agreementError = word(agreement?.errorMessage);
  return {
    model,
    agreement: word(agreement?.status),
    authorization: word(body.authorizationStatus),
    entitlement: word(body.entitlementAvailability),
    regionAvailability: word(body.regionAvailability),
    ...(agreementError ? { error: trimMessage(`agreement: ${agreementError}`) ?? 'agreement error' } : {}),
  };
}

/** A failed call for one model: its evidence, scrubbed. */
export const failedAvailability = (model: string, error: string): ModelAvailability => ({
  model,
  agreement: null,
  authorization: null,
  entitlement: null,
  regionAvailability: null,
  error: trimMessage(error) ?? 'GetFoundationModelAvailability failed',
});

export interface AvailabilityVerdict {
  readonly access: Extract<OrgAccess, 'usable' | 'no-access' | 'not-offered' | 'unknown'>;
  readonly reason: string;
}

/**
 * What the answer means. Not offered in the region beats everything (the model is not there); a
 * field saying no is `no-access` naming it; every field at its documented yes is `usable`; a word
 * outside the documented ones, a missing field or a failed call is `unknown` with what was seen.
 */
export function availabilityVerdict(a: ModelAvailability): AvailabilityVerdict {
  const seen = (Object.keys(FIELDS) as Field[])
    .map((f) => `${FIELDS[f].name} ${a[f] ?? 'absent'}`)
    .join(', ');
  if (a.agreement === null && a.authorization === null && a.error) {
    return { access: 'unknown', reason: `GetFoundationModelAvailability: ${a.error}` };
  }
  const strange = (Object.keys(FIELDS) as Field[]).filter((f) => {
    const value = a[f];
    return value === null || !(FIELDS[f].known as readonly string[]).includes(value);
  });
  if (a.regionAvailability === 'NOT_AVAILABLE') {
    return {
      access: 'not-offered',
      reason: 'GetFoundationModelAvailability regionAvailability NOT_AVAILABLE',
    };
  }
  if (strange.length > 0) {
    return { access: 'unknown', reason: `GetFoundationModelAvailability answered ${seen}: not understood` };
  }
  const refused = (['authorization', 'agreement', 'entitlement'] as const).filter(
    (f) => a[f] !== FIELDS[f].ok,
  );
  if (refused.length > 0) {
    const words = refused.map((f) => `${FIELDS[f].name} ${a[f]}`).join(', ');
    return {
      access: 'no-access',
      reason: `GetFoundationModelAvailability ${words}${a.error ? ` (${a.error})` : ''}`,
    };
  }
  return { access: 'usable', reason: 'GetFoundationModelAvailability: authorized and available' };
}

/** Two readings say the same (what a member compares before it sends). */
export const sameAvailability = (
  a: ModelAvailability | undefined,
  b: ModelAvailability | undefined,
): boolean =>
  a !== undefined &&
  b !== undefined &&
  a.agreement === b.agreement &&
  a.authorization === b.authorization &&
  a.entitlement === b.entitlement &&
  a.regionAvailability === b.regionAvailability &&
  (a.error ?? null) === (b.error ?? null);
