/**
 * The `guardrail` verdict from every signal an answer carries, so it never rests on knowing our own
 * stack's blocked text: a user may name any guardrail (`--guardrail-id`), whose messages the run
 * learns with GetGuardrail. Signals that disagree give `error` ("no verdict"), never a guess.
 * Wire facts behind each signal: docs/bedrock-wire.md, "Guardrail signals".
 */
import type { Observation } from './model';

export interface VerdictInput {
  /** The guardrail's configured blocked input/output messages; empty when they are unknown. */
  readonly blockedMessages: readonly string[];
}

export type Verdict =
  | { readonly kind: 'enforced'; readonly signals: readonly string[] }
  | { readonly kind: 'ignored'; readonly signals: readonly string[] }
  | { readonly kind: 'disagree'; readonly blocked: readonly string[]; readonly passed: readonly string[] }
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

/** Explicit markers: Converse stopReason, InvokeModel's guardrailAction, the InvokeModel trace. */
function marker(obs: Observation): { blocked: string | null; passed: string | null } {
  const body = isRec(obs.body) ? obs.body : {};
  const stop = typeof body.stopReason === 'string' ? body.stopReason : null;
  if (stop === 'guardrail_intervened') return { blocked: 'stop reason guardrail_intervened', passed: null };
  const action = guardrailAction(body);
  if (action === true) return { blocked: 'amazon-bedrock-guardrailAction INTERVENED', passed: null };
  if (traceIntervened(body) === true) return { blocked: 'guardrail trace intervened', passed: null };
  if (action === false) return { blocked: null, passed: 'amazon-bedrock-guardrailAction NONE' };
  // `content_filtered` is the model's own filter, not the guardrail (that is guardrail_intervened).
  if (stop !== null && obs.api === 'converse') return { blocked: null, passed: `stop reason ${stop}` };
  if (obs.guardrail?.intervened === true) return { blocked: 'explicit marker', passed: null };
  if (obs.guardrail?.intervened === false && obs.api === 'converse') {
    return { blocked: null, passed: 'no guardrail_intervened stop reason' };
  }
  return { blocked: null, passed: null };
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

export function guardrailVerdict(obs: Observation, input: VerdictInput): Verdict {
  const blocked: string[] = [];
  const passed: string[] = [];
  const m = marker(obs);
  if (m.blocked) blocked.push(m.blocked);
  if (m.passed) passed.push(m.passed);

  if (obs.responseId?.startsWith(GUARDRAIL_ID_PREFIX)) blocked.push(`${GUARDRAIL_ID_PREFIX} id`);

  // A blocked input never reaches the model, so nothing is billed; only where no marker exists is
  // a billed prompt evidence that the request passed (on Converse/Invoke the marker speaks).
  if (obs.inputTokens === 0) blocked.push('0 input tokens');
  else if (obs.inputTokens != null && obs.inputTokens > 0 && MARKERLESS.has(obs.api)) {
    passed.push(`${obs.inputTokens} input tokens billed`);
  }

  const text = obs.guardrail?.text ?? answerText(obs.body);
  const messages = input.blockedMessages.map(norm).filter((s) => s !== '');
  if (text !== null && messages.length > 0) {
    const answer = norm(text);
    if (messages.some((msg) => answer.includes(msg))) blocked.push('configured blocked message');
    // Where a documented marker exists it speaks for the pass; other text is only the model's answer.
    else if (MARKERLESS.has(obs.api)) passed.push('answer is not the configured blocked message');
  }

  if (blocked.length > 0 && passed.length > 0) return { kind: 'disagree', blocked, passed };
  if (blocked.length > 0) return { kind: 'enforced', signals: blocked };
  if (passed.length > 0) return { kind: 'ignored', signals: passed };
  return { kind: 'none' };
}
