/**
 * Responses (`POST/GET/DELETE .../responses`, `.../cancel`): stored responses scoped to their
 * host, `previous_response_id` state, and background mode advancing one step per retrieve.
 */
import { type BrainReply, type ToolSpec, type Turn, think, turnsText } from '../../brain';
import type { SimFeature, StoredResponse } from '../../types';
import { type Exchange, hex, nowSeconds, sendJson } from '../exchange';
import { applyGuardrail, blockedReply } from '../guardrail-headers';
import { asRecord, contentText, parseJsonObject, str, toolSpecs } from '../json';
import { sendOpenAiError, sendSimError } from './errors';
import { streamResponse } from './responses-stream';

/** Final bodies of background responses, revealed when a retrieve advances them to completed. */
const pendingFinal = new WeakMap<StoredResponse, Record<string, unknown>>();

function responseInputTurns(input: unknown): Turn[] {
  if (typeof input === 'string') return input ? [{ role: 'user', text: input }] : [];
  if (!Array.isArray(input)) return [];
  const turns: Turn[] = [];
  for (const raw of input) {
    const item = asRecord(raw);
    if (!item) continue;
    if (item.type === 'function_call') {
      turns.push({ role: 'assistant', text: `${String(item.name)}(${String(item.arguments ?? '')})` });
    } else if (item.type === 'function_call_output') {
      turns.push({
        role: 'user',
        text: typeof item.output === 'string' ? item.output : contentText(item.output),
      });
    } else if (item.role !== undefined) {
      turns.push({ role: item.role === 'assistant' ? 'assistant' : 'user', text: contentText(item.content) });
    }
  }
  return turns;
}

const responseTools = (tools: unknown): ToolSpec[] =>
  toolSpecs(tools, (t) => (t.type === 'function' ? { name: t.name, parameters: t.parameters } : null));

function responseNotFound(x: Exchange, id: string): void {
  sendOpenAiError(x, 404, `Response with id '${id}' not found.`);
}

export async function createResponse(x: Exchange, route: string): Promise<void> {
  const body = parseJsonObject(x.req.body);
  if (!body) return sendOpenAiError(x, 400, 'We could not parse the JSON body of your request.');
  x.modelId = str(body.model);

  const maxOutput = body.max_output_tokens;
  if (maxOutput !== undefined && maxOutput !== null) {
    if (typeof maxOutput !== 'number' || !Number.isInteger(maxOutput)) {
      return sendOpenAiError(
        x,
        400,
        `Invalid type for 'max_output_tokens': expected an integer, but got ${typeof maxOutput} instead.`,
        'invalid_type',
        'max_output_tokens',
      );
    }
    if (maxOutput < 16) {
      return sendOpenAiError(
        x,
        400,
        `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got ${maxOutput} instead.`,
        'integer_below_min_value',
        'max_output_tokens',
      );
    }
  }

  const previousId = str(body.previous_response_id);
  let previous: StoredResponse | undefined;
  if (previousId) {
    previous = x.world.responses.get(previousId);
    // Stored responses are scoped to their host (runtime and mantle keep separate stores).
    if (!previous || previous.host !== x.host) {
      return sendOpenAiError(
        x,
        404,
        `Previous response with id '${previousId}' not found.`,
        'previous_response_not_found',
        'previous_response_id',
      );
    }
  }
  // Mantle lets a follow-up inherit the model; runtime wants it on every call (docs/bedrock-wire.md).
  const model = x.modelId ?? (x.host === 'mantle' ? (previous?.model ?? null) : null);
  x.modelId = model;
  if (!model) {
    return sendOpenAiError(
      x,
      400,
      "Missing required parameter: 'model'.",
      'missing_required_parameter',
      'model',
    );
  }

  const instructions = str(body.instructions);
  const inputTurns: Turn[] = instructions ? [{ role: 'user', text: instructions }] : [];
  inputTurns.push(...responseInputTurns(body.input));
  if (inputTurns.length === 0 && !previous) {
    return sendOpenAiError(
      x,
      400,
      "Missing required parameter: 'input'.",
      'missing_required_parameter',
      'input',
    );
  }
  const background = body.background === true;
  const store = body.store !== false;
  if (background && !store) {
    // Guessed wording; OpenAI refuses background without storage.
    return sendOpenAiError(x, 400, 'Background mode requires store=true.', null, 'background');
  }
  const stream = body.stream === true && !background;
  const tools = responseTools(body.tools);
  const features: SimFeature[] = [];
  if (stream) features.push('stream');
  if (tools.length > 0) features.push('tools');
  if (previous) features.push('stateful');
  if (background) features.push('background');

  const decision = await x.world.decide({
    region: x.req.region,
    account: x.req.account,
    host: x.host,
    api: 'responses',
    route,
    modelId: model,
    features,
    path: x.req.path,
  });
  if (!decision.ok) return sendSimError(x, decision.error);

  const guard = applyGuardrail(x, decision, turnsText(inputTurns));
  if (guard.action === 'error') return sendSimError(x, guard.error);
  const turns = [...(previous?.transcript ?? []), ...inputTurns];
  const reply =
    guard.action === 'blocked'
      ? blockedReply(guard.message)
      : think(turns, { maxTokens: typeof maxOutput === 'number' ? maxOutput : undefined, tools });

  const id = `resp_${hex(48)}`;
  const createdAt = nowSeconds();
  const request = {
    instructions: instructions,
    max_output_tokens: typeof maxOutput === 'number' ? maxOutput : null,
    previous_response_id: previousId,
    tools: Array.isArray(body.tools) ? body.tools : [],
    store,
    background,
  };
  const final = responseBody(id, model, createdAt, request, reply);
  const transcript = [
    ...turns,
    { role: 'assistant' as const, text: reply.toolCall ? JSON.stringify(reply.toolCall) : reply.text },
  ];

  if (background) {
    const queued = { ...final, status: 'queued', output: [], usage: null, incomplete_details: null };
    const stored: StoredResponse = { id, host: x.host, model, transcript, status: 'queued', body: queued };
    pendingFinal.set(stored, final);
    x.world.responses.set(id, stored);
    return sendJson(x, 200, queued);
  }
  if (store) {
    x.world.responses.set(id, { id, host: x.host, model, transcript, status: 'completed', body: final });
  }
  if (!stream) return sendJson(x, 200, final);
  streamResponse(x, final, decision.streamFails === true);
}

interface ResponseRequestEcho {
  readonly instructions: string | null;
  readonly max_output_tokens: number | null;
  readonly previous_response_id: string | null;
  readonly tools: readonly unknown[];
  readonly store: boolean;
  readonly background: boolean;
}

function responseBody(
  id: string,
  model: string,
  createdAt: number,
  request: ResponseRequestEcho,
  reply: BrainReply,
): Record<string, unknown> {
  const output = reply.toolCall
    ? [
        {
          type: 'function_call',
          id: `fc_${hex(48)}`,
          call_id: `call_${hex(24)}`,
          name: reply.toolCall.name,
          arguments: JSON.stringify(reply.toolCall.arguments),
          status: 'completed',
        },
      ]
    : [
        {
          type: 'message',
          id: `msg_${hex(48)}`,
          status: reply.stopReason === 'max_tokens' ? 'incomplete' : 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: reply.text, annotations: [], logprobs: [] }],
        },
      ];
  const incomplete = reply.stopReason === 'max_tokens';
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: incomplete ? 'incomplete' : 'completed',
    background: request.background,
    error: null,
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: request.instructions,
    max_output_tokens: request.max_output_tokens,
    model,
    output,
    parallel_tool_calls: true,
    previous_response_id: request.previous_response_id,
    store: request.store,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: request.tools,
    top_p: 1,
    truncation: 'disabled',
    usage: {
      input_tokens: reply.inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: reply.outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: reply.inputTokens + reply.outputTokens,
    },
    metadata: {},
  };
}

function storedFor(x: Exchange, id: string): StoredResponse | null {
  const stored = x.world.responses.get(id);
  if (!stored || stored.host !== x.host) return null;
  x.modelId = stored.model;
  return stored;
}

/** A background response moves one step per retrieve: queued -> in_progress -> completed. */
export function retrieveResponse(x: Exchange, id: string) {
  const stored = storedFor(x, id);
  if (!stored) return responseNotFound(x, id);
  if (stored.status === 'queued') {
    stored.status = 'in_progress';
    stored.body = { ...stored.body, status: 'in_progress' };
  } else if (stored.status === 'in_progress') {
    const final = pendingFinal.get(stored);
    stored.status = 'completed';
    stored.body = final ?? { ...stored.body, status: 'completed' };
    pendingFinal.delete(stored);
  }
  sendJson(x, 200, stored.body);
}

export function deleteResponse(x: Exchange, id: string) {
  const stored = storedFor(x, id);
  if (!stored) return responseNotFound(x, id);
  x.world.responses.delete(id);
  sendJson(x, 200, { id, object: 'response', deleted: true });
}

export function cancelResponse(x: Exchange, id: string) {
  const stored = storedFor(x, id);
  if (!stored) return responseNotFound(x, id);
  if (stored.body.background !== true) {
    return sendOpenAiError(x, 400, 'Cannot cancel a synchronous response.');
  }
  if (stored.status === 'queued' || stored.status === 'in_progress') {
    stored.status = 'cancelled';
    stored.body = { ...stored.body, status: 'cancelled' };
    pendingFinal.delete(stored);
  } else if (stored.status === 'completed') {
    // Guessed wording.
    return sendOpenAiError(x, 400, 'Cannot cancel a completed response.');
  }
  sendJson(x, 200, stored.body);
}
