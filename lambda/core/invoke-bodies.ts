/**
 * InvokeModel request bodies per model family (what the probe sends and what a recipe shows), and
 * how to read text and usage back from each family's answer. Formats as documented in the Bedrock model parameter pages: Anthropic Messages
 * on Bedrock (`anthropic_version: bedrock-2023-05-31`), OpenAI gpt-oss (Chat Completions shape),
 * Amazon Nova (`schemaVersion: messages-v1`, `messages` + `inferenceConfig`), Meta Llama 3
 * (`prompt` in the Llama 3 chat template + `max_gen_len`) and Mistral (`<s>[INST]` + `max_tokens`).
 */
import type { InvokeFamily } from './model';

export function invokeBody(family: InvokeFamily, prompt: string, maxTokens: number): Record<string, unknown> {
  switch (family) {
    case 'anthropic':
      return {
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: maxTokens,
        messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
      };
    case 'gpt-oss':
      return { messages: [{ role: 'user', content: prompt }], max_completion_tokens: maxTokens };
    case 'nova':
      return {
        schemaVersion: 'messages-v1',
        messages: [{ role: 'user', content: [{ text: prompt }] }],
        inferenceConfig: { maxTokens },
      };
    case 'meta':
      return {
        prompt: `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n${prompt}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`,
        max_gen_len: maxTokens,
      };
    case 'mistral':
      return { prompt: `<s>[INST] ${prompt} [/INST]`, max_tokens: maxTokens };
  }
}

export interface InvokeAnswer {
  readonly text: string | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly responseId: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const first = (v: unknown): Record<string, unknown> => rec(Array.isArray(v) ? v[0] : undefined);
const joinText = (parts: unknown): string | null =>
  Array.isArray(parts) ? parts.map((p) => text(rec(p).text) ?? '').join('') : null;

/** Text, usage and id of one family's InvokeModel answer; fields the family lacks are null. */
export function readInvokeAnswer(family: InvokeFamily, body: unknown): InvokeAnswer {
  const b = rec(body);
  // Every family's answer may carry Bedrock's own token counts; they win over the family's.
  const metrics = rec(b['amazon-bedrock-invocationMetrics']);
  const answer = readFamily(family, b);
  return {
    ...answer,
    inputTokens: num(metrics.inputTokenCount) ?? answer.inputTokens,
    outputTokens: num(metrics.outputTokenCount) ?? answer.outputTokens,
  };
}

function readFamily(family: InvokeFamily, b: Record<string, unknown>): InvokeAnswer {
  switch (family) {
    case 'anthropic': {
      const usage = rec(b.usage);
      return {
        text: joinText(b.content),
        inputTokens: num(usage.input_tokens),
        outputTokens: num(usage.output_tokens),
        responseId: text(b.id),
      };
    }
    case 'gpt-oss': {
      const usage = rec(b.usage);
      return {
        text: text(rec(first(b.choices).message).content),
        inputTokens: num(usage.prompt_tokens),
        outputTokens: num(usage.completion_tokens),
        responseId: text(b.id),
      };
    }
    case 'nova': {
      const usage = rec(b.usage);
      return {
        text: joinText(rec(rec(b.output).message).content),
        inputTokens: num(usage.inputTokens),
        outputTokens: num(usage.outputTokens),
        responseId: null,
      };
    }
    case 'meta':
      return {
        text: text(b.generation),
        inputTokens: num(b.prompt_token_count),
        outputTokens: num(b.generation_token_count),
        responseId: null,
      };
    case 'mistral':
      return { text: text(first(b.outputs).text), inputTokens: null, outputTokens: null, responseId: null };
  }
}

/** Bedrock's token counts from the last chunk of an InvokeModelWithResponseStream answer. */
export function streamMetrics(
  chunk: unknown,
): { inputTokens: number | null; outputTokens: number | null } | null {
  const metrics = rec(rec(chunk)['amazon-bedrock-invocationMetrics']);
  if (Object.keys(metrics).length === 0) return null;
  return { inputTokens: num(metrics.inputTokenCount), outputTokens: num(metrics.outputTokenCount) };
}
