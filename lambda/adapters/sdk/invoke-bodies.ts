/**
 * InvokeModel request bodies per provider family, and how to read text and usage back.
 * Formats: Anthropic Messages on Bedrock (`anthropic_version: bedrock-2023-05-31`), OpenAI
 * gpt-oss (Chat Completions shape), Amazon Nova (`messages` + `inferenceConfig`), Meta Llama
 * (`prompt`/`max_gen_len`) and Mistral (`prompt`/`max_tokens`).
 */
import type { InvokeFamily } from '../../engine/probe-port';

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
      return { messages: [{ role: 'user', content: [{ text: prompt }] }], inferenceConfig: { maxTokens } };
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
const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
const first = (v: unknown): Record<string, unknown> => rec(Array.isArray(v) ? v[0] : undefined);

export function readInvokeAnswer(family: InvokeFamily, body: unknown): InvokeAnswer {
  const b = rec(body);
  switch (family) {
    case 'anthropic': {
      const usage = rec(b.usage);
      const text = Array.isArray(b.content) ? b.content.map((c) => rec(c).text ?? '').join('') : null;
      return {
        text,
        inputTokens: num(usage.input_tokens),
        outputTokens: num(usage.output_tokens),
        responseId: (b.id as string) ?? null,
      };
    }
    case 'gpt-oss': {
      const usage = rec(b.usage);
      const message = rec(first(b.choices).message);
      return {
        text: typeof message.content === 'string' ? message.content : null,
        inputTokens: num(usage.prompt_tokens),
        outputTokens: num(usage.completion_tokens),
        responseId: (b.id as string) ?? null,
      };
    }
    case 'nova': {
      const usage = rec(b.usage);
      const content = rec(rec(b.output).message).content;
      const text = Array.isArray(content) ? content.map((c) => rec(c).text ?? '').join('') : null;
      return {
        text,
        inputTokens: num(usage.inputTokens),
        outputTokens: num(usage.outputTokens),
        responseId: null,
      };
    }
    case 'meta':
      return {
        text: typeof b.generation === 'string' ? b.generation : null,
        inputTokens: num(b.prompt_token_count),
        outputTokens: num(b.generation_token_count),
        responseId: null,
      };
    case 'mistral': {
      const out = first(b.outputs);
      return {
        text: typeof out.text === 'string' ? out.text : null,
        inputTokens: null,
        outputTokens: null,
        responseId: null,
      };
    }
  }
}
