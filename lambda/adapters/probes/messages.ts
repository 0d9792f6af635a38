/**
 * The Anthropic Messages api through `@anthropic-ai/sdk`, on either host's `/anthropic/v1`.
 * Guardrails ride on the same `X-Amzn-Bedrock-Guardrail*` headers as Chat; no documented marker.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { guardrailAction } from '../../core/guardrail-verdict';
import type { ProbeRequest } from '../../engine/probe-port';
import { headerCallOptions } from './guardrail-wire';
import type { Fields, ProbeCall } from './observe';
import { promptFor, TOOL, toolSchema } from './prompts';

export function messagesParams(req: ProbeRequest): Anthropic.MessageCreateParamsNonStreaming {
  const prompt = promptFor(req);
  return {
    model: req.modelId,
    max_tokens: req.maxTokens,
    // The alternate shape sends content as text blocks instead of a bare string.
    messages: [
      { role: 'user', content: req.shape === 'alternate' ? [{ type: 'text', text: prompt }] : prompt },
    ],
    // Models that think by default (Claude Sonnet 5) would spend a tiny max_tokens thinking;
    // `disabled` turns it off (docs/bedrock-wire.md). The alternate shape leaves it out, for a
    // model that refuses the field.
    ...(req.shape === 'alternate' ? {} : { thinking: { type: 'disabled' as const } }),
    ...(req.variant === 'tools'
      ? {
          tools: [{ name: TOOL.name, description: TOOL.description, input_schema: toolSchema() }],
          tool_choice: { type: 'any' as const },
        }
      : {}),
  };
}

export async function probeMessages(client: Anthropic, req: ProbeRequest, call: ProbeCall): Promise<Fields> {
  const params = messagesParams(req);
  const options = headerCallOptions(req, call.signal);

  if (req.variant === 'stream') {
    const stream = await call.answer(client.messages.create({ ...params, stream: true }, options));
    let stopped = false;
    let inputTokens: number | null = null;
    let outputTokens: number | null = null;
    let id: string | null = null;
    let thinkingDeltas = 0;
    let stopReason: string | null = null;
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'thinking_delta') thinkingDeltas += 1;
      if (event.type === 'message_delta') stopReason = event.delta.stop_reason ?? stopReason;
      if (event.type === 'message_start') {
        id = event.message.id ?? null;
        inputTokens = event.message.usage?.input_tokens ?? null;
      }
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') call.delta();
      if (event.type === 'message_delta') outputTokens = event.usage?.output_tokens ?? outputTokens;
      if (event.type === 'message_stop') stopped = true;
    }
    const { deltas } = call;
    const thinkingOnly = deltas === 0 && thinkingDeltas > 0 && stopReason === 'max_tokens';
    return {
      ...call.ok(),
      inputTokens,
      outputTokens,
      responseId: id,
      ...(stopped ? {} : { malformed: `a stream of ${deltas} text deltas that ended without message_stop` }),
      ...(thinkingOnly ? { thinkingOnly } : {}),
      check: {
        passed: deltas > 0 && stopped,
        detail: `${deltas} text deltas${thinkingDeltas > 0 ? `, ${thinkingDeltas} thinking deltas` : ''}, ${stopped ? 'message_stop' : 'no message_stop'}`,
      },
    };
  }

  const data = await call.answer(client.messages.create(params, options));
  const fields: Fields = {
    ...call.ok(),
    inputTokens: data.usage?.input_tokens ?? null,
    outputTokens: data.usage?.output_tokens ?? null,
    responseId: typeof data.id === 'string' ? data.id : null,
    ...(Array.isArray(data.content) && thoughtOnly(data) ? { thinkingOnly: true } : {}),
  };
  if (!Array.isArray(data.content)) {
    // Runtime answers unknown /anthropic operations with a 200 UnknownOperationException body
    // (docs/bedrock-wire.md): not a message, so classify must see the body.
    return { ...fields, body: data };
  }
  if (req.variant === 'tools') {
    const use = data.content.find((c) => c.type === 'tool_use');
    const objectInput =
      use?.type === 'tool_use' &&
      typeof use.input === 'object' &&
      use.input !== null &&
      !Array.isArray(use.input);
    return {
      ...fields,
      check: {
        passed: objectInput,
        detail:
          use?.type === 'tool_use'
            ? `tool_use ${use.name} with ${objectInput ? 'an object' : 'a non-object'} input`
            : `no tool_use block (stop_reason ${data.stop_reason ?? 'missing'})`,
      },
    };
  }
  if (req.variant === 'guardrail') {
    const text = data.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
    return { ...fields, body: data, guardrail: { intervened: guardrailAction(data), text } };
  }
  return fields;
}

/** Ended on max_tokens with thinking blocks and neither text nor a tool call. */
function thoughtOnly(data: Anthropic.Message): boolean {
  if (data.stop_reason !== 'max_tokens') return false;
  const thought = data.content.some((c) => c.type === 'thinking' || c.type === 'redacted_thinking');
  const said = data.content.some((c) => (c.type === 'text' && c.text !== '') || c.type === 'tool_use');
  return thought && !said;
}
