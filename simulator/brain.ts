/**
 * The simulator's deterministic "model": every host handler asks it what to answer once the
 * World allowed the call, so the same prompt gives the same answer on every api and host.
 */

export interface Turn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

/** All the text of a conversation, one turn a line: what a guardrail reads. */
export const turnsText = (turns: readonly Turn[]): string => turns.map((t) => t.text).join('\n');

export interface ToolSpec {
  readonly name: string;
  /** JSON schema of the tool's arguments. @default no arguments */
  readonly parameters?: unknown;
}

export interface BrainReply {
  /** '' when a tool call is returned. */
  readonly text: string;
  readonly toolCall: { readonly name: string; readonly arguments: Record<string, unknown> } | null;
  /** ceil(chars/4) of all input text, at least 1. */
  readonly inputTokens: number;
  /** Never more than maxTokens. */
  readonly outputTokens: number;
  readonly stopReason: 'end' | 'max_tokens' | 'tool_use';
}

export interface ThinkOptions {
  /** Output cap in tokens (one word = one token here). @default unlimited */
  readonly maxTokens?: number;
  /** Tools offered; with any, the reply is a call to the first one. @default none */
  readonly tools?: readonly ToolSpec[];
}

/** The answer when nothing more specific applies. */
export const DEFAULT_REPLY = 'Hello from the bedrock-matrix simulator.';

const CODE_WORD_STATEMENT = /code word is\s+["'“]?([A-Za-z0-9][A-Za-z0-9_-]*)/i;

/** Answer a conversation deterministically (see module doc). */
export function think(turns: readonly Turn[], opts: ThinkOptions = {}): BrainReply {
  const inputChars = turns.reduce((n, t) => n + t.text.length, 0);
  const inputTokens = Math.max(1, Math.ceil(inputChars / 4));
  const maxTokens = opts.maxTokens;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 0)) {
    throw new Error(`maxTokens must be a non-negative integer, got ${String(maxTokens)}`);
  }

  const tool = opts.tools?.[0];
  if (tool) {
    const args = argumentsFor(tool.parameters);
    return {
      text: '',
      toolCall: { name: tool.name, arguments: args },
      inputTokens,
      outputTokens: cap(Math.max(1, Math.ceil(JSON.stringify(args).length / 4)), maxTokens),
      stopReason: 'tool_use',
    };
  }

  const full = recallCodeWord(turns) ?? DEFAULT_REPLY;
  const words = full.split(' ');
  if (maxTokens !== undefined && words.length > maxTokens) {
    return {
      text: words.slice(0, maxTokens).join(' '),
      toolCall: null,
      inputTokens,
      outputTokens: maxTokens,
      stopReason: 'max_tokens',
    };
  }
  return { text: full, toolCall: null, inputTokens, outputTokens: words.length, stopReason: 'end' };
}

/**
 * Tokens a model that thinks by default spends thinking before it answers: the simulator's own
 * figure, chosen above the prober's tiny max_tokens so such a model answers it with no text.
 */
export const THINKING_TOKENS = 64;
const THOUGHT_WORDS =
  'The user asks for a short reply. I should answer briefly and exactly as asked, without extra words. '
    .repeat(4)
    .trim()
    .split(' ');

/** What a model that thinks by default shows first, and the token budget it leaves for the answer. */
export function thinkingFirst(maxTokens: number | undefined): {
  readonly thinking: string;
  readonly tokens: number;
  /** Tokens left for the answer; 0 = the limit was spent thinking. */
  readonly left: number | undefined;
} {
  const tokens = maxTokens === undefined ? THINKING_TOKENS : Math.min(maxTokens, THINKING_TOKENS);
  return {
    thinking: THOUGHT_WORDS.slice(0, tokens).join(' '),
    tokens,
    left: maxTokens === undefined ? undefined : maxTokens - tokens,
  };
}

/** Split text into stream deltas: 2+ pieces for any non-empty text, joined they give it back. */
export function deltas(text: string): string[] {
  if (text.length === 0) return [];
  if (text.length === 1) return [text, ''];
  // Word boundaries keep deltas realistic; a single long word is halved so streams always carry 2+.
  const pieces = text.match(/\S+\s*|\s+/g) ?? [text];
  if (pieces.length >= 2) return pieces;
  const mid = Math.ceil(text.length / 2);
  return [text.slice(0, mid), text.slice(mid)];
}

function cap(n: number, maxTokens: number | undefined): number {
  return maxTokens === undefined ? n : Math.min(n, maxTokens);
}

/** The stateful probe: a later turn asks for the code word an earlier turn stated. */
function recallCodeWord(turns: readonly Turn[]): string | null {
  let lastUser = -1;
  for (let i = turns.length - 1; i >= 0; i--) {
    if (turns[i]?.role === 'user') {
      lastUser = i;
      break;
    }
  }
  const question = turns[lastUser]?.text.toLowerCase() ?? '';
  if (!(question.includes('code word') && question.includes('?'))) return null;
  for (let i = lastUser - 1; i >= 0; i--) {
    const match = CODE_WORD_STATEMENT.exec(turns[i]?.text ?? '');
    if (match?.[1]) return match[1];
  }
  return null;
}

function argumentsFor(schema: unknown): Record<string, unknown> {
  if (!isObject(schema)) return {};
  const props = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  const args: Record<string, unknown> = {};
  for (const name of required) {
    if (typeof name !== 'string') continue;
    args[name] = sampleValue(props[name]);
  }
  return args;
}

function sampleValue(schema: unknown): unknown {
  if (!isObject(schema)) return 'Paris';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [sampleValue(schema.items)];
    case 'object':
      return argumentsFor(schema);
    default:
      return 'Paris';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
