/** InvokeModel bodies of the Anthropic family: Messages with `anthropic_version` (docs/bedrock-wire.md). */
import { deltas } from '../../../brain';
import { isObject, type Json } from '../../json';
import { splitInTwo } from '../wire';
import { chatTurns, type FamilyCodec, type InvokeOutcome, type InvokeStop, malformed } from './codec';

const ANTHROPIC_STOP: Record<InvokeStop, string> = {
  end: 'end_turn',
  max_tokens: 'max_tokens',
  tool_use: 'tool_use',
  guardrail: 'end_turn',
};

function anthropicContent(out: InvokeOutcome): Json[] {
  return out.toolCall
    ? [
        {
          type: 'tool_use',
          id: out.id.replace('msg_', 'toolu_'),
          name: out.toolCall.name,
          input: out.toolCall.arguments,
        },
      ]
    : [{ type: 'text', text: out.text }];
}

export const anthropicCodec: FamilyCodec = {
  required: ['anthropic_version', 'max_tokens', 'messages'],
  allowed: [
    'anthropic_version',
    'anthropic_beta',
    'max_tokens',
    'messages',
    'system',
    'temperature',
    'top_p',
    'top_k',
    'stop_sequences',
    'tools',
    'tool_choice',
    'thinking',
    'metadata',
  ],
  idPrefix: 'msg_bdrk_',
  read(body) {
    if (body.anthropic_version !== 'bedrock-2023-05-31') {
      throw malformed([`#/anthropic_version: ${String(body.anthropic_version)} is not a valid enum value`]);
    }
    const maxTokens = body.max_tokens;
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
      throw malformed([`#/max_tokens: expected minimum: 1, found: ${String(maxTokens)}`]);
    }
    const tools = Array.isArray(body.tools)
      ? body.tools.filter(isObject).map((t) => ({ name: String(t.name), parameters: t.input_schema }))
      : [];
    return { turns: chatTurns(body.messages, 'messages'), maxTokens, tools };
  },
  render(out) {
    return {
      id: out.id,
      type: 'message',
      role: 'assistant',
      model: out.modelId,
      content: anthropicContent(out),
      stop_reason: ANTHROPIC_STOP[out.stopReason],
      stop_sequence: null,
      usage: { input_tokens: out.inputTokens, output_tokens: out.outputTokens },
    };
  },
  chunks(out) {
    const start = {
      type: 'message_start',
      message: {
        id: out.id,
        type: 'message',
        role: 'assistant',
        model: out.modelId,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: out.inputTokens, output_tokens: Math.min(1, out.outputTokens) },
      },
    };
    const [block] = anthropicContent(out);
    const events: Json[] = [start];
    if (out.toolCall && block) {
      events.push({ type: 'content_block_start', index: 0, content_block: { ...block, input: {} } });
      for (const piece of splitInTwo(JSON.stringify(out.toolCall.arguments))) {
        events.push({
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: piece },
        });
      }
    } else {
      events.push({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      for (const piece of deltas(out.text)) {
        events.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } });
      }
    }
    events.push({ type: 'content_block_stop', index: 0 });
    events.push({
      type: 'message_delta',
      delta: { stop_reason: ANTHROPIC_STOP[out.stopReason], stop_sequence: null },
      usage: { output_tokens: out.outputTokens },
    });
    events.push({ type: 'message_stop' });
    return events;
  },
};
