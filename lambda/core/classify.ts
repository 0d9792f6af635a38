/**
 * classify: the pure step from what a probe saw (Observation) to a cell status plus evidence.
 * Every rule is keyed on a wire shape recorded in docs/bedrock-wire.md; anything it does not
 * recognise becomes `error`, never `unsupported`, because a false "unsupported" is the worst
 * bug this tool can have (it would report a working model as broken).
 */
import { answerShapeProblem } from './answer-shape';
import { guardrailVerdict } from './guardrail-verdict';
import { type Evidence, isFeatureVariant, type Observation, type Status } from './model';
import { scrubSecrets, trimMessage } from './scrub';
import {
  bodyError,
  haystack,
  isAuthFailure,
  isDailyQuota,
  isRec,
  isThrottling,
  isUnknownOperation,
  type Refusal,
  refusalKind,
  str,
  unknownOperationSignal,
  WIRE_TEXT,
} from './wire-text';

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
  /** Which kind of refusal the answer was (`refusalKind`), so the engine knows whether to try the next route or ID. */
  readonly refusal: Refusal;
}

/** Reason prefix of a cell the ambiguous runtime `/openai/v1` 404 left undecided. */
export const AMBIGUOUS_REASON = 'ambiguous model_not_found';
/** Reason prefix of an IAM denial of the prober's own role (see isIamDenial). */
const IAM_DENIED_REASON = 'IAM denied';

/** Reason prefix of a refusal because the model version reached its end of life (see isEndOfLife). */
export const END_OF_LIFE_REASON = 'end of life (EOL)';

/** Why an answer with no text is still an answer (Observation.thinkingOnly). */
const THINKING_ONLY = 'max_tokens reached while the model was thinking (no text yet)';

/** `errorName` of a probe whose answer passed the size limit (adapters/probes/answer-limit.ts). */
export const ANSWER_TOO_LARGE = 'AnswerTooLarge';

/** Longest message kept in evidence. */
const MESSAGE_MAX = 300;
/** Longest quoted text inside a reason (check detail, answer excerpt). */
const DETAIL_MAX = 200;

/** The cell was refused because the model version is retired (classify's own verdict). */
export function isEndOfLife(evidence: Pick<Evidence, 'reason'>): boolean {
  return evidence.reason?.startsWith(`${END_OF_LIFE_REASON}:`) === true;
}

/** True when the cell's evidence says the prober's own IAM role lacks an action: fix the role. */
export function isIamDenial(evidence: Pick<Evidence, 'reason'>): boolean {
  return evidence.reason?.startsWith(`${IAM_DENIED_REASON}:`) === true;
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
  const refusal = refusalKind(obs);
  const done = (status: Status, reason: string | null): Classification => ({
    status,
    evidence: { ...base, reason: reason === null ? null : scrubSecrets(reason) },
    refusal,
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
  // An answer not read to its end (past the size limit) says nothing, whatever its status.
  if (obs.errorName === ANSWER_TOO_LARGE) return done('error', withDetail('answer not read', message));
  const http = obs.httpStatus;

  // 2. Throttling as the front door names it (`x-amzn-ErrorType`), before any body is read.
  if (isDailyQuota(obs)) {
    return done(
      'throttled',
      withDetail(`throttled (HTTP ${http}): daily token quota spent, no verdict until it resets`, message),
    );
  }
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
  if (refusal === 'ambiguous-not-found') {
    // Undecided here on purpose: the catalogs and the model's other runtime cells decide (ambiguous.ts).
    return done('error', withDetail(`${AMBIGUOUS_REASON} on ${obs.route ?? '/openai/v1'}`, message));
  }
  const unknownOp = unknownOperationSignal(obs);
  if (unknownOp !== null) {
    return done(
      'unsupported',
      withDetail(
        `unknown operation (decided by the ${unknownOp}, over HTTP ${http}): the host does not serve this api`,
        message,
      ),
    );
  }
  if (refusal === 'api-unsupported') {
    return done('unsupported', withDetail('model does not support this API', message));
  }
  if (refusal === 'wrong-route') {
    return done(
      'unsupported',
      `wrong route${obs.route ? ` ${obs.route}` : ''}: model not served on this prefix`,
    );
  }
  if (refusal === 'needs-profile') {
    return done('unsupported', 'on-demand throughput not supported: an inference profile is needed');
  }
  if (refusal === 'action-unsupported') {
    return done('unsupported', withDetail('this action does not support the model', message));
  }
  if (WIRE_TEXT.legacy.test(text)) {
    return done('no-access', 'legacy lock-out: model marked Legacy and not used recently');
  }
  if (WIRE_TEXT.endOfLife.test(text))
    return done('not-found', `${END_OF_LIFE_REASON}: model version retired`);
  if (WIRE_TEXT.invalidIdentifier.test(text)) return done('not-found', 'invalid model identifier');
  if (http === 403 && WIRE_TEXT.marketplace.test(text)) {
    return done(
      'no-access',
      withDetail(
        'not subscribed: the first call subscribes through AWS Marketplace (needs aws-marketplace:Subscribe; Anthropic models also need the use-case form)',
        message,
      ),
    );
  }
  const iam = http === 403 ? WIRE_TEXT.iamDenied.exec(text) : null;
  if (iam?.[1]) return done('no-access', withDetail(`${IAM_DENIED_REASON}: ${iam[1]}`, message));
  if (WIRE_TEXT.noAccess.test(text) || (http === 403 && WIRE_TEXT.modelAccessNotEnabled.test(text))) {
    return done('no-access', withDetail('no access to the model', message));
  }
  const modelNotFound =
    WIRE_TEXT.doesNotExist.test(text) ||
    obs.errorCode === 'model_not_found' ||
    bodyError(obs.body).code === 'model_not_found';
  if (modelNotFound) return done('not-found', withDetail('model not found', message));

  // 7. The model answers `basic` but refuses the feature's request shape (a 403 included: Converse
  // refuses a feature the model lacks with AccessDeniedException, facts in docs/bedrock-wire.md).
  if (isFeatureVariant(obs.variant)) {
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
  if (obs.variant === 'basic') {
    // A model that thinks by default may spend a tiny max_tokens thinking: the api answered.
    return done('supported', obs.thinkingOnly === true ? THINKING_ONLY : null);
  }
  if (obs.variant === 'guardrail') return classifyGuardrail(obs, ctx, done);
  if (!obs.check) return done('error', `no feature check recorded for the ${obs.variant} variant`);
  if (!obs.check.passed && obs.thinkingOnly === true) {
    return done('error', `no verdict: ${THINKING_ONLY}, before the ${obs.variant} check could show`);
  }
  return obs.check.passed
    ? done('supported', quote(obs.check.detail) || null)
    : done('unsupported', withDetail(`${obs.variant} check failed`, obs.check.detail));
}

function classifyGuardrail(obs: Observation, ctx: ClassifyContext, done: Done): Classification {
  const verdict = guardrailVerdict(obs, { blockedMessages: ctx.blockedMessages });
  const withSignals = (c: Classification, signals: readonly string[]): Classification => ({
    ...c,
    evidence: { ...c.evidence, guardrailSignals: signals },
  });
  const decided = (v: { decidedBy: string; overruled: readonly string[] }): string =>
    `; decided by ${v.decidedBy}${v.overruled.length > 0 ? `; overruled: ${v.overruled.join(', ')}` : ''}`;
  const overruledSignals = (o: readonly string[]) => o.map((s) => `overruled: ${s}`);
  switch (verdict.kind) {
    case 'enforced':
      return withSignals(done('enforced', `enforced: ${verdict.signals.join(', ')}${decided(verdict)}`), [
        ...verdict.signals,
        ...overruledSignals(verdict.overruled),
      ]);
    case 'ignored': {
      const tokens =
        obs.outputTokens != null ? `${obs.outputTokens} output tokens billed` : 'output tokens not reported';
      const why = `model answered past the guardrail (${tokens}): ${verdict.signals.join(', ')}${decided(verdict)}`;
      return withSignals(done('ignored', why), [...verdict.signals, ...overruledSignals(verdict.overruled)]);
    }
    case 'disagree': {
      const signals = [
        ...verdict.blocked.map((b) => `blocked: ${b}`),
        ...verdict.passed.map((p) => `passed: ${p}`),
      ];
      const why = `no verdict: signals disagree: blocked by ${verdict.blocked.join(', ')}; passed by ${verdict.passed.join(', ')} (both ${verdict.strength})`;
      return withSignals(done('error', why), signals);
    }
    case 'none':
      return done('error', 'guardrail variant answered 200 but no answer text or marker was recorded');
  }
}
