/**
 * The ApplyGuardrail control: the probe Guardrail applied directly to the canary must intervene,
 * or no `guardrail` cell in the region can be trusted.
 */
import { ApplyGuardrailCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { ProbeGuardrail } from '../../engine/probe-port';
import type { Fields, ProbeCall } from './observe';
import { canaryPrompt } from './prompts';

export async function probeApplyGuardrail(
  client: BedrockRuntimeClient,
  guardrail: ProbeGuardrail,
  canary: string,
  call: ProbeCall,
): Promise<Fields> {
  const out = await client.send(
    new ApplyGuardrailCommand({
      guardrailIdentifier: guardrail.id,
      guardrailVersion: guardrail.version,
      source: 'INPUT',
      content: [{ text: { text: canaryPrompt(canary) } }],
    }),
    { abortSignal: call.signal },
  );
  call.answered(out.$metadata);
  return {
    ...call.ok(),
    body: { action: out.action ?? null, actionReason: out.actionReason ?? null },
    guardrail: {
      intervened: out.action === 'GUARDRAIL_INTERVENED',
      text: out.outputs?.map((o) => o.text ?? '').join('') ?? null,
    },
  };
}
