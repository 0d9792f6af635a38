/**
 * The ApplyGuardrail control: the probe Guardrail applied directly to the canary must intervene,
 * or no `guardrail` cell in the region can be trusted.
 */
import { ApplyGuardrailCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { ProbeGuardrail } from '../../engine/probe-port';
import { type Fields, okFields, Stopwatch } from './observe';
import { canaryPrompt } from './prompts';

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
    ...okFields(out.$metadata.httpStatusCode ?? 200, out.$metadata.requestId, watch),
    body: { action: out.action ?? null, actionReason: out.actionReason ?? null },
    guardrail: {
      intervened: out.action === 'GUARDRAIL_INTERVENED',
      text: out.outputs?.map((o) => o.text ?? '').join('') ?? null,
    },
  };
}
