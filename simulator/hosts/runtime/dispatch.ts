/**
 * The bedrock-runtime host's native operations as `@aws-sdk/client-bedrock-runtime` speaks them
 * (restJson1): Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream and
 * ApplyGuardrail. Errors carry `x-amzn-errortype` + `{"message"}` so the SDK raises its modelled
 * exception classes; the two stream operations answer in `application/vnd.amazon.eventstream`
 * framing. All behaviour (which model answers, faults, guardrail enforcement) comes from the World.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { authError } from '../../auth';
import { type BrainReply, deltas, type ToolSpec, type Turn, think } from '../../brain';
import type { SimApi } from '../../surface';
import type {
  GuardrailVerdict,
  Host,
  HostHandler,
  ModelFamily,
  SimError,
  SimFeature,
  SimRequest,
  SimResponse,
  World,
} from '../../types';

const MODEL_PATH = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/;
const APPLY_PATH = /^\/guardrail\/([^/]+)\/version\/([^/]+)\/apply$/;

const JSON_TYPE = 'application/json';
const EVENTSTREAM_TYPE = 'application/vnd.amazon.eventstream';

// docs/bedrock-wire.md and the public strings the real service answers with (see module report for guesses).
const MALFORMED_BODY = 'Malformed input request, please reformat your input and try again.';
const FIRST_MESSAGE_USER =
  'A conversation must start with a user message. Try again with a conversation that starts with a user message.';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** A wire-level refusal raised while reading a request; written as an AWS JSON error. */
class RuntimeFault extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const validation = (message: string) => new RuntimeFault(400, 'ValidationException', message);

/** The AWS error name the SDK maps to its exception class, from the status the World chose. */
export function awsErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'ValidationException';
    case 403:
      return 'AccessDeniedException';
    case 404:
      return 'ResourceNotFoundException';
    case 408:
      return 'ModelTimeoutException';
    case 424:
      return 'ModelErrorException';
    case 429:
      return 'ThrottlingException';
    case 500:
      return 'InternalServerException';
    default:
      return status >= 500 ? 'ServiceUnavailableException' : 'ValidationException';
  }
}

const fromSimError = (error: SimError) =>
  new RuntimeFault(error.status, awsErrorType(error.status), error.message);

interface GuardrailRef {
  readonly id: string;
  readonly version: string;
  readonly trace: boolean;
}

/** Per-call bookkeeping: one request id on every answer, one record per call. */
interface Call {
  readonly world: World;
  readonly host: Host;
  readonly req: SimRequest;
  readonly res: SimResponse;
  readonly requestId: string;
  readonly started: number;
  api: SimApi | null;
  modelId: string | null;
  guardrailId: string | null;
}

export const handleRuntimeNative: HostHandler = async (world, req, res) => {
  if (req.host === 'control' || req.method !== 'POST') return false;
  const modelMatch = MODEL_PATH.exec(req.path);
  const applyMatch = modelMatch || req.host !== 'runtime' ? null : APPLY_PATH.exec(req.path);
  if (!modelMatch && !applyMatch) return false;
  // Mantle has no native operations; they appear only when a scenario makes that surface drift.
  if (req.host === 'mantle' && !mantleServesNative(world)) return false;

  const operation = modelMatch?.[2] as Operation | undefined;
  const call: Call = {
    world,
    host: req.host,
    req,
    res,
    requestId: randomUUID(),
    started: Date.now(),
    api: operation ? (operation.startsWith('converse') ? 'converse' : 'invoke') : null,
    modelId: null,
    guardrailId: null,
  };
  // Path params first so even a refused call is recorded against what it asked for.
  const rawId = modelMatch?.[1] ?? applyMatch?.[1] ?? '';
  if (modelMatch) call.modelId = tryDecode(rawId) ?? rawId;
  else call.guardrailId = tryDecode(rawId) ?? rawId;
  try {
    const denied = authError(req);
    if (denied) {
      res.writeHead(denied.status, { ...denied.headers, 'x-amzn-requestid': call.requestId });
      res.end(denied.body);
      finish(call, denied.status);
      return true;
    }
    // Guessed: a path the service cannot decode reads as a bad identifier.
    if (tryDecode(rawId) === null) throw validation('The provided model identifier is invalid.');
    if (call.modelId !== null) {
      if (call.api === 'converse') await converse(call, call.modelId, operation === 'converse-stream');
      else await invoke(call, call.modelId, operation === 'invoke-with-response-stream');
    } else if (applyMatch && call.guardrailId !== null) {
      const version = applyMatch[2] ?? '';
      applyGuardrail(call, call.guardrailId, tryDecode(version) ?? version);
    }
  } catch (err) {
    if (!(err instanceof RuntimeFault)) throw err;
    sendError(call, err);
  }
  return true;
};

type Operation = 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream';

function tryDecode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

function mantleServesNative(world: World): boolean {
  return world.scenario.models.some((m) => m.mantle?.apis.converse || m.mantle?.apis.invoke);
}

function finish(call: Call, status: number): void {
  call.world.record({
    at: new Date(call.started).toISOString(),
    host: call.host,
    method: call.req.method,
    path: call.req.path,
    api: call.api,
    modelId: call.modelId,
    status,
    auth: call.req.auth.kind,
    guardrailId: call.guardrailId,
  });
}

function sendError(call: Call, fault: RuntimeFault): void {
  call.res.writeHead(fault.status, {
    'content-type': JSON_TYPE,
    'x-amzn-errortype': fault.errorType,
    'x-amzn-requestid': call.requestId,
  });
  call.res.end(JSON.stringify({ message: fault.message }));
  finish(call, fault.status);
}

function sendJson(call: Call, body: unknown, extraHeaders: Record<string, string> = {}): void {
  call.res.writeHead(200, { 'content-type': JSON_TYPE, 'x-amzn-requestid': call.requestId, ...extraHeaders });
  call.res.end(JSON.stringify(body));
  finish(call, 200);
}

/** One `:message-type: event` frame with a JSON payload, as the SDK's event-stream reader expects. */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: JSON_TYPE },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

async function sendEventStream(
  call: Call,
  frames: readonly Uint8Array[],
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  call.res.writeHead(200, {
    'content-type': EVENTSTREAM_TYPE,
    'x-amzn-requestid': call.requestId,
    ...extraHeaders,
  });
  for (const frame of frames) {
    call.res.write(frame);
    // Yield between frames so clients see a real stream rather than one buffered body.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  call.res.end();
  finish(call, 200);
}

// ---------------------------------------------------------------------------------------------
// Request reading helpers

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseBody(body: Buffer): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw validation(MALFORMED_BODY);
  }
  if (!isObject(parsed)) throw validation(MALFORMED_BODY);
  return parsed;
}

function optionalCount(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw validation(
      `Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  }
  return value;
}

function textOfBlocks(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (!isObject(block)) continue;
    if (typeof block.text === 'string') parts.push(block.text);
    else if (isObject(block.text) && typeof block.text.text === 'string') parts.push(block.text.text);
    if (isObject(block.guardContent)) parts.push(textOfBlocks([block.guardContent]));
    if (isObject(block.toolResult)) parts.push(textOfBlocks(block.toolResult.content));
    if (block.type === 'tool_result') parts.push(textOfBlocks(block.content));
  }
  return parts.filter((p) => p.length > 0).join('\n');
}

const turnsText = (turns: readonly Turn[]) => turns.map((t) => t.text).join('\n');

// ---------------------------------------------------------------------------------------------
// Guardrails shared by Converse and InvokeModel

interface GuardrailOutcome {
  readonly ref: GuardrailRef;
  readonly input: GuardrailVerdict & { found: true };
  output?: GuardrailVerdict & { found: true };
}

/**
 * Runs the input check when the scenario enforces guardrails on this api; returns null when no
 * guardrail is attached or the host silently ignores it (the drift the prober watches for).
 */
function checkInput(
  world: World,
  ref: GuardrailRef | null,
  behaviour: 'enforced' | 'ignored',
  text: string,
): GuardrailOutcome | null {
  if (!ref || behaviour !== 'enforced') return null;
  const verdict = world.checkGuardrail(ref.id, ref.version, text, 'INPUT');
  if (!verdict.found) throw fromSimError(verdict.error);
  return { ref, input: verdict };
}

function checkOutput(world: World, outcome: GuardrailOutcome | null, text: string): void {
  if (!outcome || outcome.input.blocked || text.length === 0) return;
  const verdict = world.checkGuardrail(outcome.ref.id, outcome.ref.version, text, 'OUTPUT');
  if (verdict.found) outcome.output = verdict;
}

const textUnits = (text: string) => Math.max(1, Math.ceil(text.length / 1000));

function guardrailUsage(text: string) {
  return {
    topicPolicyUnits: 0,
    contentPolicyUnits: 0,
    wordPolicyUnits: textUnits(text),
    sensitiveInformationPolicyUnits: 0,
    sensitiveInformationPolicyFreeUnits: 0,
    contextualGroundingPolicyUnits: 0,
    contentPolicyImageUnits: 0,
  };
}

function guardrailCoverage(text: string) {
  return { textCharacters: { guarded: text.length, total: text.length } };
}

/** One GuardrailAssessment: the word policy hit (if any) plus invocation metrics. */
function assessment(verdict: GuardrailVerdict & { found: true }, text: string): Json {
  return {
    ...(verdict.blocked
      ? {
          wordPolicy: {
            customWords: [{ match: verdict.matchedWord, action: 'BLOCKED', detected: true }],
            managedWordLists: [],
          },
        }
      : {}),
    invocationMetrics: {
      guardrailProcessingLatency: 1,
      usage: guardrailUsage(text),
      guardrailCoverage: guardrailCoverage(text),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Converse / ConverseStream

interface ConverseInput {
  readonly turns: Turn[];
  readonly guardText: string;
  readonly maxTokens: number | undefined;
  readonly tools: ToolSpec[];
  readonly guardrail: GuardrailRef | null;
}

type ContentBlock =
  | { readonly text: string }
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
  };
}

const CONVERSE_STOP: Record<BrainReply['stopReason'], string> = {
  end: 'end_turn',
  max_tokens: 'max_tokens',
  tool_use: 'tool_use',
};

async function converse(call: Call, modelId: string, stream: boolean): Promise<void> {
  const input = readConverse(parseBody(call.req.body));
  call.guardrailId = input.guardrail?.id ?? null;
  const features: SimFeature[] = [];
  if (stream) features.push('stream');
  if (input.tools.length > 0) features.push('tools');
  const decision = await call.world.decide({
    host: call.host,
    api: 'converse',
    route: null,
    modelId,
    features,
    path: call.req.path,
  });
  if (!decision.ok) throw fromSimError(decision.error);

  const result = converseResult(call, input, decision.guardrail);
  if (!stream) {
    sendJson(call, {
      output: { message: { role: 'assistant', content: result.content } },
      stopReason: result.stopReason,
      usage: result.usage,
      metrics: { latencyMs: Date.now() - call.started },
      ...(result.trace ? { trace: result.trace } : {}),
    });
    return;
  }
  await sendEventStream(call, converseFrames(result, Date.now() - call.started));
}

function converseResult(call: Call, input: ConverseInput, behaviour: 'enforced' | 'ignored'): ConverseResult {
  const guard = checkInput(call.world, input.guardrail, behaviour, input.guardText);
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
  checkOutput(call.world, guard, reply.text);
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

const toolUseId = () => `tooluse_${randomBytes(16).toString('base64url').slice(0, 22)}`;

/** Split a string in two or more pieces (tool input JSON arrives in partial deltas). */
function splitInTwo(text: string): string[] {
  if (text.length < 2) return [text];
  const mid = Math.floor(text.length / 2);
  return [text.slice(0, mid), text.slice(mid)];
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
    } else {
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

// ---------------------------------------------------------------------------------------------
// InvokeModel / InvokeModelWithResponseStream

interface InvokeInput {
  readonly turns: Turn[];
  readonly maxTokens: number | undefined;
  readonly tools: ToolSpec[];
}

type InvokeStop = BrainReply['stopReason'] | 'guardrail';

interface InvokeOutcome {
  readonly id: string;
  readonly modelId: string;
  readonly text: string;
  readonly toolCall: BrainReply['toolCall'];
  readonly stopReason: InvokeStop;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

interface FamilyCodec {
  readonly required: readonly string[];
  /** Keys the family's schema allows; null = not strict (OpenAI-style bodies ignore extras). */
  readonly allowed: readonly string[] | null;
  read(body: Json): InvokeInput;
  render(out: InvokeOutcome): Json;
  chunks(out: InvokeOutcome): Json[];
}

function malformed(problems: readonly string[]): RuntimeFault {
  return validation(
    `Malformed input request: ${problems.join('')}, please reformat your input and try again.`,
  );
}

/** Turns from a chat-template prompt (Llama 3 headers or Mistral [INST] blocks), else one user turn. */
export function promptTurns(prompt: string): Turn[] {
  const turns: Turn[] = [];
  const llama =
    /<\|start_header_id\|>(user|assistant)<\|end_header_id\|>([\s\S]*?)(?=<\|eot_id\|>|<\|start_header_id\|>|$)/g;
  for (const m of prompt.matchAll(llama)) {
    const text = (m[2] ?? '').trim();
    if (text) turns.push({ role: m[1] as Turn['role'], text });
  }
  if (turns.length > 0) return turns;
  const inst = /\[INST\]([\s\S]*?)\[\/INST\]([\s\S]*?)(?=\[INST\]|$)/g;
  for (const m of prompt.matchAll(inst)) {
    const user = (m[1] ?? '').trim();
    const assistant = (m[2] ?? '').replace(/<\/?s>/g, '').trim();
    if (user) turns.push({ role: 'user', text: user });
    if (assistant) turns.push({ role: 'assistant', text: assistant });
  }
  return turns.length > 0 ? turns : [{ role: 'user', text: prompt }];
}

function chatTurns(messages: unknown, path: string): Turn[] {
  if (!Array.isArray(messages))
    throw malformed([`#/${path}: expected type: JSONArray, found: ${jsonType(messages)}`]);
  const turns: Turn[] = [];
  messages.forEach((m, i) => {
    if (!isObject(m)) throw malformed([`#/${path}/${i}: expected type: JSONObject, found: ${jsonType(m)}`]);
    // System/developer messages steer the model but are not conversation turns.
    if (m.role === 'user' || m.role === 'assistant')
      turns.push({ role: m.role, text: textOfBlocks(m.content) });
  });
  return turns;
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'JSONArray';
  if (v === null) return 'Null';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'number') return 'Integer';
  if (typeof v === 'boolean') return 'Boolean';
  return 'JSONObject';
}

function invocationMetrics(out: InvokeOutcome) {
  return {
    'amazon-bedrock-invocationMetrics': {
      inputTokenCount: out.inputTokens,
      outputTokenCount: out.outputTokens,
      invocationLatency: 1,
      firstByteLatency: 1,
    },
  };
}

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

const anthropicCodec: FamilyCodec = {
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

const gptOssCodec: FamilyCodec = {
  required: ['messages'],
  allowed: null,
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

const novaCodec: FamilyCodec = {
  required: ['messages'],
  allowed: ['schemaVersion', 'system', 'messages', 'inferenceConfig', 'toolConfig'],
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

const PROMPT_STOP: Record<InvokeStop, string> = {
  end: 'stop',
  max_tokens: 'length',
  tool_use: 'stop',
  guardrail: 'stop',
};

const metaCodec: FamilyCodec = {
  required: ['prompt'],
  allowed: ['prompt', 'max_gen_len', 'temperature', 'top_p', 'images'],
  read(body) {
    if (typeof body.prompt !== 'string')
      throw malformed([`#/prompt: expected type: String, found: ${jsonType(body.prompt)}`]);
    return {
      turns: promptTurns(body.prompt),
      maxTokens: optionalCount(body.max_gen_len, 'max_gen_len'),
      tools: [],
    };
  },
  render(out) {
    return {
      generation: out.text,
      prompt_token_count: out.inputTokens,
      generation_token_count: out.outputTokens,
      stop_reason: PROMPT_STOP[out.stopReason],
    };
  },
  chunks(out) {
    const pieces = deltas(out.text);
    return pieces.map((piece, i) => {
      const last = i === pieces.length - 1;
      return {
        generation: piece,
        prompt_token_count: i === 0 ? out.inputTokens : null,
        generation_token_count: last ? out.outputTokens : Math.min(i + 1, out.outputTokens),
        stop_reason: last ? PROMPT_STOP[out.stopReason] : null,
      };
    });
  },
};

const mistralCodec: FamilyCodec = {
  required: ['prompt'],
  allowed: ['prompt', 'max_tokens', 'temperature', 'top_p', 'top_k', 'stop'],
  read(body) {
    if (typeof body.prompt !== 'string')
      throw malformed([`#/prompt: expected type: String, found: ${jsonType(body.prompt)}`]);
    return {
      turns: promptTurns(body.prompt),
      maxTokens: optionalCount(body.max_tokens, 'max_tokens'),
      tools: [],
    };
  },
  render(out) {
    return { outputs: [{ text: out.text, stop_reason: PROMPT_STOP[out.stopReason] }] };
  },
  chunks(out) {
    const pieces = deltas(out.text);
    return pieces.map((piece, i) => ({
      outputs: [{ text: piece, stop_reason: i === pieces.length - 1 ? PROMPT_STOP[out.stopReason] : null }],
    }));
  },
};

const CODECS: Readonly<Record<Exclude<ModelFamily, 'other'>, FamilyCodec>> = {
  anthropic: anthropicCodec,
  'gpt-oss': gptOssCodec,
  nova: novaCodec,
  meta: metaCodec,
  mistral: mistralCodec,
};

/** `other` models have no documented body; take whichever known shape the body has. */
export function codecFor(family: ModelFamily, body: Json): FamilyCodec {
  if (family !== 'other') return CODECS[family];
  if ('anthropic_version' in body) return anthropicCodec;
  if ('prompt' in body) return 'max_gen_len' in body ? metaCodec : mistralCodec;
  if (Array.isArray(body.messages) && body.messages.some((m) => isObject(m) && Array.isArray(m.content))) {
    return novaCodec;
  }
  return gptOssCodec;
}

function readInvoke(codec: FamilyCodec, body: Json): InvokeInput {
  const problems: string[] = [];
  for (const key of codec.required) if (!(key in body)) problems.push(`#: required key [${key}] not found`);
  if (codec.allowed) {
    for (const key of Object.keys(body)) {
      if (!codec.allowed.includes(key)) problems.push(`#: extraneous key [${key}] is not permitted`);
    }
  }
  if (problems.length > 0) throw malformed(problems);
  return codec.read(body);
}

function readInvokeGuardrail(req: SimRequest): GuardrailRef | null {
  const id = req.headers['x-amzn-bedrock-guardrailidentifier'];
  const version = req.headers['x-amzn-bedrock-guardrailversion'];
  if (!id && !version) return null;
  // Guessed wording: the real service refuses a half-specified guardrail before calling the model.
  if (!id) throw validation('Guardrail identifier is required when a guardrail version is specified.');
  if (!version) throw validation('Guardrail version is required when a guardrail identifier is specified.');
  const trace = (req.headers['x-amzn-bedrock-trace'] ?? '').toUpperCase();
  return { id, version, trace: trace === 'ENABLED' || trace === 'ENABLED_FULL' };
}

/** Text the guardrail evaluates: tagged guard content when `tagSuffix` is set and tags are present. */
function invokeGuardText(rawBody: string, tagSuffix: string | null, turns: readonly Turn[]): string {
  if (tagSuffix) {
    const open = `<amazon-bedrock-guardrails-guardContent_${tagSuffix}>`;
    const close = `</amazon-bedrock-guardrails-guardContent_${tagSuffix}>`;
    const tagged: string[] = [];
    let from = rawBody.indexOf(open);
    while (from >= 0) {
      const end = rawBody.indexOf(close, from + open.length);
      if (end < 0) break;
      tagged.push(rawBody.slice(from + open.length, end));
      from = rawBody.indexOf(open, end + close.length);
    }
    if (tagged.length > 0) return tagged.join('\n');
  }
  return turnsText(turns);
}

function checkAccept(value: string | undefined): void {
  if (!value) return;
  const ok = value.split(',').some((v) => {
    const type = v.trim().split(';')[0]?.trim().toLowerCase();
    return type === JSON_TYPE || type === '*/*' || type === 'application/*';
  });
  // Guessed wording: the service only produces JSON bodies for text models.
  if (!ok)
    throw validation(`The provided Accept Type '${value}' is invalid or not supported for this model.`);
}

async function invoke(call: Call, modelId: string, stream: boolean): Promise<void> {
  checkAccept(stream ? call.req.headers['x-amzn-bedrock-accept'] : call.req.headers.accept);
  const guardrail = readInvokeGuardrail(call.req);
  call.guardrailId = guardrail?.id ?? null;
  const rawBody = call.req.body.toString('utf8');
  const body = parseBody(call.req.body);
  // The guardrail config rides in the body but belongs to Bedrock, not to the model's schema.
  const guardConfig = body['amazon-bedrock-guardrailConfig'];
  delete body['amazon-bedrock-guardrailConfig'];
  const tagSuffix =
    isObject(guardConfig) && typeof guardConfig.tagSuffix === 'string' ? guardConfig.tagSuffix : null;

  // The family is only known once the model resolves; decide with the features the body implies.
  const toolsInBody =
    (Array.isArray(body.tools) && body.tools.length > 0) ||
    (isObject(body.toolConfig) && Array.isArray(body.toolConfig.tools) && body.toolConfig.tools.length > 0);
  const features: SimFeature[] = [];
  if (stream) features.push('stream');
  if (toolsInBody) features.push('tools');
  const decision = await call.world.decide({
    host: call.host,
    api: 'invoke',
    route: null,
    modelId,
    features,
    path: call.req.path,
  });
  if (!decision.ok) throw fromSimError(decision.error);

  const codec = codecFor(decision.model.family, body);
  const input = readInvoke(codec, body);
  const guard = checkInput(
    call.world,
    guardrail,
    decision.guardrail,
    invokeGuardText(rawBody, tagSuffix, input.turns),
  );
  const out = invokeOutcome(call, modelId, invokeId(codec), input, guard);
  const marker: Json = guard
    ? {
        'amazon-bedrock-guardrailAction':
          guard.input.blocked || guard.output?.blocked ? 'INTERVENED' : 'NONE',
        ...(guard.ref.trace ? { 'amazon-bedrock-trace': invokeTrace(guard, input.turns, out.text) } : {}),
      }
    : {};

  if (!stream) {
    // InvokeModel reports billing in headers too, for clients that never parse the body.
    sendJson(
      call,
      { ...codec.render(out), ...marker },
      {
        'x-amzn-bedrock-input-token-count': String(out.inputTokens),
        'x-amzn-bedrock-output-token-count': String(out.outputTokens),
        'x-amzn-bedrock-invocation-latency': String(Date.now() - call.started),
      },
    );
    return;
  }
  const chunks = codec.chunks(out);
  const frames = chunks.map((chunk, i) => {
    const payload = i === chunks.length - 1 ? { ...chunk, ...marker, ...invocationMetrics(out) } : chunk;
    return eventFrame('chunk', { bytes: Buffer.from(JSON.stringify(payload)).toString('base64') });
  });
  await sendEventStream(call, frames, { 'x-amzn-bedrock-content-type': JSON_TYPE });
}

function invokeOutcome(
  call: Call,
  modelId: string,
  id: string,
  input: InvokeInput,
  guard: GuardrailOutcome | null,
): InvokeOutcome {
  if (guard?.input.blocked) {
    return {
      id,
      modelId,
      text: guard.input.message,
      toolCall: null,
      stopReason: 'guardrail',
      inputTokens: 0,
      outputTokens: 0,
    };
  }
  const reply = think(input.turns, {
    maxTokens: input.maxTokens,
    ...(input.tools.length > 0 ? { tools: input.tools } : {}),
  });
  checkOutput(call.world, guard, reply.text);
  const blockedOutput = guard?.output?.blocked ? guard.output.message : null;
  return {
    id,
    modelId,
    text: blockedOutput ?? reply.text,
    toolCall: blockedOutput ? null : reply.toolCall,
    stopReason: blockedOutput ? 'guardrail' : reply.stopReason,
    inputTokens: reply.inputTokens,
    outputTokens: reply.outputTokens,
  };
}

function invokeId(codec: FamilyCodec): string {
  const suffix = randomBytes(12).toString('hex');
  return codec === gptOssCodec ? `chatcmpl-${suffix}` : `msg_bdrk_${suffix}`;
}

function invokeTrace(guard: GuardrailOutcome, turns: readonly Turn[], outputText: string): Json {
  return {
    guardrail: {
      input: { [guard.ref.id]: assessment(guard.input, turnsText(turns)) },
      ...(guard.output ? { outputs: [{ [guard.ref.id]: assessment(guard.output, outputText) }] } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// ApplyGuardrail

function applyGuardrail(call: Call, id: string, version: string): void {
  const body = parseBody(call.req.body);
  const source = body.source;
  if (source !== 'INPUT' && source !== 'OUTPUT') {
    throw validation(
      `Value '${String(source)}' at 'source' failed to satisfy constraint: Member must satisfy enum value set: [INPUT, OUTPUT]`,
    );
  }
  if (!Array.isArray(body.content) || body.content.length === 0) {
    throw validation(
      "Value '[]' at 'content' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const text = textOfBlocks(body.content);
  const verdict = call.world.checkGuardrail(id, version, text, source);
  if (!verdict.found) throw fromSimError(verdict.error);
  sendJson(call, {
    usage: guardrailUsage(text),
    action: verdict.blocked ? 'GUARDRAIL_INTERVENED' : 'NONE',
    actionReason: verdict.blocked ? 'Guardrail blocked.' : 'No action.',
    outputs: verdict.blocked ? [{ text: verdict.message }] : [],
    assessments: [assessment(verdict, text)],
    guardrailCoverage: guardrailCoverage(text),
  });
}
