/**
 * Chat Completions and Responses through the `openai` SDK, on either host and route. Guardrails
 * ride on `X-Amzn-Bedrock-Guardrail*` headers (facts §4); the answer has no documented
 * intervention marker, so the classifier compares the text with the blocked message.
 */
import type OpenAI from 'openai';
import type { ProbeRequest } from '../../engine/probe-port';
import { type Fields, parsesAsObject, Stopwatch } from './observe';
import {
  BASIC_PROMPT,
  canaryPrompt,
  codeWord,
  RECALL_PROMPT,
  rememberPrompt,
  TOOL,
  TOOL_PROMPT,
} from './prompts';

/** The Responses API refuses `max_output_tokens` below 16 (DESIGN.md machine notes). */
const RESPONSES_MIN_TOKENS = 16;
const BACKGROUND_POLL_MS = 250;

export function guardrailHeaders(req: ProbeRequest): Record<string, string> {
  if (req.variant !== 'guardrail' || !req.guardrail) return {};
  return {
    'X-Amzn-Bedrock-GuardrailIdentifier': req.guardrail.id,
    'X-Amzn-Bedrock-GuardrailVersion': req.guardrail.version,
    'X-Amzn-Bedrock-Trace': 'ENABLED',
  };
}

const promptFor = (req: ProbeRequest): string =>
  req.variant === 'guardrail'
    ? canaryPrompt(req.canary)
    : req.variant === 'tools'
      ? TOOL_PROMPT
      : BASIC_PROMPT;

export async function probeChat(client: OpenAI, req: ProbeRequest, signal: AbortSignal): Promise<Fields> {
  const watch = new Stopwatch();
  const base = {
    model: req.modelId,
    messages: [{ role: 'user' as const, content: promptFor(req) }],
    // Older OpenAI-compatible servers know only `max_tokens`: the alternate shape.
    ...(req.shape === 'alternate' ? { max_tokens: req.maxTokens } : { max_completion_tokens: req.maxTokens }),
    ...(req.variant === 'tools'
      ? {
          tools: [{ type: 'function' as const, function: { ...TOOL, parameters: { ...TOOL.parameters } } }],
          tool_choice: 'required' as const,
        }
      : {}),
  };
  const options = { signal, headers: guardrailHeaders(req) };

  if (req.variant === 'stream') {
    const { data: stream, response } = await client.chat.completions
      .create({ ...base, stream: true, stream_options: { include_usage: true } }, options)
      .withResponse();
    let deltas = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      watch.firstByte();
      const choice = chunk.choices[0];
      if (choice?.delta?.content) deltas += 1;
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    return {
      ...okFields(response, watch),
      inputTokens: usage?.prompt_tokens ?? null,
      outputTokens: usage?.completion_tokens ?? null,
      check: {
        passed: deltas > 0 && finish !== null,
        detail: `${deltas} deltas, finish_reason ${finish ?? 'missing'}`,
      },
    };
  }

  const { data, response } = await client.chat.completions.create(base, options).withResponse();
  const message = data.choices[0]?.message;
  const fields: Fields = {
    ...okFields(response, watch),
    inputTokens: data.usage?.prompt_tokens ?? null,
    outputTokens: data.usage?.completion_tokens ?? null,
    responseId: data.id ?? null,
  };
  if (req.variant === 'tools') {
    const call = message?.tool_calls?.find((c) => c.type === 'function');
    const args = call && 'function' in call ? call.function.arguments : undefined;
    const passed = call !== undefined && parsesAsObject(args);
    return {
      ...fields,
      check: { passed, detail: call ? `tool call with arguments ${args}` : 'no tool call' },
    };
  }
  if (req.variant === 'guardrail')
    return { ...fields, guardrail: { intervened: null, text: message?.content ?? null } };
  return fields;
}

export async function probeResponses(
  client: OpenAI,
  req: ProbeRequest,
  signal: AbortSignal,
): Promise<Fields> {
  const watch = new Stopwatch();
  const max_output_tokens = Math.max(RESPONSES_MIN_TOKENS, req.maxTokens);
  const options = { signal, headers: guardrailHeaders(req) };
  const base = {
    model: req.modelId,
    // The alternate shape sends the prompt as a message item list instead of a bare string.
    input:
      req.shape === 'alternate'
        ? [{ role: 'user' as const, content: [{ type: 'input_text' as const, text: promptFor(req) }] }]
        : promptFor(req),
    max_output_tokens,
    ...(req.variant === 'tools'
      ? {
          tools: [
            {
              type: 'function' as const,
              name: TOOL.name,
              description: TOOL.description,
              parameters: { ...TOOL.parameters },
              strict: false,
            },
          ],
          tool_choice: 'required' as const,
        }
      : {}),
  };

  if (req.variant === 'stream') {
    const { data: stream, response } = await client.responses
      .create({ ...base, stream: true }, options)
      .withResponse();
    let deltas = 0;
    let completed: OpenAI.Responses.Response | null = null;
    for await (const event of stream) {
      watch.firstByte();
      if (event.type === 'response.output_text.delta') deltas += 1;
      if (event.type === 'response.completed' || event.type === 'response.incomplete')
        completed = event.response;
    }
    return {
      ...okFields(response, watch),
      ...usageOf(completed),
      check: {
        passed: deltas > 0 && completed !== null,
        detail: `${deltas} deltas, ${completed ? `ended ${completed.status}` : 'no response.completed'}`,
      },
    };
  }

  if (req.variant === 'stateful') {
    const word = codeWord();
    const first = await client.responses.create(
      { ...base, input: rememberPrompt(word), store: true },
      options,
    );
    const { data, response } = await client.responses
      // `model` again: runtime Responses require it on every call (facts §1.3).
      .create({ ...base, input: RECALL_PROMPT, previous_response_id: first.id, store: true }, options)
      .withResponse();
    const recalled = data.output_text.toLowerCase().includes(word.toLowerCase());
    return {
      ...okFields(response, watch),
      ...usageOf(data),
      check: {
        passed: recalled,
        detail: recalled
          ? 'second turn recalled the code word'
          : `second turn answered "${data.output_text.slice(0, 60)}"`,
      },
    };
  }

  if (req.variant === 'background') {
    const { data: started, response } = await client.responses
      .create({ ...base, background: true, store: true }, options)
      .withResponse();
    let current = started;
    const polled: string[] = [current.status ?? 'unknown'];
    while (current.status === 'queued' || current.status === 'in_progress') {
      await sleep(BACKGROUND_POLL_MS, signal);
      current = await client.responses.retrieve(current.id, {}, { signal });
      polled.push(current.status ?? 'unknown');
    }
    return {
      ...okFields(response, watch),
      ...usageOf(current),
      check: {
        passed: current.status === 'completed' || current.status === 'incomplete',
        detail: `polled ${polled.join(' -> ')}`,
      },
    };
  }

  const { data, response } = await client.responses.create(base, options).withResponse();
  const fields: Fields = { ...okFields(response, watch), ...usageOf(data) };
  if (req.variant === 'tools') {
    const call = data.output.find((o) => o.type === 'function_call');
    const passed = call !== undefined && call.type === 'function_call' && parsesAsObject(call.arguments);
    return {
      ...fields,
      check: {
        passed,
        detail:
          call && call.type === 'function_call' ? `function_call with ${call.arguments}` : 'no function_call',
      },
    };
  }
  if (req.variant === 'guardrail')
    return { ...fields, guardrail: { intervened: null, text: data.output_text } };
  return fields;
}

function usageOf(r: OpenAI.Responses.Response | null): Partial<Fields> {
  return {
    inputTokens: r?.usage?.input_tokens ?? null,
    outputTokens: r?.usage?.output_tokens ?? null,
    responseId: r?.id ?? null,
  };
}

export function okFields(response: Response, watch: Stopwatch): Fields {
  return {
    httpStatus: response.status,
    errorName: null,
    errorCode: null,
    message: null,
    requestId:
      response.headers.get('x-request-id') ??
      response.headers.get('request-id') ??
      response.headers.get('x-amzn-requestid'),
    latencyMs: watch.latencyMs,
    ttfbMs: watch.ttfbMs,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
