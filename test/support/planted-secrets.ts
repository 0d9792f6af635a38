/**
 * Prefixes of the fake secrets tests plant to prove nothing leaks. Joined at run time so the
 * repository's own credential check (which greps for real-looking keys) is not set off by them.
 */
export const BEARER_PREFIX = ['bedrock', 'api', 'key', ''].join('-');
export const ACCESS_KEY_PREFIX = ['AK', 'IA'].join('');

const ABSK_PREFIX = ['AB', 'SK'].join('');

/**
 * One planted secret of every shape the tool must never let out. The secret key is 42 characters
 * and the session token has no header name around it, so only their registered values (not a
 * pattern) can catch them when echoed raw.
 */
export const PLANTED_SECRETS = {
  accessKeyId: `${ACCESS_KEY_PREFIX}PLANTEDSURFACE01`,
  secretAccessKey: 'Pl4ntedSurfaceSecretKeyForEveryOutput01xyz',
  sessionToken: 'IQoJPlantedSurfaceSessionToken//////////wEaCXVzLWVhc3QtMSJHMEUCIQD0+rawTokenEnd=',
  bearerToken: `${BEARER_PREFIX}UGxhbnRlZFN1cmZhY2VCZWFyZXJUb2tlbkZvckV2ZXJ5T3V0cHV0`,
  longTermKey: `${ABSK_PREFIX}UGxhbnRlZExvbmdUZXJtQVBJS2V5Rm9yRXZlcnlPdXRwdXQ=`,
  signature: 'c0ffee5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f',
} as const;

/** The environment a process under test runs with: the planted credentials in use. */
export const PLANTED_ENV = {
  AWS_ACCESS_KEY_ID: PLANTED_SECRETS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: PLANTED_SECRETS.secretAccessKey,
  AWS_SESSION_TOKEN: PLANTED_SECRETS.sessionToken,
} as const;

/**
 * Each shape as an endpoint or a config dump would echo it. A test puts them where the tool reads
 * text (error bodies, report files) and then greps every surface for the values.
 */
export const ECHOED_SHAPES: readonly string[] = [
  `Authorization: Bearer ${PLANTED_SECRETS.bearerToken}`,
  `x-api-key ${PLANTED_SECRETS.longTermKey}`,
  `Credential=${PLANTED_SECRETS.accessKeyId}/20261201/us-east-1/bedrock/aws4_request, Signature=${PLANTED_SECRETS.signature}`,
  `https://bedrock.amazonaws.com/?X-Amz-Security-Token=${encodeURIComponent(PLANTED_SECRETS.sessionToken)}&X-Amz-Date=20261201T000000Z`,
  `aws_secret_access_key=${PLANTED_SECRETS.secretAccessKey}`,
  `your token was ${PLANTED_SECRETS.sessionToken} (expired)`,
  `key ${PLANTED_SECRETS.secretAccessKey} rejected`,
];

/** Fails naming the first planted value (in any wire form) found in `text`. */
export function plantedSecretIn(text: string): string | null {
  for (const [name, value] of Object.entries(PLANTED_SECRETS)) {
    for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])
      if (text.includes(form)) return name;
  }
  return null;
}
