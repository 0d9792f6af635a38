/**
 * Secret scrubbing for everything that leaves a probe: evidence messages, reasons, log lines.
 * A bearer token is a SigV4 presigned URL in base64, and SDK errors sometimes echo request
 * headers or presigned URLs, so every known credential form is replaced before text is kept.
 */

const REDACTED = '[redacted]';

/**
 * Order matters: whole tokens first (their decoded form holds the pieces below), then header
 * values, then query parameters, then bare key ids that may be left in free text.
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  // Short-term bearer token: `bedrock-api-key-` + base64 (may be URL-encoded).
  [/bedrock-api-key-[A-Za-z0-9+/=%._-]*/g, REDACTED],
  // Long-term API key.
  [/ABSK[A-Za-z0-9+/=._-]{8,}/g, REDACTED],
  // `Authorization: <value>` in header dumps or JSON; the value runs to the line end or quote.
  [/(\bAuthorization["']?\s*[:=]\s*["']?)[^"'\r\n]+/gi, `$1${REDACTED}`],
  // A bare `Bearer <token>` left anywhere else.
  [/(\bBearer\s+)(?!\[redacted\])[A-Za-z0-9+/=%._~-]{8,}/gi, `$1${REDACTED}`],
  // Presigned-URL and header forms of SigV4 parts.
  [/(X-Amz-Signature["']?\s*[=:]\s*["']?)[^&\s"',;]+/gi, `$1${REDACTED}`],
  [/(\bSignature=)[0-9a-fA-F]{16,}/g, `$1${REDACTED}`],
  [/((?:X-Amz-)?Credential["']?\s*[=:]\s*["']?)(?!\[redacted\])[^&\s"',;]+/gi, `$1${REDACTED}`],
  [/(X-Amz-Security-Token["']?\s*[=:]\s*["']?)[^&\s"',;]+/gi, `$1${REDACTED}`],
  // Keyed secret access keys / session tokens (config dumps, env echoes).
  [/((?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{16,}/gi, `$1${REDACTED}`],
  [/((?:aws_?)?session_?token["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=%]{16,}/gi, `$1${REDACTED}`],
  // Access key ids; no leading \b because URL-encoding glues them to the previous word (`%2FAKIA…`).
  [/(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g, REDACTED],
  // A bare 40-character secret access key: base64 alphabet with upper, lower and digit, bounded by
  // non-base64 characters (hex digests have no upper case, ids and ARNs carry `-`, `.` or `:`).
  [
    /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    REDACTED,
  ],
  // An OpenAI-style key pasted by mistake (runtime answers "Invalid API Key format" to it).
  [/\bsk-[A-Za-z0-9_-]{20,}/g, REDACTED],
];

/** Replace every known secret form in `text` with `[redacted]`; everything else is kept verbatim. */
export function scrubSecrets(text: string): string {
  return PATTERNS.reduce((acc, [re, replacement]) => acc.replace(re, replacement), text);
}

/**
 * Scrub, collapse whitespace and cut to `max` characters (ellipsis included), so a message fits
 * a table cell, a DynamoDB item and an email line. Empty or blank text becomes null.
 */
export function trimMessage(text: string | null, max = 300): string | null {
  if (!Number.isInteger(max) || max < 1) {
    throw new Error(`trimMessage: max must be a positive integer, got ${String(max)}`);
  }
  if (text === null) return null;
  // Scrub before collapsing and cutting: header patterns end at line breaks, and a cut must
  // never leave the unmatched half of a secret behind.
  const clean = scrubSecrets(text).replace(/\s+/g, ' ').trim();
  if (clean === '') return null;
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}
