/** InvokeModel bodies of Amazon Nova: Converse-like messages, `inferenceConfig`, `toolConfig`. */
import { deltas, type ToolSpec } from '../../../brain';
import { isObject, type Json } from '../../json';
import { optionalCount, splitInTwo, toolUseId } from '../wire';
import {
  chatTurns,
  type FamilyCodec,
  type InvokeOutcome,
  type InvokeStop,
  jsonType,
  malformed,
} from './codec';

const NOVA_STOP: Record<InvokeStop, string> = {
  end: 'end_turn',
  max_tokens: 'max_tokens',
  tool_use: 'tool_use',
  guardrail: 'guardrail_intervened', // guessed: mirrors Converse
};

function novaContent(out: InvokeOutcome): Json[] {
  return out.toolCall
    ? [{ toolUse: { toolUseId: toolUseId(), name: out.toolCall.name, input: out.toolCall.arguments } }]
    : [{ text: out.text }];
}

export const novaCodec: FamilyCodec = {
  required: ['messages'],
  allowed: ['schemaVersion', 'system', 'messages', 'inferenceConfig', 'toolConfig'],
  idPrefix: 'msg_bdrk_',
  read(body) {
    const messages = body.messages;
    if (Array.isArray(messages)) {
      messages.forEach((m, i) => {
        if (isObject(m) && !Array.isArray(m.content)) {
          throw malformed([
            `#/messages/${i}/content: expected type: JSONArray, found: ${jsonType(m.content)}`,
          ]);
        }
      });
    }
    const inference = isObject(body.inferenceConfig) ? body.inferenceConfig : {};
    const tools: ToolSpec[] = [];
    if (isObject(body.toolConfig) && Array.isArray(body.toolConfig.tools)) {
      for (const t of body.toolConfig.tools) {
        if (isObject(t) && isObject(t.toolSpec)) {
          const schema = isObject(t.toolSpec.inputSchema) ? t.toolSpec.inputSchema.json : undefined;
          tools.push({ name: String(t.toolSpec.name), parameters: schema });
        }
      }
    }
    return {
      turns: chatTurns(messages, 'messages'),
      maxTokens: optionalCount(inference.maxTokens ?? inference.max_new_tokens, 'inferenceConfig.maxTokens'),
      tools,
    };
  },
  render(out) {
    return {
      output: { message: { role: 'assistant', content: novaContent(out) } },
      stopReason: NOVA_STOP[out.stopReason],
      usage: {
        inputTokens: out.inputTokens,
        outputTokens: out.outputTokens,
        totalTokens: out.inputTokens + out.outputTokens,
        cacheReadInputTokenCount: 0,
        cacheWriteInputTokenCount: 0,
      },
    };
  },
  chunks(out) {
    const events: Json[] = [{ messageStart: { role: 'assistant' } }];
    const [block] = novaContent(out);
    if (out.toolCall && block && isObject(block.toolUse)) {
      const { toolUseId: id, name } = block.toolUse;
      events.push({
        contentBlockStart: { start: { toolUse: { toolUseId: id, name } }, contentBlockIndex: 0 },
      });
      for (const piece of splitInTwo(JSON.stringify(out.toolCall.arguments))) {
        events.push({ contentBlockDelta: { delta: { toolUse: { input: piece } }, contentBlockIndex: 0 } });
      }
    } else {
      for (const piece of deltas(out.text)) {
        events.push({ contentBlockDelta: { delta: { text: piece }, contentBlockIndex: 0 } });
      }
    }
    events.push({ contentBlockStop: { contentBlockIndex: 0 } });
    events.push({ messageStop: { stopReason: NOVA_STOP[out.stopReason] } });
    events.push({
      metadata: {
        usage: { inputTokens: out.inputTokens, outputTokens: out.outputTokens },
        metrics: {},
        trace: {},
      },
    });
    return events;
  },
};
