/**
 * Anthropic Messages on both hosts: `POST /anthropic/v1/messages` (docs/bedrock-wire.md), with the
 * Anthropic error shape and the named SSE events `@anthropic-ai/sdk` parses.
 */

import { authError } from '../../auth';
import type { BrainReply, ToolSpec, Turn } from '../../brain';
import { deltas, think, thinkingFirst, turnsText } from '../../brain';
import type { HostHandler, SimError, SimFeature } from '../../types';
import { errorTypeOf } from '../error-types';
import { answeredAuthError, type Exchange, hex, openExchange, recordExchange, sendJson } from '../exchange';
import { applyGuardrail, blockedReply, guardrailHeaders } from '../guardrail-headers';
import { asRecord, contentText, parseJsonObject, str, toolSpecs } from '../json';
import { startSse } from '../sse';

const ROUTE = '/anthropic/v1';
const MESSAGES_PATH = `${ROUTE}/messages`;

function sendAnthropicError(x: Exchange, status: number, message: string): void {
  sendJson(x, status, { type: 'error', error: { type: errorTypeOf(status, 'anthropic'), message } });
}

const sendSimError = (x: Exchange, e: SimError): void => sendAnthropicError(x, e.status, e.message);

export const handleAnthropic: HostHandler = async (world, req, res) => {
  if (req.host === 'control') return false;
  if (req.path !== '/anthropic' && !req.path.startsWith('/anthropic/')) return false;
  const isMessages = req.path === MESSAGES_PATH && req.method === 'POST';
  const x = openExchange(world, req, res, isMessages ? 'messages' : null, {
    requestIdHeader: 'request-id',
    guardrailId: guardrailHeaders(req).id,
  });
  if (!isMessages) {
    if (req.host === 'runtime') {
      // Runtime answers unknown /anthropic operations with a 200 carrying the Coral
      // UnknownOperationException (docs/bedrock-wire.md, unrecorded source): probes must classify on body.
      sendJson(x, 200, {
        Output: { __type: 'com.amazon.coral.service#UnknownOperationException' },
        Version: '1.0',
      });
    } else {
      sendAnthropicError(x, 404, `Not Found: ${req.method} ${req.path}`);
    }
    return true;
  }
  if (answeredAnthropicAuthError(x)) return true;
  await createMessage(x);
  return true;
};

/**
 * Mantle's Anthropic surface refuses bad keys in the Anthropic error shape (guessed: only the
 * OpenAI-shaped 401 is on record); runtime refuses them at the AWS front door, before routing.
 */
function answeredAnthropicAuthError(x: Exchange): boolean {
  if (x.host === 'runtime') return answeredAuthError(x);
  const err = authError(x.req);
  if (!err) return false;
  sendAnthropicError(x, err.status, authMessage(err.body));
  return true;
}

function authMessage(body: string): string {
  const parsed = parseJsonObject(Buffer.from(body));
  const nested = asRecord(parsed?.error);
  return str(nested?.message) ?? str(parsed?.message) ?? str(parsed?.Message) ?? 'Invalid bearer token';
}

function messageTurns(system: unknown, messages: readonly unknown[]): Turn[] {
  const turns: Turn[] = [];
  const systemText = contentText(system);
  if (systemText) turns.push({ role: 'user', text: systemText });
  for (const raw of messages) {
    const m = asRecord(raw);
    if (!m) continue;
    const blocks = Array.isArray(m.content) ? m.content : [];
    const toolUses = blocks
      .map((b) => asRecord(b))
      .filter((b) => b?.type === 'tool_use')
      .map((b) => `${String(b?.name)}(${JSON.stringify(b?.input ?? {})})`);
    const text = [contentText(m.content), ...toolUses].filter(Boolean).join(' ');
    turns.push({ role: m.role === 'assistant' ? 'assistant' : 'user', text });
  }
  return turns;
}

const messageTools = (tools: unknown): ToolSpec[] =>
  toolSpecs(tools, (t) => ({ name: t.name, parameters: t.input_schema }));

async function createMessage(x: Exchange): Promise<void> {
  // The docs ask for the header on both hosts (guessed for runtime); any dated version is accepted.
  const version = x.req.headers['anthropic-version'];
  if (!version) return sendAnthropicError(x, 400, 'anthropic-version: header is required');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version.trim())) {
    return sendAnthropicError(x, 400, `anthropic-version: invalid version '${version}'`);
  }
  const body = parseJsonObject(x.req.body);
  if (!body) return sendAnthropicError(x, 400, 'There was an error parsing the body of your request.');
  const model = str(body.model);
  x.modelId = model;
  if (!model) return sendAnthropicError(x, 400, 'model: Field required');
  const maxTokens = body.max_tokens;
  if (maxTokens === undefined) return sendAnthropicError(x, 400, 'max_tokens: Field required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return sendAnthropicError(
      x,
      400,
      `max_tokens: Input should be a valid integer greater than 0, got ${String(maxTokens)}`,
    );
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return sendAnthropicError(x, 400, 'messages: Field required');
  }
  const tools = messageTools(body.tools);
  const stream = body.stream === true;
  const features: SimFeature[] = [];
  if (stream) features.push('stream');
  if (tools.length > 0) features.push('tools');

  const decision = await x.world.decide({
    region: x.req.region,
    account: x.req.account,
    host: x.host,
    api: 'messages',
    route: ROUTE,
    modelId: model,
    features,
    path: x.req.path,
  });
  if (!decision.ok) return sendSimError(x, decision.error);

  const turns = messageTurns(body.system, body.messages);
  const guard = applyGuardrail(x, decision, turnsText(turns));
  if (guard.action === 'error') return sendSimError(x, guard.error);
  const toolChoice = asRecord(body.tool_choice);
  const replyTools = toolChoice?.type === 'none' ? [] : tools;
  const thinks =
    decision.model.thinksByDefault === true &&
    asRecord(body.thinking)?.type !== 'disabled' &&
    guard.action !== 'blocked' &&
    !stream;
  if (thinks) return sendJson(x, 200, thoughtMessage(model, turns, maxTokens, replyTools));
  const reply =
    guard.action === 'blocked' ? blockedReply(guard.message) : think(turns, { maxTokens, tools: replyTools });

  const message = messageBody(model, reply);
  if (!stream) return sendJson(x, 200, message);
  streamMessage(x, message, reply);
}

/**
 * A model that thinks by default: a thinking block first; when max_tokens is spent on it, no text
 * and `stop_reason: max_tokens`, as Claude Sonnet 5 answers a tiny limit.
 */
function thoughtMessage(
  model: string,
  turns: readonly Turn[],
  maxTokens: number,
  tools: readonly ToolSpec[],
): Record<string, unknown> {
  const thought = thinkingFirst(maxTokens);
  const block = { type: 'thinking', thinking: thought.thinking, signature: `sim-${hex(16)}` };
  if (thought.left === 0) {
    const reply = {
      ...think(turns, { maxTokens: 0 }),
      outputTokens: thought.tokens,
      stopReason: 'max_tokens' as const,
    };
    return { ...messageBody(model, reply), content: [block] };
  }
  const reply = think(turns, { maxTokens: thought.left, tools });
  const message = messageBody(model, { ...reply, outputTokens: reply.outputTokens + thought.tokens });
  return { ...message, content: [block, ...(message.content as unknown[])] };
}

/** Bedrock tags its Claude message and tool-use ids with `bdrk` (guessed for the Messages path). */
function messageBody(model: string, reply: BrainReply): Record<string, unknown> {
  const content = reply.toolCall
    ? [
        {
          type: 'tool_use',
          id: `toolu_bdrk_${hex(24)}`,
          name: reply.toolCall.name,
          input: reply.toolCall.arguments,
        },
      ]
    : [{ type: 'text', text: reply.text }];
  // Guessed: a guardrail-blocked Messages answer ends as end_turn with the blocked text.
  const stopReason =
    reply.stopReason === 'tool_use'
      ? 'tool_use'
      : reply.stopReason === 'max_tokens'
        ? 'max_tokens'
        : 'end_turn';
  return {
    id: `msg_bdrk_${hex(24)}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: reply.inputTokens, output_tokens: reply.outputTokens },
  };
}

function streamMessage(x: Exchange, message: Record<string, unknown>, reply: BrainReply): void {
  const sse = startSse(x.res, x.idHeaders);
  const send = (type: string, payload: Record<string, unknown>) => sse.send({ type, ...payload }, type);
  const usage = message.usage as { input_tokens: number; output_tokens: number };

  send('message_start', {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: usage.input_tokens, output_tokens: Math.min(1, usage.output_tokens) },
    },
  });
  const block = (message.content as Record<string, unknown>[])[0] ?? { type: 'text', text: '' };
  if (block.type === 'tool_use') {
    send('content_block_start', { index: 0, content_block: { ...block, input: {} } });
    send('ping', {});
    for (const piece of deltas(JSON.stringify(reply.toolCall?.arguments ?? {}))) {
      send('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: piece } });
    }
  } else {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('ping', {});
    for (const piece of deltas(reply.text)) {
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } });
    }
  }
  send('content_block_stop', { index: 0 });
  send('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  send('message_stop', {});
  sse.end();
  recordExchange(x, 200);
}
