/**
 * Chat Completions and Responses through the `openai` SDK, on either host and route. Guardrails
 * ride on the `X-Amzn-Bedrock-Guardrail*` headers (docs/bedrock-wire.md); the answer has no documented
 * intervention marker, so `intervened` stays null unless the body carries Bedrock's
 * `amazon-bedrock-guardrailAction`, and classify compares the text with the blocked message.
 */
import type OpenAI from 'openai';
import type { ProbeRequest } from '../../engine/probe-port';
import { type Fields, isJsonObject, okFields, type Progress, requestIdOf, Stopwatch, sleep } from './observe';
import { codeWord, promptFor, RECALL_PROMPT, rememberPrompt, TOOL, toolSchema } from './prompts';

/** The Responses API refuses `max_output_tokens` below 16 (README.md machine notes). */
export const RESPONSES_MIN_TOKENS = 16;
/** How often a background response is polled; the probe's timeout bounds the whole wait. */
export const BACKGROUND_POLL_MS = 250;

export function guardrailHeaders(req: ProbeRequest): Record<string, string> {
  if (req.variant !== 'guardrail' || !req.guardrail) return {};
  return {
    'X-Amzn-Bedrock-GuardrailIdentifier': req.guardrail.id,
    'X-Amzn-Bedrock-GuardrailVersion': req.guardrail.version,
    'X-Amzn-Bedrock-Trace': 'ENABLED',
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Bedrock's InvokeModel-style marker, in case a compatible api ever returns it. */
export function bodyMarker(body: unknown): boolean | null {
  if (!isRecord(body)) return null;
  const action = body['amazon-bedrock-guardrailAction'];
  return action === 'INTERVENED' ? true : action === 'NONE' ? false : null;
}

/** Per-call options: abort signal, guardrail headers, and a client timeout past the probe's own. */
export function requestOptions(req: ProbeRequest, signal: AbortSignal) {
  return {
    signal,
    headers: guardrailHeaders(req),
    // The probe's signal ends the call; the SDK's timeout is only a backstop just beyond it.
    ...(req.timeoutMs !== undefined ? { timeout: req.timeoutMs + 1000 } : {}),
  };
}

function mark(progress: Progress, response: Response): void {
  progress.httpStatus = response.status;
  progress.requestId = requestIdOf(response.headers);
}

// ---------------------------------------------------------------------------------------------
// Chat Completions
// ---------------------------------------------------------------------------------------------

export function chatParams(req: ProbeRequest): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
  return {
    model: req.modelId,
    messages: [{ role: 'user', content: promptFor(req) }],
    // Older OpenAI-compatible servers know only `max_tokens`: that is the alternate shape.
    ...(req.shape === 'alternate' ? { max_tokens: req.maxTokens } : { max_completion_tokens: req.maxTokens }),
    ...(req.variant === 'tools'
      ? {
          tools: [
            {
              type: 'function' as const,
              function: { name: TOOL.name, description: TOOL.description, parameters: toolSchema() },
            },
          ],
          tool_choice: 'required' as const,
        }
      : {}),
  };
}

export async function probeChat(
  client: OpenAI,
  req: ProbeRequest,
  signal: AbortSignal,
  progress: Progress,
): Promise<Fields> {
  const watch = new Stopwatch();
  const params = chatParams(req);
  const options = requestOptions(req, signal);

  if (req.variant === 'stream') {
    const { data: stream, response } = await client.chat.completions
      .create({ ...params, stream: true, stream_options: { include_usage: true } }, options)
      .withResponse();
    mark(progress, response);
    let deltas = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    let id: string | null = null;
    for await (const chunk of stream) {
      id ??= chunk.id ?? null;
      const choice = chunk.choices?.[0];
      if (choice?.delta?.content) {
        watch.firstByte();
        progress.ttfbMs = watch.ttfbMs;
        deltas += 1;
      }
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    return {
      ...okFields(response.status, progress.requestId, watch),
      inputTokens: usage?.prompt_tokens ?? null,
      outputTokens: usage?.completion_tokens ?? null,
      responseId: id,
      ...(finish === null
        ? { malformed: `a stream of ${deltas} deltas that ended without finish_reason` }
        : {}),
      check: {
        passed: deltas > 0 && finish !== null,
        detail: `${deltas} content deltas, finish_reason ${finish ?? 'missing'}`,
      },
    };
  }

  const { data, response } = await client.chat.completions.create(params, options).withResponse();
  mark(progress, response);
  const fields: Fields = {
    ...okFields(response.status, progress.requestId, watch),
    inputTokens: data.usage?.prompt_tokens ?? null,
    outputTokens: data.usage?.completion_tokens ?? null,
    responseId: typeof data.id === 'string' ? data.id : null,
  };
  if (!Array.isArray(data.choices)) {
    // A 200 that is not a chat completion (an error or coral body): hand it to classify as is.
    return { ...fields, body: data };
  }
  const message = data.choices[0]?.message;
  if (req.variant === 'tools') {
    const call = message?.tool_calls?.find((c) => c.type === 'function');
    const args = call?.type === 'function' ? call.function.arguments : undefined;
    const parsed = isJsonObject(args);
    return {
      ...fields,
      check: {
        passed: call !== undefined && parsed,
        detail: call
          ? `tool call ${call.type === 'function' ? call.function.name : call.type} with ${parsed ? 'JSON object' : 'unparseable'} arguments`
          : `no tool call (finish_reason ${data.choices[0]?.finish_reason ?? 'missing'})`,
      },
    };
  }
  if (req.variant === 'guardrail') {
    return {
      ...fields,
      body: data,
      guardrail: { intervened: bodyMarker(data), text: message?.content ?? null },
    };
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

type ResponsesParams = OpenAI.Responses.ResponseCreateParamsNonStreaming;

export function responsesParams(req: ProbeRequest, prompt = promptFor(req)): ResponsesParams {
  return {
    model: req.modelId,
    // The alternate shape sends the prompt as a message list instead of a bare string.
    input:
      req.shape === 'alternate'
        ? [{ role: 'user', content: [{ type: 'input_text', text: prompt }] }]
        : prompt,
    max_output_tokens: Math.max(RESPONSES_MIN_TOKENS, req.maxTokens),
    ...(req.variant === 'tools'
      ? {
          tools: [
            {
              type: 'function' as const,
              name: TOOL.name,
              description: TOOL.description,
              parameters: toolSchema(),
              strict: false,
            },
          ],
          tool_choice: 'required' as const,
        }
      : {}),
  };
}

function usageOf(r: OpenAI.Responses.Response | null | undefined): Partial<Fields> {
  return {
    inputTokens: r?.usage?.input_tokens ?? null,
    outputTokens: r?.usage?.output_tokens ?? null,
    responseId: typeof r?.id === 'string' ? r.id : null,
  };
}

/** `output_text` is an SDK convenience; read the output items when it is missing. */
function outputText(r: OpenAI.Responses.Response): string {
  if (typeof r.output_text === 'string') return r.output_text;
  const parts: string[] = [];
  for (const item of Array.isArray(r.output) ? r.output : []) {
    if (item.type !== 'message') continue;
    for (const c of item.content) if (c.type === 'output_text') parts.push(c.text);
  }
  return parts.join('');
}

/** Statuses a background response can still leave. */
const PENDING = new Set(['queued', 'in_progress']);
/** Ended and produced an answer (`incomplete` = stopped on the token limit, still a working feature). */
const FINISHED = new Set(['completed', 'incomplete']);

export async function probeResponses(
  client: OpenAI,
  req: ProbeRequest,
  signal: AbortSignal,
  progress: Progress,
): Promise<Fields> {
  const watch = new Stopwatch();
  const params = responsesParams(req);
  const options = requestOptions(req, signal);

  if (req.variant === 'stream') {
    const { data: stream, response } = await client.responses
      .create({ ...params, stream: true }, options)
      .withResponse();
    mark(progress, response);
    let deltas = 0;
    let ended: OpenAI.Responses.Response | null = null;
    let endEvent: string | null = null;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') {
        watch.firstByte();
        progress.ttfbMs = watch.ttfbMs;
        deltas += 1;
      }
      if (event.type === 'response.completed' || event.type === 'response.incomplete') {
        ended = event.response;
        endEvent = event.type;
      }
      if (event.type === 'response.failed' || event.type === 'error') endEvent = event.type;
    }
    return {
      ...okFields(response.status, progress.requestId, watch),
      ...usageOf(ended),
      ...(endEvent === null
        ? { malformed: `a stream of ${deltas} deltas that ended without response.completed` }
        : {}),
      check: {
        passed: deltas > 0 && ended !== null,
        detail: `${deltas} output_text deltas, ${endEvent ?? 'no response.completed'}`,
      },
    };
  }

  if (req.variant === 'stateful') {
    const word = codeWord();
    const first = await client.responses.create(
      { ...responsesParams(req, rememberPrompt(word)), store: true },
      options,
    );
    // `model` again: runtime Responses require it on every call (docs/bedrock-wire.md).
    const { data, response } = await client.responses
      .create(
        { ...responsesParams(req, RECALL_PROMPT), previous_response_id: first.id, store: true },
        options,
      )
      .withResponse();
    mark(progress, response);
    const answer = outputText(data);
    const recalled = answer.toLowerCase().includes(word.toLowerCase());
    return {
      ...okFields(response.status, progress.requestId, watch),
      ...usageOf(data),
      check: {
        passed: recalled,
        detail: recalled
          ? 'the second turn recalled the code word of the first'
          : `the second turn did not recall the code word (answered ${JSON.stringify(answer.slice(0, 60))})`,
      },
    };
  }

  if (req.variant === 'background') {
    const { data: started, response } = await client.responses
      .create({ ...params, background: true, store: true }, options)
      .withResponse();
    mark(progress, response);
    let current = started;
    const seen: string[] = [current.status ?? 'unknown'];
    // Bounded by the probe's signal: the timeout aborts the sleep or the retrieve.
    while (PENDING.has(current.status ?? '')) {
      await sleep(BACKGROUND_POLL_MS, signal);
      current = await client.responses.retrieve(current.id, {}, { signal });
      if (seen[seen.length - 1] !== current.status) seen.push(current.status ?? 'unknown');
    }
    const passed = FINISHED.has(current.status ?? '');
    return {
      ...okFields(response.status, progress.requestId, watch),
      ...usageOf(current),
      check: {
        passed,
        detail: `background response went ${seen.join(' -> ')}${current.error?.message ? `: ${current.error.message}` : ''}`,
      },
    };
  }

  const { data, response } = await client.responses.create(params, options).withResponse();
  mark(progress, response);
  const fields: Fields = { ...okFields(response.status, progress.requestId, watch), ...usageOf(data) };
  if (!Array.isArray(data.output)) return { ...fields, body: data };
  if (req.variant === 'tools') {
    const call = data.output.find((o) => o.type === 'function_call');
    const parsed = call?.type === 'function_call' && isJsonObject(call.arguments);
    return {
      ...fields,
      check: {
        passed: parsed,
        detail:
          call?.type === 'function_call'
            ? `function_call ${call.name} with ${parsed ? 'JSON object' : 'unparseable'} arguments`
            : `no function_call output item (status ${data.status ?? 'missing'})`,
      },
    };
  }
  if (req.variant === 'guardrail') {
    return { ...fields, body: data, guardrail: { intervened: bodyMarker(data), text: outputText(data) } };
  }
  return fields;
}
