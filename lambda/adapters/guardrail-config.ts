/**
 * What the control plane says about guardrails, read once per run: the probe guardrail's own
 * blocked messages (GetGuardrail), so a verdict holds for any guardrail a user names, and the
 * account/organization guardrails Bedrock enforces on every call (ListEnforcedGuardrailsConfiguration).
 * Both calls are bounded by a timeout; a failure is a line in the run's problems, never a crash.
 */
import {
  type BedrockClient,
  GetGuardrailCommand,
  ListEnforcedGuardrailsConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import type { ProbeGuardrail } from '../engine/probe-port';

export interface GuardrailMessages {
  readonly blockedInputMessaging: string | null;
  readonly blockedOutputsMessaging: string | null;
}

export interface EnforcedGuardrailConfig {
  readonly guardrailId: string;
  readonly guardrailVersion: string | null;
  readonly owner: string | null;
  readonly includedModels: readonly string[];
  readonly excludedModels: readonly string[];
}

/** @default 10000 ms per control-plane call */
export const GUARDRAIL_CONFIG_TIMEOUT_MS = 10_000;

export async function getGuardrailMessages(
  bedrock: BedrockClient,
  guardrail: ProbeGuardrail,
  timeoutMs = GUARDRAIL_CONFIG_TIMEOUT_MS,
): Promise<GuardrailMessages> {
  const out = await bedrock.send(
    new GetGuardrailCommand({ guardrailIdentifier: guardrail.id, guardrailVersion: guardrail.version }),
    { abortSignal: AbortSignal.timeout(timeoutMs) },
  );
  return {
    blockedInputMessaging: out.blockedInputMessaging ?? null,
    blockedOutputsMessaging: out.blockedOutputsMessaging ?? null,
  };
}

/** Every page of ListEnforcedGuardrailsConfiguration (bounded: at most 20 pages). */
export async function listEnforcedGuardrails(
  bedrock: BedrockClient,
  timeoutMs = GUARDRAIL_CONFIG_TIMEOUT_MS,
): Promise<EnforcedGuardrailConfig[]> {
  const out: EnforcedGuardrailConfig[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const answer = await bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({ nextToken }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    for (const c of answer.guardrailsConfig ?? []) {
      const id = c.guardrailId ?? c.guardrailArn;
      if (!id) continue;
      out.push({
        guardrailId: id,
        guardrailVersion: c.guardrailVersion ?? null,
        owner: c.owner ?? null,
        includedModels: c.modelEnforcement?.includedModels ?? [],
        excludedModels: c.modelEnforcement?.excludedModels ?? [],
      });
    }
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return out;
}
