/** The Anthropic Messages api through `@anthropic-ai/sdk`, on either host's `/anthropic/v1`. */
import type Anthropic from '@anthropic-ai/sdk';
import type { ProbeRequest } from '../../engine/probe-port';
import type { Fields } from './observe';
import { Stopwatch } from './observe';
import { guardrailHeaders, okFields } from './openai-compat';
import { BASIC_PROMPT, canaryPrompt, TOOL, TOOL_PROMPT } from './prompts';

export async function probeMessages(
  client: Anthropic,
  req: ProbeRequest,
  signal: AbortSignal,
): Promise<Fields> {
  const watch = new Stopwatch();
  const prompt =
    req.variant === 'guardrail'
      ? canaryPrompt(req.canary)
      : req.variant === 'tools'
        ? TOOL_PROMPT
        : BASIC_PROMPT;
  const base = {
    model: req.modelId,
    max_tokens: req.maxTokens,
    // The alternate shape sends content as text blocks instead of a bare string.
    messages: [
      {
        role: 'user' as const,
        content: req.shape === 'alternate' ? [{ type: 'text' as const, text: prompt }] : prompt,
      },
    ],
    ...(req.variant === 'tools'
      ? {
          tools: [
            {
              name: TOOL.name,
              description: TOOL.description,
              input_schema: { ...TOOL.parameters, required: [...TOOL.parameters.required] },
            },
          ],
          tool_choice: { type: 'any' as const },
        }
      : {}),
  };
  const options = { signal, headers: guardrailHeaders(req) };

  if (req.variant === 'stream') {
    const { data: stream, response } = await client.messages
      .create({ ...base, stream: true }, options)
      .withResponse();
    let deltas = 0;
    let stopped = false;
    let outputTokens: number | null = null;
    let inputTokens: number | null = null;
    for await (const event of stream) {
      watch.firstByte();
      if (event.type === 'message_start') inputTokens = event.message.usage.input_tokens;
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') deltas += 1;
      if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
      if (event.type === 'message_stop') stopped = true;
    }
    return {
      ...okFields(response, watch),
      inputTokens,
      outputTokens,
      check: {
        passed: deltas > 0 && stopped,
        detail: `${deltas} text deltas, ${stopped ? 'message_stop' : 'no message_stop'}`,
      },
    };
  }

  const { data, response } = await client.messages.create(base, options).withResponse();
  const text = data.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  const fields: Fields = {
    ...okFields(response, watch),
    body: data,
    inputTokens: data.usage?.input_tokens ?? null,
    outputTokens: data.usage?.output_tokens ?? null,
    responseId: data.id ?? null,
  };
  if (req.variant === 'tools') {
    const use = data.content.find((c) => c.type === 'tool_use');
    const passed = use?.type === 'tool_use' && typeof use.input === 'object' && use.input !== null;
    return {
      ...fields,
      check: {
        passed,
        detail:
          use?.type === 'tool_use'
            ? `tool_use ${use.name} with ${JSON.stringify(use.input)}`
            : `no tool_use (stop_reason ${data.stop_reason})`,
      },
    };
  }
  if (req.variant === 'guardrail') return { ...fields, guardrail: { intervened: null, text } };
  return fields;
}
