/**
 * What an InvokeModel body codec is: each model family has its own request schema, answer and
 * stream chunks (docs/bedrock-wire.md); the helpers here are the ones several families share.
 */
import type { BrainReply, ToolSpec, Turn } from '../../../brain';
import { isObject, type Json } from '../../json';
import { optionalCount, type RuntimeFault, textOfBlocks, validation } from '../wire';

export interface InvokeInput {
  readonly turns: Turn[];
  readonly maxTokens: number | undefined;
  readonly tools: ToolSpec[];
}

export type InvokeStop = BrainReply['stopReason'] | 'guardrail';

export interface InvokeOutcome {
  readonly id: string;
  readonly modelId: string;
  readonly text: string;
  readonly toolCall: BrainReply['toolCall'];
  readonly stopReason: InvokeStop;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface FamilyCodec {
  readonly required: readonly string[];
  /** Keys the family's schema allows; null = not strict (OpenAI-style bodies ignore extras). */
  readonly allowed: readonly string[] | null;
  /** How the answer's id starts (`msg_bdrk_`, `chatcmpl-`): the family's own id style. */
  readonly idPrefix: string;
  read(body: Json): InvokeInput;
  render(out: InvokeOutcome): Json;
  chunks(out: InvokeOutcome): Json[];
}

export function malformed(problems: readonly string[]): RuntimeFault {
  return validation(
    `Malformed input request: ${problems.join('')}, please reformat your input and try again.`,
  );
}

/** Turns from a chat-template prompt (Llama 3 headers or Mistral [INST] blocks), else one user turn. */
export function promptTurns(prompt: string): Turn[] {
  const turns: Turn[] = [];
  const llama =
    /<\|start_header_id\|>(user|assistant)<\|end_header_id\|>([\s\S]*?)(?=<\|eot_id\|>|<\|start_header_id\|>|$)/g;
  for (const m of prompt.matchAll(llama)) {
    const text = (m[2] ?? '').trim();
    if (text) turns.push({ role: m[1] as Turn['role'], text });
  }
  if (turns.length > 0) return turns;
  const inst = /\[INST\]([\s\S]*?)\[\/INST\]([\s\S]*?)(?=\[INST\]|$)/g;
  for (const m of prompt.matchAll(inst)) {
    const user = (m[1] ?? '').trim();
    const assistant = (m[2] ?? '').replace(/<\/?s>/g, '').trim();
    if (user) turns.push({ role: 'user', text: user });
    if (assistant) turns.push({ role: 'assistant', text: assistant });
  }
  return turns.length > 0 ? turns : [{ role: 'user', text: prompt }];
}

export function chatTurns(messages: unknown, path: string): Turn[] {
  if (!Array.isArray(messages))
    throw malformed([`#/${path}: expected type: JSONArray, found: ${jsonType(messages)}`]);
  const turns: Turn[] = [];
  messages.forEach((m, i) => {
    if (!isObject(m)) throw malformed([`#/${path}/${i}: expected type: JSONObject, found: ${jsonType(m)}`]);
    // System/developer messages steer the model but are not conversation turns.
    if (m.role === 'user' || m.role === 'assistant')
      turns.push({ role: m.role, text: textOfBlocks(m.content) });
  });
  return turns;
}

export function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'JSONArray';
  if (v === null) return 'Null';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'number') return 'Integer';
  if (typeof v === 'boolean') return 'Boolean';
  return 'JSONObject';
}

export const PROMPT_STOP: Record<InvokeStop, string> = {
  end: 'stop',
  max_tokens: 'length',
  tool_use: 'stop',
  guardrail: 'stop',
};

/** A chat-template body (Meta, Mistral): the turns in `prompt`, the output cap in `maxField`. */
export function readPrompt(body: Json, maxField: string): InvokeInput {
  if (typeof body.prompt !== 'string')
    throw malformed([`#/prompt: expected type: String, found: ${jsonType(body.prompt)}`]);
  return {
    turns: promptTurns(body.prompt),
    maxTokens: optionalCount(body[maxField], maxField),
    tools: [],
  };
}
