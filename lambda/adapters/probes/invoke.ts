/**
 * InvokeModel and InvokeModelWithResponseStream on the runtime host, with the family's own body.
 * Guardrail: the `guardrailIdentifier`/`guardrailVersion`/`trace` parameters (sent as the
 * `X-Amzn-Bedrock-Guardrail*` headers); the marker is the body's
 * `amazon-bedrock-guardrailAction` (`INTERVENED` / `NONE`, docs/bedrock-wire.md).
 */
import {
  type BedrockRuntimeClient,
  InvokeModelCommand,
  type InvokeModelCommandInput,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { describeBody } from '../../core/answer-shape';
import { guardrailAction } from '../../core/guardrail-verdict';
import { invokeBody, readInvokeAnswer, streamMetrics } from '../../core/invoke-bodies';
import type { ProbeRequest } from '../../engine/probe-port';
import { invokeGuardrail } from './guardrail-wire';
import { type Fields, type ProbeCall, parseJson } from './observe';
import { promptFor } from './prompts';

export function invokeInput(req: ProbeRequest): InvokeModelCommandInput {
  // The engine never sends a family-less invoke probe (the cell is skipped); refuse loudly if it does.
  if (!req.family) throw new Error(`no InvokeModel body family for model '${req.modelId}'`);
  return {
    modelId: req.modelId,
    contentType: 'application/json',
    accept: 'application/json',
    body: new TextEncoder().encode(JSON.stringify(invokeBody(req.family, promptFor(req), req.maxTokens))),
    ...invokeGuardrail(req),
  };
}

export async function probeInvoke(
  client: BedrockRuntimeClient,
  req: ProbeRequest,
  call: ProbeCall,
): Promise<Fields> {
  const input = invokeInput(req);
  const family = req.family ?? 'anthropic'; // narrowed: invokeInput threw when null

  if (req.variant === 'stream') {
    const out = await client.send(new InvokeModelWithResponseStreamCommand(input), {
      abortSignal: call.signal,
    });
    call.answered(out.$metadata);
    let usage: ReturnType<typeof streamMetrics> = null;
    const streamErrors: string[] = [];
    for await (const event of out.body ?? []) {
      if (event.chunk?.bytes) {
        call.delta();
        usage = streamMetrics(parseJson(event.chunk.bytes)) ?? usage;
        continue;
      }
      // An exception event the SDK handed over instead of throwing: the stream did not end cleanly.
      const name = Object.keys(event).find((k) => k !== 'chunk' && k !== '$unknown');
      if (name) streamErrors.push(name);
    }
    const clean = streamErrors.length === 0;
    const chunks = call.deltas;
    return {
      ...call.ok(),
      inputTokens: usage?.inputTokens ?? null,
      outputTokens: usage?.outputTokens ?? null,
      ...(chunks === 0 && clean ? { malformed: 'a stream that carried no chunk' } : {}),
      check: {
        passed: chunks > 0 && clean,
        detail: `${chunks} chunks, ${clean ? 'stream ended cleanly' : `stream ended with ${streamErrors.join(', ')}`}`,
      },
    };
  }

  const out = await client.send(new InvokeModelCommand(input), { abortSignal: call.signal });
  call.answered(out.$metadata);
  const body = parseJson(out.body);
  const answer = readInvokeAnswer(family, body);
  const fields: Fields = {
    ...call.ok(),
    inputTokens: answer.inputTokens,
    outputTokens: answer.outputTokens,
    responseId: answer.responseId,
  };
  if (req.variant === 'guardrail') {
    const intervened = guardrailAction(body);
    return {
      ...fields,
      body,
      guardrail: { intervened, text: answer.text },
      ...(answer.text === null && intervened === null ? { malformed: notFamily(family, body) } : {}),
    };
  }
  // The body goes along only when it is not the family's answer shape (200 with an error body).
  return answer.text === null ? { ...fields, body, malformed: notFamily(family, body) } : fields;
}

const notFamily = (family: string, body: unknown): string => `not a ${family} body: ${describeBody(body)}`;
