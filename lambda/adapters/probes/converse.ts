/**
 * Converse and ConverseStream on the runtime host (SigV4, @aws-sdk/client-bedrock-runtime).
 * Guardrail: `guardrailConfig` with trace on; the marker is `stopReason: guardrail_intervened`
 * (docs/bedrock-wire.md).
 */
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type Tool,
} from '@aws-sdk/client-bedrock-runtime';
import type { ProbeRequest } from '../../engine/probe-port';
import { converseGuardrail } from './guardrail-wire';
import type { Fields, ProbeCall } from './observe';
import { promptFor, TOOL, toolSchema } from './prompts';

const CONVERSE_TOOL: Tool = {
  toolSpec: { name: TOOL.name, description: TOOL.description, inputSchema: { json: toolSchema() } },
};

export function converseInput(req: ProbeRequest): ConverseCommandInput {
  return {
    modelId: req.modelId,
    messages: [{ role: 'user', content: [{ text: promptFor(req) }] }],
    inferenceConfig: { maxTokens: req.maxTokens },
    ...(req.variant === 'tools' ? { toolConfig: { tools: [CONVERSE_TOOL], toolChoice: { any: {} } } } : {}),
    ...converseGuardrail(req),
  };
}

export async function probeConverse(
  client: BedrockRuntimeClient,
  req: ProbeRequest,
  call: ProbeCall,
): Promise<Fields> {
  const input = converseInput(req);

  if (req.variant === 'stream') {
    const out = await client.send(new ConverseStreamCommand(input), { abortSignal: call.signal });
    call.answered(out.$metadata);
    let stopReason: string | null = null;
    let usage: { inputTokens?: number; outputTokens?: number } | undefined;
    for await (const event of out.stream ?? []) {
      if (event.contentBlockDelta) call.delta();
      if (event.messageStop) stopReason = event.messageStop.stopReason ?? 'unknown';
      if (event.metadata?.usage) usage = event.metadata.usage;
    }
    const { deltas } = call;
    return {
      ...call.ok(),
      inputTokens: usage?.inputTokens ?? null,
      outputTokens: usage?.outputTokens ?? null,
      // A stream that never stopped was cut (or was never a Converse stream): no verdict on the feature.
      ...(stopReason === null
        ? { malformed: `a stream of ${deltas} deltas that ended without messageStop` }
        : {}),
      check: {
        passed: deltas > 0 && stopReason !== null,
        detail: `${deltas} contentBlockDelta events, ${stopReason === null ? 'no messageStop' : `messageStop (${stopReason})`}`,
      },
    };
  }

  const out = await client.send(new ConverseCommand(input), { abortSignal: call.signal });
  call.answered(out.$metadata);
  const content = out.output?.message?.content ?? [];
  const text = content.map((c) => c.text ?? '').join('');
  // A model that thinks by default may end on max_tokens with reasoning and nothing else.
  const thinkingOnly =
    out.stopReason === 'max_tokens' &&
    content.some((c) => c.reasoningContent !== undefined) &&
    !content.some((c) => (c.text !== undefined && c.text !== '') || c.toolUse !== undefined);
  const fields: Fields = {
    ...call.ok(),
    inputTokens: out.usage?.inputTokens ?? null,
    outputTokens: out.usage?.outputTokens ?? null,
    ...(thinkingOnly ? { thinkingOnly } : {}),
  };
  if (!out.output?.message) {
    const keys = Object.keys(out).filter((k) => k !== '$metadata');
    return {
      ...fields,
      malformed: keys.length === 0 ? 'an empty object {}' : `no output.message (keys ${keys.join(', ')})`,
    };
  }
  if (req.variant === 'tools') {
    const use = content.find((c) => c.toolUse)?.toolUse;
    const objectInput = typeof use?.input === 'object' && use.input !== null && !Array.isArray(use.input);
    return {
      ...fields,
      check: {
        passed: use !== undefined && objectInput,
        detail: use
          ? `toolUse ${use.name} with ${objectInput ? 'an object' : 'a non-object'} input`
          : `no toolUse (stopReason ${out.stopReason ?? 'missing'})`,
      },
    };
  }
  if (req.variant === 'guardrail') {
    return {
      ...fields,
      body: {
        stopReason: out.stopReason ?? null,
        output: out.output,
        ...(out.trace ? { trace: out.trace } : {}),
      },
      guardrail: { intervened: out.stopReason === 'guardrail_intervened', text },
    };
  }
  return fields;
}
