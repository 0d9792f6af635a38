/**
 * Converse and ConverseStream: one body shape for every model, the guardrail in
 * `guardrailConfig`, the stream as typed event-stream frames.
 */
import {
  type BrainReply,
  deltas,
  type ToolSpec,
  type Turn,
  think,
  thinkingFirst,
  turnsText,
} from '../../brain';
import type { SimFeature } from '../../types';
import { type Exchange, sendJson } from '../exchange';
import { isObject, type Json } from '../json';
import { assessment, checkInput, checkOutput, type GuardrailOutcome, type GuardrailRef } from './guardrail';
import {
  eventFrame,
  fromSimError,
  MALFORMED_BODY,
  optionalCount,
  parseBody,
  sendEventStream,
  splitInTwo,
  textOfBlocks,
  toolUseId,
  validation,
} from './wire';

const FIRST_MESSAGE_USER =
  'A conversation must start with a user message. Try again with a conversation that starts with a user message.';

interface ConverseInput {
  readonly turns: Turn[];
  readonly guardText: string;
  readonly maxTokens: number | undefined;
  readonly tools: ToolSpec[];
  readonly guardrail: GuardrailRef | null;
  /** `additionalModelRequestFields.thinking.type === 'disabled'`. */
  readonly thinkingDisabled: boolean;
}

type ContentBlock =
  | { readonly text: string }
  | {
      readonly reasoningContent: {
        readonly reasoningText: { readonly text: string; readonly signature: string };
      };
    }
  | { readonly toolUse: { readonly toolUseId: string; readonly name: string; readonly input: unknown } };

interface ConverseResult {
  readonly content: ContentBlock[];
  readonly stopReason: string;
  readonly usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  readonly trace: Json | null;
}

function readConverse(body: Json): ConverseInput {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw validation(FIRST_MESSAGE_USER);
  const turns: Turn[] = [];
  const guarded: string[] = [];
  messages.forEach((m, i) => {
    if (!isObject(m)) throw validation(MALFORMED_BODY);
    if (m.role !== 'user' && m.role !== 'assistant') {
      throw validation(
        `Value '${String(m.role)}' at 'messages.${i + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`,
      );
    }
    if (i === 0 && m.role !== 'user') throw validation(FIRST_MESSAGE_USER);
    if (!Array.isArray(m.content)) throw validation(MALFORMED_BODY);
    turns.push({ role: m.role, text: textOfBlocks(m.content) });
    for (const block of m.content) {
      if (isObject(block) && isObject(block.guardContent)) guarded.push(textOfBlocks([block.guardContent]));
    }
  });
  const inference = isObject(body.inferenceConfig) ? body.inferenceConfig : {};
  const tools: ToolSpec[] = [];
  if (isObject(body.toolConfig)) {
    const list = body.toolConfig.tools;
    if (!Array.isArray(list) || list.length === 0) {
      throw validation(
        "Value '[]' at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    }
    for (const tool of list) {
      const spec = isObject(tool) && isObject(tool.toolSpec) ? tool.toolSpec : null;
      if (!spec || typeof spec.name !== 'string') throw validation(MALFORMED_BODY);
      const schema = isObject(spec.inputSchema) ? spec.inputSchema.json : undefined;
      tools.push({ name: spec.name, parameters: schema });
    }
  }
  let guardrail: GuardrailRef | null = null;
  if (isObject(body.guardrailConfig)) {
    const g = body.guardrailConfig;
    if (typeof g.guardrailIdentifier !== 'string' || typeof g.guardrailVersion !== 'string') {
      throw validation(MALFORMED_BODY);
    }
    guardrail = {
      id: g.guardrailIdentifier,
      version: g.guardrailVersion,
      trace: g.trace === 'enabled' || g.trace === 'enabled_full',
    };
  }
  return {
    turns,
    // guardContent blocks, when present, are all the guardrail looks at (docs/bedrock-wire.md).
    guardText: guarded.length > 0 ? guarded.join('\n') : turnsText(turns),
    maxTokens: optionalCount(inference.maxTokens, 'inferenceConfig.maxTokens'),
    tools,
    guardrail,
    thinkingDisabled:
      isObject(body.additionalModelRequestFields) &&
      isObject(body.additionalModelRequestFields.thinking) &&
      body.additionalModelRequestFields.thinking.type === 'disabled',
  };
}

const CONVERSE_STOP: Record<BrainReply['stopReason'], string> = {
  end: 'end_turn',
  max_tokens: 'max_tokens',
  tool_use: 'tool_use',
};

export async function converse(x: Exchange, modelId: string, stream: boolean): Promise<void> {
  const input = readConverse(parseBody(x.req.body));
  x.guardrailId = input.guardrail?.id ?? null;
  const features: SimFeature[] = [];
  if (stream) features.push('stream');
  if (input.tools.length > 0) features.push('tools');
  const decision = await x.world.decide({
    region: x.req.region,
    account: x.req.account,
    host: x.host,
    api: 'converse',
    route: null,
    modelId,
    features,
    path: x.req.path,
  });
  if (!decision.ok) throw fromSimError(decision.error);

  // A guarded request keeps the guardrail's path (its checks come first on the real host too).
  const thinks =
    decision.model.thinksByDefault === true && !input.thinkingDisabled && !stream && input.guardrail === null;
  const result = thinks ? thoughtResult(input) : converseResult(x, input, decision.guardrail);
  if (!stream) {
    sendJson(x, 200, {
      output: { message: { role: 'assistant', content: result.content } },
      stopReason: result.stopReason,
      usage: result.usage,
      metrics: { latencyMs: Date.now() - x.started },
      ...(result.trace ? { trace: result.trace } : {}),
    });
    return;
  }
  await sendEventStream(x, converseFrames(result, Date.now() - x.started));
}

function converseResult(
  x: Exchange,
  input: ConverseInput,
  behaviour: 'enforced' | 'ignored',
): ConverseResult {
  const guard = checkInput(x.world, input.guardrail, behaviour, input.guardText);
  if (guard?.input.blocked) {
    // Blocked input never reaches the model: nothing is billed (guessed: zero input tokens too).
    return {
      content: [{ text: guard.input.message }],
      stopReason: 'guardrail_intervened',
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      trace: converseTrace(guard, input.guardText, ''),
    };
  }
  const reply = think(input.turns, {
    maxTokens: input.maxTokens,
    ...(input.tools.length > 0 ? { tools: input.tools } : {}),
  });
  checkOutput(x.world, guard, reply.text);
  const usage = {
    inputTokens: reply.inputTokens,
    outputTokens: reply.outputTokens,
    totalTokens: reply.inputTokens + reply.outputTokens,
  };
  if (guard?.output?.blocked) {
    return {
      content: [{ text: guard.output.message }],
      stopReason: 'guardrail_intervened',
      usage,
      trace: converseTrace(guard, input.guardText, reply.text),
    };
  }
  const content: ContentBlock[] = reply.toolCall
    ? [{ toolUse: { toolUseId: toolUseId(), name: reply.toolCall.name, input: reply.toolCall.arguments } }]
    : [{ text: reply.text }];
  return {
    content,
    stopReason: CONVERSE_STOP[reply.stopReason],
    usage,
    trace: guard ? converseTrace(guard, input.guardText, reply.text) : null,
  };
}

/**
 * A model that thinks by default (no guardrail on this path): reasoning first; a max_tokens spent
 * on it leaves no text or tool call and `stopReason: max_tokens`.
 */
function thoughtResult(input: ConverseInput): ConverseResult {
  const thought = thinkingFirst(input.maxTokens);
  const reasoning: ContentBlock = {
    reasoningContent: { reasoningText: { text: thought.thinking, signature: `sim-${toolUseId()}` } },
  };
  const inputTokens = think(input.turns, { maxTokens: 0 }).inputTokens;
  if (thought.left === 0) {
    const usage = { inputTokens, outputTokens: thought.tokens, totalTokens: inputTokens + thought.tokens };
    return { content: [reasoning], stopReason: 'max_tokens', usage, trace: null };
  }
  const reply = think(input.turns, {
    maxTokens: thought.left,
    ...(input.tools.length > 0 ? { tools: input.tools } : {}),
  });
  const outputTokens = reply.outputTokens + thought.tokens;
  const answer: ContentBlock = reply.toolCall
    ? { toolUse: { toolUseId: toolUseId(), name: reply.toolCall.name, input: reply.toolCall.arguments } }
    : { text: reply.text };
  return {
    content: [reasoning, answer],
    stopReason: CONVERSE_STOP[reply.stopReason],
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    trace: null,
  };
}

function converseTrace(guard: GuardrailOutcome, inputText: string, outputText: string): Json | null {
  if (!guard.ref.trace) return null;
  return {
    guardrail: {
      inputAssessment: { [guard.ref.id]: assessment(guard.input, inputText) },
      ...(guard.output
        ? { outputAssessments: { [guard.ref.id]: [assessment(guard.output, outputText)] } }
        : {}),
      ...(guard.input.blocked || guard.output?.blocked ? { actionReason: 'Guardrail blocked.' } : {}),
    },
  };
}

function converseFrames(result: ConverseResult, latencyMs: number): Uint8Array[] {
  const frames = [eventFrame('messageStart', { role: 'assistant' })];
  result.content.forEach((block, index) => {
    if ('toolUse' in block) {
      frames.push(
        eventFrame('contentBlockStart', {
          contentBlockIndex: index,
          start: { toolUse: { toolUseId: block.toolUse.toolUseId, name: block.toolUse.name } },
        }),
      );
      for (const piece of splitInTwo(JSON.stringify(block.toolUse.input))) {
        frames.push(
          eventFrame('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: piece } } }),
        );
      }
    } else if ('text' in block) {
      for (const piece of deltas(block.text)) {
        frames.push(eventFrame('contentBlockDelta', { contentBlockIndex: index, delta: { text: piece } }));
      }
    }
    frames.push(eventFrame('contentBlockStop', { contentBlockIndex: index }));
  });
  frames.push(eventFrame('messageStop', { stopReason: result.stopReason }));
  frames.push(
    eventFrame('metadata', {
      usage: result.usage,
      metrics: { latencyMs },
      ...(result.trace ? { trace: result.trace } : {}),
    }),
  );
  return frames;
}
