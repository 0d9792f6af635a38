/**
 * What the wire says when it refuses: the error texts, names and codes Bedrock's hosts answer with
 * (each recorded in docs/bedrock-wire.md), the error facts of a body in every shape, and the
 * questions the engine and classify ask of a failure (auth, retryable, which kind of refusal).
 * classify.ts turns these facts into a status; nothing here decides one.
 */
import type { Observation } from './model';

/** Why a refusal might be wrong-route / wrong-id rather than a real "unsupported". */
export type Refusal =
  | 'wrong-route'
  | 'api-unsupported'
  | 'needs-profile'
  | 'action-unsupported'
  /** Runtime `/openai/v1` 404 `model_not_found`: unknown model OR api not supported; see ambiguous.ts. */
  | 'ambiguous-not-found'
  | null;

// Apostrophes arrive as ASCII or U+2019 (docs/bedrock-wire.md), so `isn.t` / `doesn.t` match both.
export const WIRE_TEXT = {
  apiUnsupported: /does not support the '[^']*' API/i,
  wrongRoute: /isn.t supported on this route/i,
  notEnabled: /is not enabled/i,
  modelAccessNotEnabled: /model access is not enabled/i,
  needsProfile:
    /on-demand throughput isn.t supported|retry your request with the id or arn of an inference profile/i,
  actionUnsupported: /this action doesn.t support the model/i,
  invalidIdentifier: /provided model identifier is invalid/i,
  doesNotExist: /the model '[^']*' does not exist|model .{0,80}does not exist/i,
  endOfLife: /reached the end of its life/i,
  legacy: /marked by provider as legacy/i,
  noAccess: /you don.t have access to the model/i,
  unknownOperation: /UnknownOperation(Exception)?\b|\bunknown operation\b/i,
  // "User: arn:... is not authorized to perform: bedrock:InvokeModel on resource: ... because no
  // identity-based policy allows ..." (IAM's own wording; the action is `service:Action`).
  iamDenied: /is not authorized to perform:?\s+([A-Za-z0-9-]+:[A-Za-z0-9*]+)/,
  marketplace: /aws-marketplace/i,
  // The account-wide daily token cap ("Cross-Model Max Tokens Per Day"): "Too many tokens per day".
  dailyQuota: /tokens per day|daily (?:token )?(?:quota|limit|cap)/i,
  ambiguousNotFound: /model doesn.t exist or doesn.t support this api/i,
  auth: [
    /invalid bearer token/i,
    /invalid api key format/i,
    /authentication failed/i,
    /security token included in the request is (invalid|expired)/i,
    /request signature we calculated does not match/i,
  ],
} as const;

const AUTH_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'IncompleteSignatureException',
  'authentication_error',
]);
const AUTH_CODES = new Set(['invalid_api_key']);

export type Rec = Readonly<Record<string, unknown>>;
export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The error facts a body carries, across the OpenAI, Anthropic, AWS JSON and coral shapes. */
export interface BodyError {
  readonly type: string | null;
  readonly code: string | null;
  readonly message: string | null;
}

export function bodyError(body: unknown): BodyError {
  if (!isRec(body)) return { type: null, code: null, message: null };
  const inner = isRec(body.error) ? body.error : isRec(body.Output) ? body.Output : null;
  // Mantle sometimes nests a structured error inside `message` (an object, or JSON text).
  const nested = structured(inner?.message) ?? structured(body.message);
  const type =
    str(inner?.type) ??
    str(inner?.__type) ??
    str(nested?.type) ??
    str(body.__type) ??
    (body.type === 'error' ? 'error' : null);
  const code = str(inner?.code) ?? str(nested?.code) ?? str(body.code);
  const message =
    str(nested?.message) ??
    str(nested?.Message) ??
    (nested ? null : str(inner?.message)) ??
    str(inner?.Message) ??
    str(body.error) ??
    (nested ? null : str(body.message)) ??
    str(body.Message);
  return { type, code, message };
}

/** A structured error carried in a `message` field, as an object or as JSON text. */
function structured(v: unknown): Rec | null {
  if (isRec(v)) return isRec(v.error) ? v.error : v;
  if (typeof v !== 'string' || !v.trimStart().startsWith('{')) return null;
  try {
    return structured(JSON.parse(v) as unknown);
  } catch {
    return null;
  }
}

/** The error type the AWS front door names in `x-amzn-ErrorType` (`ThrottlingException:http://…`). */
function headerErrorType(obs: Observation): string | null {
  const raw = obs.headers?.['x-amzn-errortype'];
  return raw ? (raw.split(':')[0] ?? null) || null : null;
}

/** Everything textual about the failure, for pattern matching (never stored as is). */
export function haystack(obs: Observation): string {
  const b = bodyError(obs.body);
  return [obs.message, obs.errorName, obs.errorCode, b.message, b.type, b.code].filter(Boolean).join('\n');
}

/** Auth problems are OUR fault (expired token, wrong region key, bad signature), never a capability fact. */
export function isAuthFailure(obs: Observation): boolean {
  if (obs.httpStatus !== 401 && obs.httpStatus !== 403) return false;
  const text = haystack(obs);
  // The misleading wrong-prefix 401 says "is not enabled": a routing fact, not a credential one.
  if (
    obs.httpStatus === 401 &&
    WIRE_TEXT.notEnabled.test(text) &&
    !WIRE_TEXT.auth.some((re) => re.test(text))
  )
    return false;
  // Any other 401 is by definition an authentication answer.
  if (obs.httpStatus === 401) return true;
  if (obs.errorName !== null && AUTH_NAMES.has(obs.errorName)) return true;
  if (obs.errorCode !== null && AUTH_CODES.has(obs.errorCode)) return true;
  const b = bodyError(obs.body);
  if ((b.code !== null && AUTH_CODES.has(b.code)) || (b.type !== null && AUTH_NAMES.has(b.type))) return true;
  return WIRE_TEXT.auth.some((re) => re.test(text));
}

/**
 * A refusal that names the daily token quota (a 429, or any 4xx the front door calls throttling):
 * the account or model spent its tokens for the day. A quota, never a capability; it does not
 * lift within a run, so it is not retried.
 */
export function isDailyQuota(obs: Observation): boolean {
  if (obs.httpStatus === null || obs.httpStatus < 400 || obs.httpStatus >= 500) return false;
  return WIRE_TEXT.dailyQuota.test(haystack(obs));
}

/** 429, 5xx, timeouts and connection errors: worth retrying with backoff. Auth failures are not. */
export function isRetryable(obs: Observation): boolean {
  if (obs.timedOut === true || obs.httpStatus === null) return true;
  if (isDailyQuota(obs)) return false;
  if (obs.httpStatus === 429 || obs.httpStatus >= 500) return true;
  return isThrottling(obs);
}

/** Throttling is named by the `x-amzn-ErrorType` header first, the SDK's error name second. */
export function isThrottling(obs: Observation): boolean {
  const header = headerErrorType(obs);
  if (header !== null) return header === 'ThrottlingException';
  return obs.errorName === 'ThrottlingException';
}

/** Runtime `/openai/v1` answers an unknown model and an unsupported api with one 404 (facts: docs/bedrock-wire.md). */
function isAmbiguousNotFound(obs: Observation): boolean {
  if (obs.endpoint !== 'runtime' || obs.httpStatus !== 404) return false;
  if (obs.api !== 'chat' && obs.api !== 'responses') return false;
  const b = bodyError(obs.body);
  const code = obs.errorCode ?? b.code;
  return code === 'model_not_found' || WIRE_TEXT.ambiguousNotFound.test(haystack(obs));
}

/**
 * Where an answer says "unknown operation" (the host does not serve this operation), in any of the
 * wire's shapes: the SDK's error name, the `x-amzn-ErrorType` header, a JSON `type`/`__type`, the
 * message, or a raw XML or text body (`<UnknownOperationException/>`, runtime routes it lacks,
 * docs/bedrock-wire.md). null when it does not. Read before the status code: a 404 saying so is
 * "this api is not served", never "the model is missing".
 */
export function unknownOperationSignal(obs: Observation): string | null {
  const says = (v: string | null | undefined): boolean => v != null && WIRE_TEXT.unknownOperation.test(v);
  if (says(obs.errorName)) return 'error name';
  if (says(obs.headers?.['x-amzn-errortype'])) return 'x-amzn-ErrorType header';
  if (typeof obs.body === 'string' && says(obs.body)) return 'raw body';
  if (isRec(obs.body)) {
    const b = bodyError(obs.body);
    if (says(b.type) || says(str(obs.body.type))) return 'error type';
    if (says(b.message)) return 'error message';
  }
  if (says(obs.message)) return 'error message';
  return null;
}

/** 200 answers whose body is really an error (runtime `/anthropic` routes), and refusals in any shape. */
export const isUnknownOperation = (obs: Observation): boolean => unknownOperationSignal(obs) !== null;

/**
 * Which kind of refusal this is, so the engine can try the other route or ID before believing
 * it. null = not a refusal, or a refusal no alternative can change.
 */
export function refusalKind(obs: Observation): Refusal {
  if (obs.timedOut === true || obs.httpStatus === null) return null;
  if (obs.httpStatus >= 200 && obs.httpStatus < 300)
    return isUnknownOperation(obs) ? 'api-unsupported' : null;
  // "Unknown operation" decides over the bare status code (a 404 so worded is not "model missing").
  if (isUnknownOperation(obs)) return 'api-unsupported';
  const text = haystack(obs);
  if (isAmbiguousNotFound(obs)) return 'ambiguous-not-found';
  if (WIRE_TEXT.apiUnsupported.test(text)) return 'api-unsupported';
  if (WIRE_TEXT.wrongRoute.test(text)) return 'wrong-route';
  if (obs.httpStatus === 401 && WIRE_TEXT.notEnabled.test(text) && !isAuthFailure(obs)) return 'wrong-route';
  if (WIRE_TEXT.needsProfile.test(text)) return 'needs-profile';
  if (WIRE_TEXT.actionUnsupported.test(text)) return 'action-unsupported';
  return null;
}
