/**
 * The OpenAI-compatible surface: mantle `/v1` and `/openai/v1`, runtime `/openai/v1`
 * (docs/bedrock-wire.md). Chat Completions, Responses (stored, stateful, background)
 * and the mantle model list, with the SSE framings the `openai` SDK parses.
 */
import { randomUUID } from 'node:crypto';
import { authError } from '../../auth';
import { type BrainReply, deltas, type ToolSpec, type Turn, think } from '../../brain';
import type { SimApi } from '../../surface';
import type {
  Decision,
  GuardrailVerdict,
  Host,
  HostHandler,
  SimError,
  SimFeature,
  SimRequest,
  SimResponse,
  StoredResponse,
  World,
} from '../../types';
import { startSse } from '../sse';

// ---------------------------------------------------------------------------------------------
// Wire helpers shared with the Anthropic handler.
// ---------------------------------------------------------------------------------------------

/** One handled call: where to answer, what to record. */
export interface Exchange {
  readonly world: World;
  readonly req: SimRequest;
  readonly res: SimResponse;
  readonly host: Host;
  readonly api: SimApi | null;
  /** Request-id headers sent on every answer of this call. */
  readonly idHeaders: Readonly<Record<string, string>>;
  /** Model ID as sent, once known. */
  modelId: string | null;
}

export function openExchange(
  world: World,
  req: SimRequest,
  res: SimResponse,
  api: SimApi | null,
  requestIdHeader: string,
): Exchange {
  const host = req.host as Host;
  const id = randomUUID();
  // Runtime answers also carry the AWS request id, like every bedrock-runtime response.
  const idHeaders: Record<string, string> = { [requestIdHeader]: host === 'runtime' ? id : `req_${hex(24)}` };
  if (host === 'runtime') idHeaders['x-amzn-requestid'] = id;
  return { world, req, res, host, api, idHeaders, modelId: null };
}

export function recordCall(x: Exchange, status: number): void {
  x.world.record({
    at: new Date().toISOString(),
    host: x.host,
    method: x.req.method,
    path: x.req.path,
    api: x.api,
    modelId: x.modelId,
    status,
    auth: x.req.auth.kind,
    guardrailId: guardrailHeaders(x.req).id,
  });
}

export function sendJson(
  x: Exchange,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  x.res.writeHead(status, { 'content-type': 'application/json', ...x.idHeaders, ...headers });
  x.res.end(typeof body === 'string' ? body : JSON.stringify(body));
  recordCall(x, status);
}

/** Answer the host's authentication error if the call is not authenticated; true when answered. */
export function answeredAuthError(x: Exchange): boolean {
  const err = authError(x.req);
  if (!err) return false;
  sendJson(x, err.status, err.body, (err.headers ?? {}) as Record<string, string>);
  return true;
}

/** The body as a JSON object, or null when it is not one. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || 'null');
    return asRecord(parsed);
  } catch {
    return null;
  }
}

export function guardrailHeaders(req: SimRequest): {
  readonly id: string | null;
  readonly version: string | null;
  readonly trace: boolean;
} {
  const id = req.headers['x-amzn-bedrock-guardrailidentifier']?.trim() || null;
  const version = req.headers['x-amzn-bedrock-guardrailversion']?.trim() || null;
  const trace = (req.headers['x-amzn-bedrock-trace'] ?? '').toUpperCase().startsWith('ENABLED');
  return { id, version, trace };
}

export type GuardOutcome =
  | { readonly action: 'pass' }
  | { readonly action: 'blocked'; readonly message: string }
  | { readonly action: 'error'; readonly error: SimError };

/**
 * Apply the guardrail headers as this host x api does in the scenario: `ignored` lets the call
 * through untouched (the drift the product watches for); `enforced` checks the input text.
 */
export function applyGuardrail(x: Exchange, decision: Decision, inputText: string): GuardOutcome {
  if (!decision.ok || decision.guardrail !== 'enforced') return { action: 'pass' };
  const { id, version } = guardrailHeaders(x.req);
  if (!id) return { action: 'pass' };
  if (!version) {
    // Guessed wording: the docs only say both headers are required.
    return {
      action: 'error',
      error: {
        kind: 'unsupported-feature',
        status: 400,
        message:
          'X-Amzn-Bedrock-GuardrailVersion is required when X-Amzn-Bedrock-GuardrailIdentifier is set.',
      },
    };
  }
  let verdict: GuardrailVerdict;
  try {
    verdict = x.world.checkGuardrail(id, version, inputText, 'INPUT');
  } catch (err) {
    const e = err as Partial<SimError>;
    if (typeof e.status === 'number' && typeof e.message === 'string') {
      return {
        action: 'error',
        error: { kind: e.kind ?? 'not-found', status: e.status, message: e.message },
      };
    }
    throw err;
  }
  if (!verdict.found) return { action: 'error', error: verdict.error };
  return verdict.blocked ? { action: 'blocked', message: verdict.message } : { action: 'pass' };
}

/** The reply a blocked input gets: the configured message, no model call, nothing billed. */
export function blockedReply(message: string): BrainReply {
  return { text: message, toolCall: null, inputTokens: 0, outputTokens: 0, stopReason: 'end' };
}

export function hex(length: number): string {
  let out = '';
  while (out.length < length) out += randomUUID().replace(/-/g, '');
  return out.slice(0, length);
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** Text of an OpenAI/Anthropic content value: a string, or an array of parts with `text`. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const p = asRecord(part);
      if (!p) return '';
      if (typeof p.text === 'string') return p.text;
      if (p.content !== undefined) return contentText(p.content);
      if (typeof p.output === 'string') return p.output;
      return '';
    })
    .filter((t) => t.length > 0)
    .join('\n');
}

export function inputText(turns: readonly Turn[]): string {
  return turns.map((t) => t.text).join('\n');
}

// ---------------------------------------------------------------------------------------------
// OpenAI error shape.
// ---------------------------------------------------------------------------------------------

function openAiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

function sendOpenAiError(
  x: Exchange,
  status: number,
  message: string,
  code: string | null = null,
  param: string | null = null,
): void {
  sendJson(x, status, { error: { message, type: openAiErrorType(status), code, param } });
}

/**
 * Codes only where the wire is known to carry one; the rest stay null rather than invented.
 * docs/bedrock-wire.md: runtime `/openai/v1` 404 is `model_not_found`/`not_found_error`; mantle swaps them
 * (`not_found_error`/`invalid_request_error`); mantle's api refusal carries `validation_error`.
 */
function sendSimError(x: Exchange, error: SimError): void {
  if (error.kind === 'iam-denied') {
    // IAM answers at the front door, in the AWS shape, before any OpenAI layer.
    sendJson(x, 403, { Message: error.message }, { 'x-amzn-errortype': 'AccessDeniedException' });
    return;
  }
  const runtime = x.host === 'runtime';
  if (error.kind === 'not-found') {
    const [code, type] = runtime
      ? ['model_not_found', 'not_found_error']
      : ['not_found_error', 'invalid_request_error'];
    sendJson(x, error.status, { error: { code, type, message: error.message, param: null } });
    return;
  }
  const code =
    error.kind === 'throttled'
      ? 'rate_limit_exceeded'
      : error.kind === 'wrong-route' && error.status === 401
        ? 'invalid_api_key'
        : error.kind === 'unsupported-api' && !runtime
          ? 'validation_error'
          : null;
  const param = ['invalid-id', 'needs-profile', 'wrong-route', 'unsupported-api'].includes(error.kind)
    ? 'model'
    : null;
  sendOpenAiError(x, error.status, error.message, code, param);
}

// ---------------------------------------------------------------------------------------------
// Routing.
// ---------------------------------------------------------------------------------------------

const ROUTES: Readonly<Record<Host, readonly string[]>> = {
  mantle: ['/openai/v1', '/v1'],
  runtime: ['/openai/v1'],
};

/** Route prefix and remaining path, or null when the path is not under an OpenAI prefix of this host. */
export function splitOpenAiRoute(host: Host, path: string): { route: string; rest: string } | null {
  for (const route of ROUTES[host]) {
    if (path === route || path.startsWith(`${route}/`)) return { route, rest: path.slice(route.length) };
  }
  return null;
}

export const handleOpenAiCompat: HostHandler = async (world, req, res) => {
  if (req.host === 'control') return false;
  const host = req.host;
  const split = splitOpenAiRoute(host, req.path);
  if (!split) return false;
  const { route, rest } = split;
  const responseMatch = /^\/responses\/([^/]+)(\/cancel)?$/.exec(rest);

  let op: 'models' | 'chat' | 'create' | 'retrieve' | 'delete' | 'cancel' | null = null;
  if (rest === '/models' && req.method === 'GET' && host === 'mantle') op = 'models';
  else if (rest === '/chat/completions' && req.method === 'POST') op = 'chat';
  else if (rest === '/responses' && req.method === 'POST') op = 'create';
  else if (responseMatch && !responseMatch[2] && req.method === 'GET') op = 'retrieve';
  else if (responseMatch && !responseMatch[2] && req.method === 'DELETE') op = 'delete';
  else if (responseMatch?.[2] && req.method === 'POST') op = 'cancel';

  // Runtime has no /openai/v1/models (docs/bedrock-wire.md): let the host's unknown-operation answer speak.
  if (op === null && host === 'runtime') return false;

  const api: SimApi | null = op === 'chat' ? 'chat' : op === 'models' || op === null ? null : 'responses';
  const x = openExchange(world, req, res, api, 'x-request-id');
  if (answeredAuthError(x)) return true;

  const responseId = responseMatch?.[1] ? safeDecode(responseMatch[1]) : '';
  switch (op) {
    case null:
      // Guessed: OpenAI's own wording for an unknown URL.
      sendOpenAiError(x, 404, `Unknown request URL: ${req.method} ${req.path}.`, 'unknown_url');
      return true;
    case 'models':
      listModels(x);
      return true;
    case 'chat':
      await chatCompletions(x, route);
      return true;
    case 'create':
      await createResponse(x, route);
      return true;
    case 'retrieve':
      retrieveResponse(x, responseId);
      return true;
    case 'delete':
      deleteResponse(x, responseId);
      return true;
    case 'cancel':
      cancelResponse(x, responseId);
      return true;
  }
};

/** A malformed escape is just an id no response has, not a simulator crash. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// ---------------------------------------------------------------------------------------------
// Models.
// ---------------------------------------------------------------------------------------------

/** A fixed `created` keeps listings stable between calls, as a real catalog is. */
const MODEL_CREATED = 1_767_225_600; // 2026-01-01T00:00:00Z

function listModels(x: Exchange): void {
  const data = x.world.scenario.models
    .filter((m) => m.mantle && m.mantle.listed !== false)
    .map((m) => ({ id: m.mantle?.id, object: 'model', created: MODEL_CREATED, owned_by: m.provider }));
  sendJson(x, 200, { object: 'list', data });
}

// ---------------------------------------------------------------------------------------------
// Chat Completions.
// ---------------------------------------------------------------------------------------------

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

function chatTools(tools: unknown): ToolSpec[] {
  if (!Array.isArray(tools)) return [];
  const out: ToolSpec[] = [];
  for (const t of tools) {
    const fn = asRecord(asRecord(t)?.function);
    const name = str(fn?.name);
    if (name) out.push({ name, parameters: fn?.parameters });
  }
  return out;
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

async function chatCompletions(x: Exchange, route: string): Promise<void> {
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
    host: x.host,
    api: 'chat',
    route,
    modelId: model,
    features,
    path: x.req.path,
  });
  if (!decision.ok) return sendSimError(x, decision.error);

  const turns = chatTurns(body.messages);
  const guard = applyGuardrail(x, decision, inputText(turns));
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
  recordCall(x, 200);
}

// ---------------------------------------------------------------------------------------------
// Responses.
// ---------------------------------------------------------------------------------------------

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

function responseTools(tools: unknown): ToolSpec[] {
  if (!Array.isArray(tools)) return [];
  const out: ToolSpec[] = [];
  for (const raw of tools) {
    const t = asRecord(raw);
    const name = str(t?.name);
    if (t?.type === 'function' && name) out.push({ name, parameters: t.parameters });
  }
  return out;
}

function responseNotFound(x: Exchange, id: string): void {
  sendOpenAiError(x, 404, `Response with id '${id}' not found.`);
}

async function createResponse(x: Exchange, route: string): Promise<void> {
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
    host: x.host,
    api: 'responses',
    route,
    modelId: model,
    features,
    path: x.req.path,
  });
  if (!decision.ok) return sendSimError(x, decision.error);

  const guard = applyGuardrail(x, decision, inputText(inputTurns));
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
  streamResponse(x, final);
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

/** Stream a finished response as the typed Responses events, each with its `sequence_number`. */
function streamResponse(x: Exchange, final: Record<string, unknown>): void {
  const sse = startSse(x.res, x.idHeaders);
  let sequence = 0;
  const send = (type: string, payload: Record<string, unknown>) =>
    sse.send({ type, sequence_number: sequence++, ...payload }, type);

  const start = { ...final, status: 'in_progress', output: [], usage: null, incomplete_details: null };
  send('response.created', { response: start });
  send('response.in_progress', { response: start });

  const items = final.output as Record<string, unknown>[];
  items.forEach((item, outputIndex) => {
    const itemId = item.id as string;
    if (item.type === 'function_call') {
      const args = item.arguments as string;
      send('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, arguments: '', status: 'in_progress' },
      });
      for (const piece of deltas(args)) {
        send('response.function_call_arguments.delta', {
          item_id: itemId,
          output_index: outputIndex,
          delta: piece,
        });
      }
      send('response.function_call_arguments.done', {
        item_id: itemId,
        output_index: outputIndex,
        name: item.name,
        arguments: args,
      });
      send('response.output_item.done', { output_index: outputIndex, item });
      return;
    }
    const part = (item.content as Record<string, unknown>[])[0] ?? {};
    const text = typeof part.text === 'string' ? part.text : '';
    send('response.output_item.added', {
      output_index: outputIndex,
      item: { ...item, status: 'in_progress', content: [] },
    });
    const emptyPart = { type: 'output_text', text: '', annotations: [], logprobs: [] };
    const where = { item_id: itemId, output_index: outputIndex, content_index: 0 };
    send('response.content_part.added', { ...where, part: emptyPart });
    for (const piece of deltas(text))
      send('response.output_text.delta', { ...where, delta: piece, logprobs: [] });
    send('response.output_text.done', { ...where, text, logprobs: [] });
    send('response.content_part.done', { ...where, part });
    send('response.output_item.done', { output_index: outputIndex, item });
  });
  send(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  sse.end();
  recordCall(x, 200);
}

function storedFor(x: Exchange, id: string): StoredResponse | null {
  const stored = x.world.responses.get(id);
  if (!stored || stored.host !== x.host) return null;
  x.modelId = stored.model;
  return stored;
}

/** A background response moves one step per retrieve: queued -> in_progress -> completed. */
function retrieveResponse(x: Exchange, id: string) {
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

function deleteResponse(x: Exchange, id: string) {
  const stored = storedFor(x, id);
  if (!stored) return responseNotFound(x, id);
  x.world.responses.delete(id);
  sendJson(x, 200, { id, object: 'response', deleted: true });
}

function cancelResponse(x: Exchange, id: string) {
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
