/** Chat Completions (`POST .../chat/completions`), plain and streamed, as the `openai` SDK reads it. */
import { deltas, type ToolSpec, type Turn, think, turnsText } from '../../brain';
import type { SimFeature } from '../../types';
import { type Exchange, hex, nowSeconds, recordExchange, sendJson } from '../exchange';
import { applyGuardrail, blockedReply } from '../guardrail-headers';
import { asRecord, contentText, parseJsonObject, str, toolSpecs } from '../json';
import { startSse } from '../sse';
import { sendOpenAiError, sendSimError } from './errors';

function chatTurns(messages: readonly unknown[]): Turn[] {
  const turns: Turn[] = [];
  for (const raw of messages) {
    const m = asRecord(raw);
    if (!m) continue;
    if (m.role === 'assistant') {
      const calls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
      const callText = calls
        .map((c) => asRecord(asRecord(c)?.function))
        .map((f) => (f ? `${String(f.name)}(${String(f.arguments ?? '')})` : ''))
        .join(' ');
      turns.push({ role: 'assistant', text: [contentText(m.content), callText].filter(Boolean).join(' ') });
    } else {
      // system, developer and tool messages are input the model reads, like user turns.
      turns.push({ role: 'user', text: contentText(m.content) });
    }
  }
  return turns;
}

/** Chat tools wrap each spec in `function`. */
const chatTools = (tools: unknown): ToolSpec[] =>
  toolSpecs(tools, (t) => {
    const fn = asRecord(t.function);
    return fn ? { name: fn.name, parameters: fn.parameters } : null;
  });

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

export async function chatCompletions(x: Exchange, route: string): Promise<void> {
  const body = parseJsonObject(x.req.body);
  if (!body) return sendOpenAiError(x, 400, 'We could not parse the JSON body of your request.');
  const model = str(body.model);
  x.modelId = model;
  if (!model) return sendOpenAiError(x, 400, 'you must provide a model parameter', null, 'model');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return sendOpenAiError(
      x,
      400,
      "Missing required parameter: 'messages'.",
      'missing_required_parameter',
      'messages',
    );
  }
  const maxTokens = positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens);
  const tools = chatTools(body.tools);
  const stream = body.stream === true;
  const includeUsage = asRecord(body.stream_options)?.include_usage === true;
  const features: SimFeature[] = [];
  if (stream) features.push('stream');
  if (tools.length > 0) features.push('tools');
  // A stored completion: Bedrock documents none on Chat, so only a drift scenario grants it.
  if (body.store === true) features.push('stateful');

  const decision = await x.world.decide({
    region: x.req.region,
    account: x.req.account,
    host: x.host,
    api: 'chat',
    route,
    modelId: model,
    features,
    path: x.req.path,
  });
  if (!decision.ok) return sendSimError(x, decision.error);

  const turns = chatTurns(body.messages);
  const guard = applyGuardrail(x, decision, turnsText(turns));
  if (guard.action === 'error') return sendSimError(x, guard.error);
  const blocked = guard.action === 'blocked';
  const reply = blocked
    ? blockedReply(guard.message)
    : think(turns, { maxTokens, tools: body.tool_choice === 'none' ? [] : tools });

  // Guessed: the blocked chat finish_reason is not documented (docs/bedrock-wire.md); content_filter is OpenAI's own.
  const finishReason = blocked
    ? 'content_filter'
    : reply.stopReason === 'tool_use'
      ? 'tool_calls'
      : reply.stopReason === 'max_tokens'
        ? 'length'
        : 'stop';
  // A runtime block answers with a guardrail id and bills nothing (docs/bedrock-wire.md, seen live).
  const id = blocked && x.host === 'runtime' ? `bedrock-guardrails-${hex(24)}` : `chatcmpl-${hex(29)}`;
  const created = nowSeconds();
  const usage = {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
  };
  const toolCall = reply.toolCall
    ? {
        id: `call_${hex(24)}`,
        type: 'function' as const,
        function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.arguments) },
      }
    : null;

  if (!stream) {
    return sendJson(x, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: toolCall ? null : reply.text,
            refusal: null,
            ...(toolCall ? { tool_calls: [toolCall] } : {}),
          },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage,
      system_fingerprint: null,
    });
  }

  const sse = startSse(x.res, x.idHeaders);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  sse.send(chunk({ role: 'assistant', content: toolCall ? null : '' }));
  if (toolCall) {
    sse.send(
      chunk({
        tool_calls: [
          {
            index: 0,
            id: toolCall.id,
            type: 'function',
            function: { name: toolCall.function.name, arguments: '' },
          },
        ],
      }),
    );
    for (const piece of deltas(toolCall.function.arguments)) {
      sse.send(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
  } else {
    for (const piece of deltas(reply.text)) sse.send(chunk({ content: piece }));
  }
  sse.send(chunk({}, finishReason));
  if (includeUsage) {
    sse.send({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: null,
      choices: [],
      usage,
    });
  }
  sse.done();
  sse.end();
  recordExchange(x, 200);
}
