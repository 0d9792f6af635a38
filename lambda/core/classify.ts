/**
 * classify: the pure step from what a probe saw (Observation) to a cell status plus evidence.
 * Every rule is keyed on a wire shape recorded in docs/bedrock-wire.md; anything it does not
 * recognise becomes `error`, never `unsupported`, because a false "unsupported" is the worst
 * bug this tool can have (it would report a working model as broken).
 */
import { answerShapeProblem } from './answer-shape';
import { guardrailVerdict } from './guardrail-verdict';
import type { Evidence, Observation, Status, Variant } from './model';
import { scrubSecrets, trimMessage } from './scrub';

export interface ClassifyContext {
  /**
   * The probe Guardrail's configured blocked input/output messages (read with GetGuardrail);
   * one signal among several for a guardrail verdict. Empty = unknown.
   */
  readonly blockedMessages: readonly string[];
}

export interface Classification {
  readonly status: Status;
  readonly evidence: Evidence;
}

/** Why a refusal might be wrong-route / wrong-id rather than a real "unsupported". */
export type Refusal =
  | 'wrong-route'
  | 'api-unsupported'
  | 'needs-profile'
  | 'action-unsupported'
  /** Runtime `/openai/v1` 404 `model_not_found`: unknown model OR api not supported; see ambiguous.ts. */
  | 'ambiguous-not-found'
  | null;

/** Reason prefix of a cell the ambiguous runtime `/openai/v1` 404 left undecided. */
export const AMBIGUOUS_REASON = 'ambiguous model_not_found';
/** Reason prefix of an IAM denial of the prober's own role (see isIamDenial). */
export const IAM_DENIED_REASON = 'IAM denied';

/** Reason prefix of a refusal because the model version reached its end of life (see isEndOfLife). */
export const END_OF_LIFE_REASON = 'end of life (EOL)';

/** Longest message kept in evidence. */
const MESSAGE_MAX = 300;
/** Longest quoted text inside a reason (check detail, answer excerpt). */
const DETAIL_MAX = 200;

// Apostrophes arrive as ASCII or U+2019 (docs/bedrock-wire.md), so `isn.t` / `doesn.t` match both.
const RE = {
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
  unknownOperation: /UnknownOperationException/,
  // "User: arn:... is not authorized to perform: bedrock:InvokeModel on resource: ... because no
  // identity-based policy allows ..." (IAM's own wording; the action is `service:Action`).
  iamDenied: /is not authorized to perform:?\s+([A-Za-z0-9-]+:[A-Za-z0-9*]+)/,
  marketplace: /aws-marketplace/i,
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

const FEATURE_VARIANTS: ReadonlySet<Variant> = new Set(['stream', 'tools', 'stateful', 'background']);

type Rec = Readonly<Record<string, unknown>>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

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
export function headerErrorType(obs: Observation): string | null {
  const raw = obs.headers?.['x-amzn-errortype'];
  return raw ? (raw.split(':')[0] ?? null) || null : null;
}

/** Everything textual about the failure, for pattern matching (never stored as is). */
function haystack(obs: Observation): string {
  const b = bodyError(obs.body);
  return [obs.message, obs.errorName, obs.errorCode, b.message, b.type, b.code].filter(Boolean).join('\n');
}

/** Auth problems are OUR fault (expired token, wrong region key, bad signature), never a capability fact. */
export function isAuthFailure(obs: Observation): boolean {
  if (obs.httpStatus !== 401 && obs.httpStatus !== 403) return false;
  const text = haystack(obs);
  // The misleading wrong-prefix 401 says "is not enabled": a routing fact, not a credential one.
  if (obs.httpStatus === 401 && RE.notEnabled.test(text) && !RE.auth.some((re) => re.test(text)))
    return false;
  // Any other 401 is by definition an authentication answer.
  if (obs.httpStatus === 401) return true;
  if (obs.errorName !== null && AUTH_NAMES.has(obs.errorName)) return true;
  if (obs.errorCode !== null && AUTH_CODES.has(obs.errorCode)) return true;
  const b = bodyError(obs.body);
  if ((b.code !== null && AUTH_CODES.has(b.code)) || (b.type !== null && AUTH_NAMES.has(b.type))) return true;
  return RE.auth.some((re) => re.test(text));
}

/** 429, 5xx, timeouts and connection errors: worth retrying with backoff. Auth failures are not. */
export function isRetryable(obs: Observation): boolean {
  if (obs.timedOut === true || obs.httpStatus === null) return true;
  if (obs.httpStatus === 429 || obs.httpStatus >= 500) return true;
  return isThrottling(obs);
}

/** Throttling is named by the `x-amzn-ErrorType` header first, the SDK's error name second. */
function isThrottling(obs: Observation): boolean {
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
  return code === 'model_not_found' || RE.ambiguousNotFound.test(haystack(obs));
}

/** The cell was refused because the model version is retired (classify's own verdict). */
export function isEndOfLife(evidence: Pick<Evidence, 'reason'>): boolean {
  return evidence.reason?.startsWith(`${END_OF_LIFE_REASON}:`) === true;
}

/** True when the cell's evidence says the prober's own IAM role lacks an action: fix the role. */
export function isIamDenial(evidence: Pick<Evidence, 'reason'>): boolean {
  return evidence.reason?.startsWith(`${IAM_DENIED_REASON}:`) === true;
}

/** 200 answers whose body is really an error (runtime `/anthropic` routes, docs/bedrock-wire.md). */
function isUnknownOperation(obs: Observation): boolean {
  if (RE.unknownOperation.test(obs.errorName ?? '')) return true;
  if (!isRec(obs.body)) return false;
  const b = bodyError(obs.body);
  return RE.unknownOperation.test(b.type ?? '') || RE.unknownOperation.test(str(obs.body.type) ?? '');
}

/**
 * Which kind of refusal this is, so the engine can try the other route or ID before believing
 * it. null = not a refusal, or a refusal no alternative can change.
 */
export function refusalKind(obs: Observation): Refusal {
  if (obs.timedOut === true || obs.httpStatus === null) return null;
  if (obs.httpStatus >= 200 && obs.httpStatus < 300)
    return isUnknownOperation(obs) ? 'api-unsupported' : null;
  const text = haystack(obs);
  if (isAmbiguousNotFound(obs)) return 'ambiguous-not-found';
  if (RE.apiUnsupported.test(text)) return 'api-unsupported';
  if (RE.wrongRoute.test(text)) return 'wrong-route';
  if (obs.httpStatus === 401 && RE.notEnabled.test(text) && !isAuthFailure(obs)) return 'wrong-route';
  if (RE.needsProfile.test(text)) return 'needs-profile';
  if (RE.actionUnsupported.test(text)) return 'action-unsupported';
  if (isUnknownOperation(obs)) return 'api-unsupported';
  return null;
}

/** `resp_`, `chatcmpl-`, `msg_`: the id's family, which shows which engine answered. */
function idPrefix(id: string | null | undefined): string | null {
  if (!id) return null;
  const m = /^[A-Za-z]{1,32}[_-]/.exec(id);
  return m ? m[0] : null;
}

const scrubOrNull = (v: string | null | undefined): string | null => (v ? scrubSecrets(v) : null);

/** Evidence every status shares: copied from the observation, scrubbed. */
function baseEvidence(obs: Observation): Omit<Evidence, 'reason'> {
  const b = bodyError(obs.body);
  return {
    httpStatus: obs.httpStatus,
    errorType: scrubOrNull(obs.errorName ?? b.type),
    errorCode: scrubOrNull(obs.errorCode ?? b.code),
    message: trimMessage(obs.message ?? b.message, MESSAGE_MAX),
    route: scrubOrNull(obs.route),
    modelId: scrubOrNull(obs.modelId),
    latencyMs: obs.latencyMs ?? null,
    ttfbMs: obs.ttfbMs ?? null,
    inputTokens: obs.inputTokens ?? null,
    outputTokens: obs.outputTokens ?? null,
    responseIdPrefix: idPrefix(obs.responseId),
    requestId: scrubOrNull(obs.requestId),
  };
}

/** A reason quoting wire text: scrubbed and cut like a message. */
const quote = (text: string | null | undefined): string => trimMessage(text ?? null, DETAIL_MAX) ?? '';
const withDetail = (head: string, detail: string | null | undefined): string => {
  const q = quote(detail);
  return q ? `${head}: ${q}` : head;
};

/** Decide the status of one probe. Pure: same observation and context, same answer. */
export function classify(obs: Observation, ctx: ClassifyContext): Classification {
  const base = baseEvidence(obs);
  const done = (status: Status, reason: string | null): Classification => ({
    status,
    evidence: { ...base, reason: reason === null ? null : scrubSecrets(reason) },
  });
  const message = obs.message ?? bodyError(obs.body).message;

  // 1. No usable answer at all: transient, and says nothing about the model.
  if (obs.timedOut === true) {
    const after = obs.latencyMs != null ? ` after ${obs.latencyMs} ms` : '';
    return done('error', `timeout: no complete answer${after}`);
  }
  if (obs.httpStatus === null) {
    return done('error', withDetail('no HTTP answer (connection failed)', message));
  }
  const http = obs.httpStatus;

  // 2. Throttling as the front door names it (`x-amzn-ErrorType`), before any body is read.
  if (http === 429 || isThrottling(obs)) {
    return done('throttled', withDetail(`throttled (HTTP ${http})`, message));
  }

  // 3. Our credentials, not the model: never `no-access`, never `unsupported`.
  if (isAuthFailure(obs)) return done('error', withDetail('authentication failed', message));

  // 4. Transient service states.
  const text = haystack(obs);
  if (http >= 500) return done('error', withDetail(`service error (HTTP ${http})`, message));

  // 5. Answers with a success status.
  if (http >= 200 && http < 300) return classifySuccess(obs, ctx, done);

  // 6. Known refusals, most specific first (legacy lock-out and EOL before the generic 404).
  const kind = refusalKind(obs);
  if (kind === 'ambiguous-not-found') {
    // Undecided here on purpose: the catalogs and the model's other runtime cells decide (ambiguous.ts).
    return done('error', withDetail(`${AMBIGUOUS_REASON} on ${obs.route ?? '/openai/v1'}`, message));
  }
  if (kind === 'api-unsupported') {
    return done('unsupported', withDetail('model does not support this API', message));
  }
  if (kind === 'wrong-route') {
    return done(
      'unsupported',
      `wrong route${obs.route ? ` ${obs.route}` : ''}: model not served on this prefix`,
    );
  }
  if (kind === 'needs-profile') {
    return done('unsupported', 'on-demand throughput not supported: an inference profile is needed');
  }
  if (kind === 'action-unsupported') {
    return done('unsupported', withDetail('this action does not support the model', message));
  }
  if (RE.legacy.test(text)) {
    return done('no-access', 'legacy lock-out: model marked Legacy and not used recently');
  }
  if (RE.endOfLife.test(text)) return done('not-found', `${END_OF_LIFE_REASON}: model version retired`);
  if (RE.invalidIdentifier.test(text)) return done('not-found', 'invalid model identifier');
  if (http === 403 && RE.marketplace.test(text)) {
    return done(
      'no-access',
      withDetail(
        'not subscribed: the first call subscribes through AWS Marketplace (needs aws-marketplace:Subscribe; Anthropic models also need the use-case form)',
        message,
      ),
    );
  }
  const iam = http === 403 ? RE.iamDenied.exec(text) : null;
  if (iam?.[1]) return done('no-access', withDetail(`${IAM_DENIED_REASON}: ${iam[1]}`, message));
  if (RE.noAccess.test(text) || (http === 403 && RE.modelAccessNotEnabled.test(text))) {
    return done('no-access', withDetail('no access to the model', message));
  }
  const modelNotFound =
    RE.doesNotExist.test(text) ||
    obs.errorCode === 'model_not_found' ||
    bodyError(obs.body).code === 'model_not_found';
  if (modelNotFound) return done('not-found', withDetail('model not found', message));

  // 7. The model answers `basic` but refuses the feature's request shape (a 403 included: Converse
  // refuses a feature the model lacks with AccessDeniedException, facts in docs/bedrock-wire.md).
  if (FEATURE_VARIANTS.has(obs.variant)) {
    if (http === 400 || http === 403) {
      return done('unsupported', withDetail(`feature request refused (HTTP ${http})`, message));
    }
    // A 404 on a feature's follow-up call (stored response, background poll) is about that
    // object, not the model, which just answered `basic`.
    if (http === 404)
      return done('unsupported', withDetail('feature follow-up not found (HTTP 404)', message));
  }
  if (http === 404) return done('not-found', withDetail('not found (HTTP 404)', message));

  // 8. Unknown shape: keep the raw facts, decide nothing.
  return done(
    'error',
    withDetail(`unrecognised answer (HTTP ${http}${obs.errorName ? ` ${obs.errorName}` : ''})`, message),
  );
}

type Done = (status: Status, reason: string | null) => Classification;

function classifySuccess(obs: Observation, ctx: ClassifyContext, done: Done): Classification {
  if (isUnknownOperation(obs)) {
    return done(
      'unsupported',
      'HTTP 200 with an UnknownOperationException body: operation not served for this model',
    );
  }
  const coral =
    isRec(obs.body) &&
    (str(obs.body.__type) !== null || (isRec(obs.body.Output) && str(obs.body.Output.__type)));
  if (coral || (isRec(obs.body) && obs.body.type === 'error')) {
    const b = bodyError(obs.body);
    return done('error', withDetail(`HTTP 200 with an error body (${b.type ?? 'unknown type'})`, b.message));
  }
  // A 200 that is not this api's answer (an HTML page, `{}`, a cut stream) says nothing about the
  // model, for every variant, guardrail included: a proxy answering 200 to everything is no verdict.
  const problem = obs.malformed ?? answerShapeProblem(obs.api, obs.body);
  if (problem !== null) {
    const article = /^[aeiou]/.test(obs.api) ? 'an' : 'a';
    return done('error', `answer is not ${article} ${obs.api} response: ${quote(problem)}`);
  }
  if (obs.variant === 'basic') return done('supported', null);
  if (obs.variant === 'guardrail') return classifyGuardrail(obs, ctx, done);
  if (!obs.check) return done('error', `no feature check recorded for the ${obs.variant} variant`);
  return obs.check.passed
    ? done('supported', quote(obs.check.detail) || null)
    : done('unsupported', withDetail(`${obs.variant} check failed`, obs.check.detail));
}

function classifyGuardrail(obs: Observation, ctx: ClassifyContext, done: Done): Classification {
  const verdict = guardrailVerdict(obs, { blockedMessages: ctx.blockedMessages });
  const withSignals = (c: Classification, signals: readonly string[]): Classification => ({
    status: c.status,
    evidence: { ...c.evidence, guardrailSignals: signals },
  });
  switch (verdict.kind) {
    case 'enforced':
      return withSignals(done('enforced', `enforced: ${verdict.signals.join(', ')}`), verdict.signals);
    case 'ignored': {
      const tokens =
        obs.outputTokens != null ? `${obs.outputTokens} output tokens billed` : 'output tokens not reported';
      const why = `model answered past the guardrail (${tokens}): ${verdict.signals.join(', ')}`;
      return withSignals(done('ignored', why), verdict.signals);
    }
    case 'disagree': {
      const signals = [
        ...verdict.blocked.map((b) => `blocked: ${b}`),
        ...verdict.passed.map((p) => `passed: ${p}`),
      ];
      const why = `no verdict: signals disagree: blocked by ${verdict.blocked.join(', ')}; passed by ${verdict.passed.join(', ')}`;
      return withSignals(done('error', why), signals);
    }
    case 'none':
      return done('error', 'guardrail variant answered 200 but no answer text or marker was recorded');
  }
}
