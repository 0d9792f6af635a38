/**
 * A member's account-facts calls on the control plane (lambda/member/ports.ts): the raw
 * GetFoundationModelAvailability answer of one model (core/org/availability.ts reads it) and the
 * account's enforced guardrails. Used by the Lambda entry and by the offline organization world.
 */
import { type BedrockClient, GetFoundationModelAvailabilityCommand } from '@aws-sdk/client-bedrock';
import type { MemberDeps } from '../member/ports';
import { listEnforcedGuardrails } from './guardrail-config';

export const accountFactsCalls = (
  bedrock: BedrockClient,
): Pick<MemberDeps, 'availability' | 'enforcedGuardrails'> => ({
  availability: (modelId, abortSignal) =>
    bedrock.send(new GetFoundationModelAvailabilityCommand({ modelId }), { abortSignal }),
  enforcedGuardrails: () => listEnforcedGuardrails(bedrock),
});
