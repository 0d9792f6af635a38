/**
 * The runtime host's native apis through @aws-sdk/client-bedrock-runtime: Converse (+Stream),
 * InvokeModel (+Stream) and the ApplyGuardrail control.
 */
import {
  ApplyGuardrailCommand,
  type BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type Tool,
} from '@aws-sdk/client-bedrock-runtime';
import type { ProbeGuardrail, ProbeRequest } from '../../engine/probe-port';
import { invokeBody, readInvokeAnswer } from './invoke-bodies';
import { type Fields, parseJson, Stopwatch } from './observe';
import { BASIC_PROMPT, canaryPrompt, TOOL, TOOL_PROMPT } from './prompts';

const CONVERSE_TOOL: Tool = {
  toolSpec: {
    name: TOOL.name,
    description: TOOL.description,
    inputSchema: { json: TOOL.parameters as never },
  },
};

export async function probeConverse(
  client: BedrockRuntimeClient,
  req: ProbeRequest,
  signal: AbortSignal,
): Promise<Fields> {
  const watch = new Stopwatch();
  const text =
    req.variant === 'guardrail'
      ? canaryPrompt(req.canary)
      : req.variant === 'tools'
        ? TOOL_PROMPT
        : BASIC_PROMPT;
  const input = {
    modelId: req.modelId,
    messages: [{ role: 'user' as const, content: [{ text }] }],
    inferenceConfig: { maxTokens: req.maxTokens },
    ...(req.variant === 'tools' ? { toolConfig: { tools: [CONVERSE_TOOL], toolChoice: { any: {} } } } : {}),
    ...(req.variant === 'guardrail' && req.guardrail
      ? {
          guardrailConfig: {
            guardrailIdentifier: req.guardrail.id,
            guardrailVersion: req.guardrail.version,
            trace: 'enabled' as const,
          },
        }
      : {}),
  };

  if (req.variant === 'stream') {
    const out = await client.send(new ConverseStreamCommand(input), { abortSignal: signal });
    let deltas = 0;
    let stopped = false;
    let usage: { inputTokens?: number; outputTokens?: number } | undefined;
    for await (const event of out.stream ?? []) {
      watch.firstByte();
      if (event.contentBlockDelta) deltas += 1;
      if (event.messageStop) stopped = true;
      if (event.metadata?.usage) usage = event.metadata.usage;
    }
    return {
      ...ok(out.$metadata, watch),
      inputTokens: usage?.inputTokens ?? null,
      outputTokens: usage?.outputTokens ?? null,
      check: {
        passed: deltas > 0 && stopped,
        detail: `${deltas} deltas, ${stopped ? 'messageStop' : 'no messageStop'}`,
      },
    };
  }

  const out = await client.send(new ConverseCommand(input), { abortSignal: signal });
  const content = out.output?.message?.content ?? [];
  const answer = content.map((c) => c.text ?? '').join('');
  const fields: Fields = {
    ...ok(out.$metadata, watch),
    inputTokens: out.usage?.inputTokens ?? null,
    outputTokens: out.usage?.outputTokens ?? null,
  };
  if (req.variant === 'tools') {
    const use = content.find((c) => c.toolUse)?.toolUse;
    const passed = use?.name === TOOL.name && typeof use.input === 'object' && use.input !== null;
    return {
      ...fields,
      check: {
        passed,
        detail: use
          ? `toolUse ${use.name} with ${JSON.stringify(use.input)}`
          : `no toolUse (stopReason ${out.stopReason})`,
      },
    };
  }
  if (req.variant === 'guardrail') {
    return { ...fields, guardrail: { intervened: out.stopReason === 'guardrail_intervened', text: answer } };
  }
  return fields;
}

export async function probeInvoke(
  client: BedrockRuntimeClient,
  req: ProbeRequest,
  signal: AbortSignal,
): Promise<Fields> {
  const family = req.family;
  if (!family) throw new Error(`no InvokeModel body for ${req.modelKey}`); // the planner skips these cells
  const watch = new Stopwatch();
  const prompt = req.variant === 'guardrail' ? canaryPrompt(req.canary) : BASIC_PROMPT;
  const input = {
    modelId: req.modelId,
    contentType: 'application/json',
    accept: 'application/json',
    body: new TextEncoder().encode(JSON.stringify(invokeBody(family, prompt, req.maxTokens))),
    ...(req.variant === 'guardrail' && req.guardrail
      ? {
          guardrailIdentifier: req.guardrail.id,
          guardrailVersion: req.guardrail.version,
          trace: 'ENABLED' as const,
        }
      : {}),
  };

  if (req.variant === 'stream') {
    const out = await client.send(new InvokeModelWithResponseStreamCommand(input), { abortSignal: signal });
    let chunks = 0;
    for await (const event of out.body ?? []) {
      watch.firstByte();
      if (event.chunk?.bytes) chunks += 1;
    }
    // The loop ending without an exception event is the clean end of the stream.
    return {
      ...ok(out.$metadata, watch),
      check: { passed: chunks > 0, detail: `${chunks} chunks, stream ended cleanly` },
    };
  }

  const out = await client.send(new InvokeModelCommand(input), { abortSignal: signal });
  const body = parseJson(out.body);
  const answer = readInvokeAnswer(family, body);
  const fields: Fields = {
    ...ok(out.$metadata, watch),
    body,
    inputTokens: answer.inputTokens,
    outputTokens: answer.outputTokens,
    responseId: answer.responseId,
  };
  if (req.variant === 'guardrail') {
    const action = (body as Record<string, unknown> | undefined)?.['amazon-bedrock-guardrailAction'];
    const intervened = action === 'INTERVENED' ? true : action === 'NONE' ? false : null;
    return { ...fields, guardrail: { intervened, text: answer.text } };
  }
  return fields;
}

/** The control: the probe Guardrail applied directly to the canary must intervene. */
export async function probeApplyGuardrail(
  client: BedrockRuntimeClient,
  guardrail: ProbeGuardrail,
  canary: string,
  signal: AbortSignal,
): Promise<Fields> {
  const watch = new Stopwatch();
  const out = await client.send(
    new ApplyGuardrailCommand({
      guardrailIdentifier: guardrail.id,
      guardrailVersion: guardrail.version,
      source: 'INPUT',
      content: [{ text: { text: canaryPrompt(canary) } }],
    }),
    { abortSignal: signal },
  );
  return {
    ...ok(out.$metadata, watch),
    guardrail: {
      intervened: out.action === 'GUARDRAIL_INTERVENED',
      text: out.outputs?.map((o) => o.text ?? '').join('') ?? null,
    },
  };
}

function ok(meta: { httpStatusCode?: number; requestId?: string }, watch: Stopwatch): Fields {
  return {
    httpStatus: meta.httpStatusCode ?? 200,
    errorName: null,
    errorCode: null,
    message: null,
    requestId: meta.requestId ?? null,
    latencyMs: watch.latencyMs,
    ttfbMs: watch.ttfbMs,
  };
}
