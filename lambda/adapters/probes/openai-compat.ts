/**
 * Chat Completions and Responses through the `openai` SDK, on either host and route. Guardrails
 * ride on the `X-Amzn-Bedrock-Guardrail*` headers (docs/bedrock-wire.md); the answer has no documented
 * intervention marker, so `intervened` stays null unless the body carries Bedrock's
 * `amazon-bedrock-guardrailAction`, and classify compares the text with the blocked message.
 */
import type OpenAI from 'openai';
import { guardrailAction } from '../../core/guardrail-verdict';
import type { ProbeRequest } from '../../engine/probe-port';
import { headerCallOptions } from './guardrail-wire';
import { type Fields, isJsonObject, type ProbeCall, sleep } from './observe';
import { codeWord, promptFor, RECALL_PROMPT, rememberPrompt, TOOL, toolSchema } from './prompts';

/** The Responses API refuses `max_output_tokens` below 16 (README.md machine notes). */
const RESPONSES_MIN_TOKENS = 16;
/** How often a background response is polled by default; the probe's timeout bounds the whole wait. */
export const BACKGROUND_POLL_MS = 250;

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

export async function probeChat(client: OpenAI, req: ProbeRequest, call: ProbeCall): Promise<Fields> {
  const params = chatParams(req);
  const options = headerCallOptions(req, call.signal);

  if (req.variant === 'stream') {
    const stream = await call.answer(
      client.chat.completions.create(
        { ...params, stream: true, stream_options: { include_usage: true } },
        options,
      ),
    );
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    let id: string | null = null;
    for await (const chunk of stream) {
      id ??= chunk.id ?? null;
      const choice = chunk.choices?.[0];
      if (choice?.delta?.content) call.delta();
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    const { deltas } = call;
    return {
      ...call.ok(),
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

  const data = await call.answer(client.chat.completions.create(params, options));
  const fields: Fields = {
    ...call.ok(),
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
    const toolCall = message?.tool_calls?.find((c) => c.type === 'function');
    const args = toolCall?.type === 'function' ? toolCall.function.arguments : undefined;
    const parsed = isJsonObject(args);
    return {
      ...fields,
      check: {
        passed: toolCall !== undefined && parsed,
        detail: toolCall
          ? `tool call ${toolCall.type === 'function' ? toolCall.function.name : toolCall.type} with ${parsed ? 'JSON object' : 'unparseable'} arguments`
          : `no tool call (finish_reason ${data.choices[0]?.finish_reason ?? 'missing'})`,
      },
    };
  }
  if (req.variant === 'guardrail') {
    return {
      ...fields,
      body: data,
      guardrail: { intervened: guardrailAction(data), text: message?.content ?? null },
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

/** A Responses stream's `response.failed` or `error` event: what the host said went wrong. */
interface StreamFailure {
  readonly event: string;
  readonly code: string | null;
  readonly message: string | null;
}

function streamFailure(
  event: string,
  error: { code?: unknown; message?: unknown } | null | undefined,
): StreamFailure {
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return { event, code: text(error?.code), message: text(error?.message) };
}

/** Statuses a background response can still leave. */
const PENDING = new Set(['queued', 'in_progress']);
/** Ended and produced an answer (`incomplete` = stopped on the token limit, still a working feature). */
const FINISHED = new Set(['completed', 'incomplete']);

export async function probeResponses(
  client: OpenAI,
  req: ProbeRequest,
  call: ProbeCall,
  pollMs: number,
): Promise<Fields> {
  const params = responsesParams(req);
  const options = headerCallOptions(req, call.signal);

  if (req.variant === 'stream') {
    const stream = await call.answer(client.responses.create({ ...params, stream: true }, options));
    let ended: OpenAI.Responses.Response | null = null;
    let endEvent: string | null = null;
    let failure: StreamFailure | null = null;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') call.delta();
      if (event.type === 'response.completed' || event.type === 'response.incomplete') {
        ended = event.response;
        endEvent = event.type;
      }
      if (event.type === 'response.failed') failure ??= streamFailure(event.type, event.response?.error);
      if (event.type === 'error') failure ??= streamFailure(event.type, event);
    }
    const { deltas } = call;
    if (failure) {
      // The host failed after its 200: a transient error with the event as evidence, never a
      // lasting "the stream feature does not work".
      return {
        ...call.ok(),
        errorCode: failure.code,
        message: failure.message,
        malformed: `the stream ended in ${failure.event}${failure.code ? ` (${failure.code})` : ''} after ${deltas} deltas`,
      };
    }
    return {
      ...call.ok(),
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
    const data = await call.answer(
      client.responses.create(
        { ...responsesParams(req, RECALL_PROMPT), previous_response_id: first.id, store: true },
        options,
      ),
    );
    const answer = outputText(data);
    const recalled = answer.toLowerCase().includes(word.toLowerCase());
    return {
      ...call.ok(),
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
    let current = await call.answer(
      client.responses.create({ ...params, background: true, store: true }, options),
    );
    const seen: string[] = [current.status ?? 'unknown'];
    // Bounded by the probe's signal: the timeout aborts the sleep or the retrieve.
    while (PENDING.has(current.status ?? '')) {
      await sleep(pollMs, call.signal);
      current = await client.responses.retrieve(current.id, {}, { signal: call.signal });
      if (seen[seen.length - 1] !== current.status) seen.push(current.status ?? 'unknown');
    }
    const passed = FINISHED.has(current.status ?? '');
    return {
      ...call.ok(),
      ...usageOf(current),
      check: {
        passed,
        detail: `background response went ${seen.join(' -> ')}${current.error?.message ? `: ${current.error.message}` : ''}`,
      },
    };
  }

  const data = await call.answer(client.responses.create(params, options));
  const fields: Fields = { ...call.ok(), ...usageOf(data) };
  if (!Array.isArray(data.output)) return { ...fields, body: data };
  if (req.variant === 'tools') {
    const fnCall = data.output.find((o) => o.type === 'function_call');
    const parsed = fnCall?.type === 'function_call' && isJsonObject(fnCall.arguments);
    return {
      ...fields,
      check: {
        passed: parsed,
        detail:
          fnCall?.type === 'function_call'
            ? `function_call ${fnCall.name} with ${parsed ? 'JSON object' : 'unparseable'} arguments`
            : `no function_call output item (status ${data.status ?? 'missing'})`,
      },
    };
  }
  if (req.variant === 'guardrail') {
    return {
      ...fields,
      body: data,
      guardrail: { intervened: guardrailAction(data), text: outputText(data) },
    };
  }
  return fields;
}
