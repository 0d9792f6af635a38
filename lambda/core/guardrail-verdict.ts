/**
 * The `guardrail` verdict from every signal an answer carries, so it never rests on knowing our own
 * stack's blocked text: a user may name any guardrail (`--guardrail-id`), whose messages the run
 * learns with GetGuardrail. Each signal has a strength (GUARDRAIL_SIGNALS); the strongest decide,
 * and opposite signals of equal top strength give `error` ("no verdict"), never a guess.
 * Wire facts behind each signal: docs/bedrock-wire.md, "Guardrail signals".
 */
import type { Observation } from './model';

export interface VerdictInput {
  /** The guardrail's configured blocked input/output messages; empty when they are unknown. */
  readonly blockedMessages: readonly string[];
}

/**
 * `signals`: the winning side's signals; `decidedBy`: the strongest of them, with its strength;
 * `overruled`: weaker signals to the contrary, kept for the evidence.
 */
export type Verdict =
  | {
      readonly kind: 'enforced' | 'ignored';
      readonly signals: readonly string[];
      readonly decidedBy: string;
      readonly overruled: readonly string[];
    }
  | {
      readonly kind: 'disagree';
      readonly blocked: readonly string[];
      readonly passed: readonly string[];
      /** The strength at which the two sides tie. */
      readonly strength: Strength;
    }
  | { readonly kind: 'none' };

type Rec = Readonly<Record<string, unknown>>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Runtime Chat answers a blocked request with an id of this prefix instead of `chatcmpl-`. */
const GUARDRAIL_ID_PREFIX = 'bedrock-guardrails-';

/** The InvokeModel trace sits under `amazon-bedrock-trace.guardrails` (API reference) or `.guardrail`. */
function traceIntervened(body: Rec): boolean | null {
  const trace = body['amazon-bedrock-trace'];
  if (!isRec(trace)) return null;
  const g = isRec(trace.guardrails) ? trace.guardrails : isRec(trace.guardrail) ? trace.guardrail : null;
  if (g === null) return null;
  const text = JSON.stringify(g);
  if (/"action"\s*:\s*"(BLOCKED|GUARDRAIL_INTERVENED|INTERVENED)"/.test(text)) return true;
  return null;
}

/**
 * InvokeModel's marker, `amazon-bedrock-guardrailAction` in the answer body (any api that ever
 * returns it): `INTERVENED` = true, `NONE` = false, absent = null.
 */
export function guardrailAction(body: unknown): boolean | null {
  if (!isRec(body)) return null;
  const action = body['amazon-bedrock-guardrailAction'];
  return action === 'INTERVENED' ? true : action === 'NONE' ? false : null;
}

/**
 * Every signal the verdict reads, the side it speaks for, and how strong it is: the one table.
 * - decisive: an explicit marker, or a billing fact that shows whether the model was reached;
 *   overruled only by a decisive signal to the contrary (then there is no verdict);
 * - strong: the documented marker's absence where the api has one (Converse);
 * - weak: the answer's wording, which a user's guardrail may phrase any way, mask or localize.
 * The verdict follows the strongest signals present; a tie of opposite sides at that strength is
 * no verdict. Wire facts and sources: docs/bedrock-wire.md, "Guardrail signals".
 */
export const GUARDRAIL_SIGNALS = {
  /** Converse (runtime): `stopReason: guardrail_intervened`. */
  stopReasonIntervened: { side: 'blocked', strength: 'decisive' },
  /** InvokeModel (runtime), or any answer that carries it: `amazon-bedrock-guardrailAction: INTERVENED`. */
  actionIntervened: { side: 'blocked', strength: 'decisive' },
  /** InvokeModel trace (`amazon-bedrock-trace.guardrails` or `.guardrail`) with an intervening action. */
  traceIntervened: { side: 'blocked', strength: 'decisive' },
  /** An adapter read an explicit intervention marker the body no longer shows. */
  adapterMarker: { side: 'blocked', strength: 'decisive' },
  /** Runtime Chat: the answer's id is `bedrock-guardrails-…` instead of `chatcmpl-…`. */
  guardrailId: { side: 'blocked', strength: 'decisive' },
  /** Any api: 0 input tokens billed on a request that carried a prompt (the model was never called). */
  zeroInputTokens: { side: 'blocked', strength: 'decisive' },
  /** InvokeModel (runtime): `amazon-bedrock-guardrailAction: NONE`. */
  actionNone: { side: 'passed', strength: 'decisive' },
  /** Chat, Responses, Messages (no marker): input tokens billed, so the model read the prompt. */
  inputTokensBilled: { side: 'passed', strength: 'decisive' },
  /** Converse: a stop reason other than guardrail_intervened (`content_filtered` is the model's own). */
  otherStopReason: { side: 'passed', strength: 'strong' },
  /** Converse: the adapter saw no guardrail_intervened stop reason. */
  noInterventionStop: { side: 'passed', strength: 'strong' },
  /** Any api: the answer carries the guardrail's configured blocked message. */
  blockedMessage: { side: 'blocked', strength: 'weak' },
  /** Chat, Responses, Messages: the answer is not the configured blocked message. */
  notBlockedMessage: { side: 'passed', strength: 'weak' },
} as const satisfies Record<string, { readonly side: Side; readonly strength: Strength }>;

export type Side = 'blocked' | 'passed';
export type Strength = 'decisive' | 'strong' | 'weak';
export type SignalKind = keyof typeof GUARDRAIL_SIGNALS;

/** One signal an answer showed: its kind (strength and side from the table) and how it reads in evidence. */
export interface Signal {
  readonly kind: SignalKind;
  readonly label: string;
}

const RANK: Readonly<Record<Strength, number>> = { decisive: 3, strong: 2, weak: 1 };
const strengthOf = (s: Signal): Strength => GUARDRAIL_SIGNALS[s.kind].strength;
const sideOf = (s: Signal): Side => GUARDRAIL_SIGNALS[s.kind].side;
const sig = (kind: SignalKind, label: string): Signal => ({ kind, label });

/** Explicit markers: Converse stopReason, InvokeModel's guardrailAction, the InvokeModel trace. */
function markers(obs: Observation): Signal[] {
  const body = isRec(obs.body) ? obs.body : {};
  const out: Signal[] = [];
  const stop = typeof body.stopReason === 'string' ? body.stopReason : null;
  if (stop === 'guardrail_intervened')
    out.push(sig('stopReasonIntervened', 'stop reason guardrail_intervened'));
  const action = guardrailAction(body);
  if (action === true) out.push(sig('actionIntervened', 'amazon-bedrock-guardrailAction INTERVENED'));
  if (traceIntervened(body) === true) out.push(sig('traceIntervened', 'guardrail trace intervened'));
  if (action === false) out.push(sig('actionNone', 'amazon-bedrock-guardrailAction NONE'));
  if (out.length > 0) return out;
  // `content_filtered` is the model's own filter, not the guardrail (that is guardrail_intervened).
  if (stop !== null && obs.api === 'converse') return [sig('otherStopReason', `stop reason ${stop}`)];
  if (obs.guardrail?.intervened === true) return [sig('adapterMarker', 'explicit marker')];
  if (obs.guardrail?.intervened === false && obs.api === 'converse') {
    return [sig('noInterventionStop', 'no guardrail_intervened stop reason')];
  }
  return [];
}

/** The answer text across Converse, Chat, Messages and Responses bodies. */
function answerText(body: unknown): string | null {
  if (!isRec(body)) return null;
  const texts: string[] = [];
  const push = (v: unknown): void => {
    if (typeof v === 'string') texts.push(v);
  };
  const fromParts = (parts: unknown): void => {
    if (Array.isArray(parts)) for (const p of parts) if (isRec(p)) push(p.text);
  };
  const output = body.output;
  if (isRec(output) && isRec(output.message)) fromParts(output.message.content); // Converse
  if (Array.isArray(output)) for (const o of output) if (isRec(o)) fromParts(o.content); // Responses
  push(body.output_text);
  if (Array.isArray(body.choices)) {
    for (const c of body.choices) if (isRec(c) && isRec(c.message)) push(c.message.content); // Chat
  }
  fromParts(body.content); // Messages
  return texts.length > 0 ? texts.join('\n') : null;
}

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** Apis whose answers have no explicit marker: token counts and ids are the only wire signals. */
const MARKERLESS = new Set(['chat', 'responses', 'messages']);

/** Every signal the answer shows, in the order evidence lists them. */
export function guardrailSignals(obs: Observation, input: VerdictInput): Signal[] {
  const signals = markers(obs);
  if (obs.responseId?.startsWith(GUARDRAIL_ID_PREFIX)) {
    signals.push(sig('guardrailId', `${GUARDRAIL_ID_PREFIX} id`));
  }
  // A blocked input never reaches the model, so nothing is billed; only where no marker exists is
  // a billed prompt evidence that the request passed (on Converse/Invoke the marker speaks).
  if (obs.inputTokens === 0) signals.push(sig('zeroInputTokens', '0 input tokens'));
  else if (obs.inputTokens != null && obs.inputTokens > 0 && MARKERLESS.has(obs.api)) {
    signals.push(sig('inputTokensBilled', `${obs.inputTokens} input tokens billed`));
  }
  const text = obs.guardrail?.text ?? answerText(obs.body);
  const messages = input.blockedMessages.map(norm).filter((s) => s !== '');
  if (text !== null && messages.length > 0) {
    const answer = norm(text);
    if (messages.some((msg) => answer.includes(msg))) {
      signals.push(sig('blockedMessage', 'configured blocked message'));
    } else if (MARKERLESS.has(obs.api)) {
      signals.push(sig('notBlockedMessage', 'answer is not the configured blocked message'));
    }
  }
  return signals;
}

/** `label (strength)`, how a signal is named where its strength matters. */
export const describeSignal = (s: Signal): string => `${s.label} (${strengthOf(s)})`;

export function guardrailVerdict(obs: Observation, input: VerdictInput): Verdict {
  const signals = guardrailSignals(obs, input);
  if (signals.length === 0) return { kind: 'none' };
  const top = Math.max(...signals.map((s) => RANK[strengthOf(s)]));
  const deciding = signals.filter((s) => RANK[strengthOf(s)] === top);
  const labels = (side: Side) => signals.filter((s) => sideOf(s) === side).map((s) => s.label);
  const sides = new Set(deciding.map(sideOf));
  if (sides.size > 1) {
    return {
      kind: 'disagree',
      blocked: labels('blocked'),
      passed: labels('passed'),
      strength: strengthOf(deciding[0] as Signal),
    };
  }
  const side = sideOf(deciding[0] as Signal);
  const decidedBy = describeSignal(deciding[0] as Signal);
  const own = signals.filter((s) => sideOf(s) === side).map((s) => s.label);
  const contrary = signals.filter((s) => sideOf(s) !== side).map(describeSignal);
  return { kind: side === 'blocked' ? 'enforced' : 'ignored', signals: own, decidedBy, overruled: contrary };
}
