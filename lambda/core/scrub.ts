/**
 * The one secret scrubber for everything that leaves the process: evidence, reports of every
 * format, store items, alerts, log lines and error messages. A bearer token is a SigV4 presigned
 * URL in base64, and SDK errors and endpoints sometimes echo request headers, presigned URLs or a
 * bare credential value, so every known credential form is replaced before text is kept, and so
 * is every value registered at run time (the session token and secret key in use).
 */
import { mapStringsDeep } from './deep-strings';

const REDACTED = '[redacted]';

/**
 * A placeholder a reader fills in, not a value: `$VAR`, `${VAR}` or `<token>`. Printed snippets
 * carry them (`Authorization: Bearer $AWS_BEARER_TOKEN_BEDROCK`) and must reach the reader as
 * written, so a keyed pattern leaves a value alone when the whole value is one placeholder. Only
 * the whole value: `$X/rest` or `<a> rest` is scrubbed as before, and a real token never starts
 * with `$` or `<`.
 */
const PLACEHOLDER = String.raw`(?:\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\}|<[A-Za-z][A-Za-z0-9_ -]{0,40}>)`;
/** A keyed value that is a placeholder up to the value's end (a quote, a separator, the line end). */
const NOT_PLACEHOLDER = String.raw`(?!${PLACEHOLDER}(?=[\s"'\`,;&)]|$))`;
/**
 * An `Authorization` value runs to the line end, so only a placeholder ending at a quote (raw or
 * HTML-escaped: the HTML report passes the scrubber again as a whole) or the line end is one; a
 * bare scheme word (`Authorization: Bearer` in prose) holds no value at all.
 */
const AUTH_VALUE_END = String.raw`(?=["'\`\r]|&(?:quot|#0?39|apos);|$)`;
const AUTH_NOT_VALUE = String.raw`(?!(?:Bearer\s+)?${PLACEHOLDER}${AUTH_VALUE_END})(?!Bearer${AUTH_VALUE_END})`;
/** `(key)value`, where a value that is a placeholder is left as it is. */
const keyed = (key: string, value: string, flags = 'gi'): RegExp =>
  new RegExp(`(${key})${NOT_PLACEHOLDER}${value}`, flags);

/**
 * Order matters: whole tokens first (their decoded form holds the pieces below), then header
 * values, then query parameters, then bare key ids that may be left in free text.
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  // Short-term bearer token: `bedrock-api-key-` + base64 (may be URL-encoded).
  [/bedrock-api-key-[A-Za-z0-9+/=%._-]*/g, REDACTED],
  // Long-term API key.
  [/ABSK[A-Za-z0-9+/=._-]{8,}/g, REDACTED],
  // `Authorization: <value>` in header dumps or JSON; the value runs to the line end or quote. It
  // starts at a non-blank, so the key's `\s*` cannot back off to slip a placeholder past the check.
  [
    new RegExp(
      String.raw`(\bAuthorization["']?\s*[:=]\s*["']?)${AUTH_NOT_VALUE}[^\s"'\`][^"'\`\r\n]*`,
      'gim',
    ),
    `$1${REDACTED}`,
  ],
  // A bare `Bearer <token>` left anywhere else.
  [/(\bBearer\s+)(?!\[redacted\])[A-Za-z0-9+/=%._~-]{8,}/gi, `$1${REDACTED}`],
  // Presigned-URL and header forms of SigV4 parts.
  [/(X-Amz-Signature["']?\s*[=:]\s*["']?)[^&\s"',;]+/gi, `$1${REDACTED}`],
  [/(\bSignature=)[0-9a-fA-F]{16,}/g, `$1${REDACTED}`],
  [
    keyed(String.raw`(?:X-Amz-)?Credential["']?\s*[=:]\s*["']?`, String.raw`(?!\[redacted\])[^&\s"',;]+`),
    `$1${REDACTED}`,
  ],
  [
    keyed(String.raw`X-Amz-Security-Token["']?\s*[=:]\s*["']?`, String.raw`(?!\[redacted\])[^&\s"',;]+`),
    `$1${REDACTED}`,
  ],
  // Keyed secret access keys / session tokens (config dumps, env echoes, `aws configure` files).
  [
    keyed(
      String.raw`(?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?`,
      String.raw`(?!\[redacted\])[^\s"',;&]{8,}`,
    ),
    `$1${REDACTED}`,
  ],
  [
    keyed(
      String.raw`(?:aws_?)?session_?token["']?\s*[:=]\s*["']?`,
      String.raw`(?!\[redacted\])[^\s"',;&]{8,}`,
    ),
    `$1${REDACTED}`,
  ],
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

/**
 * Environment variables whose values are secrets in use: an endpoint may echo the raw value
 * with no header name around it, which no pattern can recognise, so the values themselves are
 * registered at start-up.
 */
const SECRET_ENV_VARS = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK'] as const;

/**
 * Shorter values would redact ordinary words; real secret keys are 40 characters and session
 * tokens hundreds.
 */
const MIN_SECRET_LENGTH = 12;

/** Registered values, and all their wire forms longest first so no half of one survives. */
const registered = new Set<string>();
let forms: string[] = [];

const wireForms = (value: string): string[] => [
  ...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]),
];

function rebuildForms(): void {
  forms = [...new Set([...registered].flatMap(wireForms))].sort((a, b) => b.length - a.length);
}

/**
 * Remember a secret value in use (a session token, a secret key) so that `scrubSecrets` removes
 * it wherever it appears: raw, URL-encoded or JSON-escaped. Blank and short values are ignored.
 * Returns a function that forgets it again (the end of a CLI command; tests).
 */
export function registerSecret(value: string | null | undefined): () => void {
  const v = value?.trim() ?? '';
  if (v.length < MIN_SECRET_LENGTH || registered.has(v)) return () => {};
  registered.add(v);
  rebuildForms();
  return () => forgetSecret(v);
}

/** Stop removing `value` (a credential that was rotated away; tests). */
export function forgetSecret(value: string): void {
  if (registered.delete(value.trim())) rebuildForms();
}

/** Registers the values of `SECRET_ENV_VARS` found in `env`; returns one function forgetting them all. */
export function registerSecretsFromEnv(env: Readonly<Record<string, string | undefined>>): () => void {
  const forget = SECRET_ENV_VARS.map((name) => registerSecret(env[name]));
  return () => {
    for (const f of forget) f();
  };
}

/**
 * Wraps a credential provider so that every credential it hands out is registered before any
 * client signs with it (credentials from a profile, SSO or a container never pass the env).
 */
export function registeringSecrets<T extends { secretAccessKey: string; sessionToken?: string }>(
  provider: () => Promise<T>,
): () => Promise<T> {
  return async () => {
    const credentials = await provider();
    registerSecret(credentials.secretAccessKey);
    registerSecret(credentials.sessionToken);
    return credentials;
  };
}

/** Replace every known secret form and every registered value in `text` with `[redacted]`. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return PATTERNS.reduce((acc, [re, replacement]) => acc.replace(re, replacement), out);
}

/**
 * Every string in a JSON-like value scrubbed (keys included). Parts without a secret are returned
 * as they are, so `scrubDeep(x) === x` tells that nothing was found.
 */
export function scrubDeep<T>(value: T): T {
  return mapStringsDeep(value, scrubSecrets);
}

/**
 * Scrub a whole output text. A JSON document is scrubbed value by value and re-serialised only
 * when something was found, because a pattern run over JSON text could eat an escaped quote.
 */
export function scrubOutput(text: string): string {
  const head = text.trimStart()[0];
  if (head === '{' || head === '[') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return scrubSecrets(text);
    }
    const clean = scrubDeep(parsed);
    if (clean === parsed) return text;
    // Keep the document's layout: a log line stays one line, a report keeps its 2-space indent.
    const indent = text.trim().includes('\n') ? 2 : undefined;
    return `${JSON.stringify(clean, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
  }
  return scrubSecrets(text);
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
