/** InvokeModel bodies of gpt-oss: Chat Completions, not strict about extra keys (docs/bedrock-wire.md). */
import { deltas } from '../../../brain';
import { isObject, type Json } from '../../json';
import { optionalCount } from '../wire';
import { chatTurns, type FamilyCodec, type InvokeOutcome, type InvokeStop } from './codec';

const CHAT_FINISH: Record<InvokeStop, string> = {
  end: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  guardrail: 'content_filter', // guessed: not documented (docs/bedrock-wire.md)
};

function chatToolCalls(out: InvokeOutcome): Json[] | undefined {
  if (!out.toolCall) return undefined;
  return [
    {
      id: `call_${out.id.slice(-24)}`,
      type: 'function',
      function: { name: out.toolCall.name, arguments: JSON.stringify(out.toolCall.arguments) },
    },
  ];
}

export const gptOssCodec: FamilyCodec = {
  required: ['messages'],
  allowed: null,
  idPrefix: 'chatcmpl-',
  read(body) {
    const maxTokens = optionalCount(body.max_completion_tokens ?? body.max_tokens, 'max_completion_tokens');
    const tools = Array.isArray(body.tools)
      ? body.tools
          .filter(isObject)
          .map((t) => (isObject(t.function) ? t.function : t))
          .map((f) => ({ name: String(f.name), parameters: f.parameters }))
      : [];
    return { turns: chatTurns(body.messages, 'messages'), maxTokens, tools };
  },
  render(out) {
    const toolCalls = chatToolCalls(out);
    return {
      id: out.id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: out.modelId,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: out.toolCall ? null : out.text,
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: CHAT_FINISH[out.stopReason],
        },
      ],
      usage: {
        prompt_tokens: out.inputTokens,
        completion_tokens: out.outputTokens,
        total_tokens: out.inputTokens + out.outputTokens,
      },
    };
  },
  chunks(out) {
    const base = {
      id: out.id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: out.modelId,
    };
    const chunk = (delta: Json, finish: string | null) => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const events: Json[] = [chunk({ role: 'assistant', content: '' }, null)];
    const toolCalls = chatToolCalls(out);
    if (toolCalls) events.push(chunk({ tool_calls: toolCalls.map((c, index) => ({ index, ...c })) }, null));
    else for (const piece of deltas(out.text)) events.push(chunk({ content: piece }, null));
    events.push(chunk({}, CHAT_FINISH[out.stopReason]));
    return events;
  },
};
