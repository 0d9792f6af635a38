/**
 * The guardrail the OpenAI-compatible and Messages host tests attach through
 * `X-Amzn-Bedrock-Guardrail*` headers: one canary word, one blocked-input message.
 */
import type { ScenarioGuardrail } from '../../../simulator/types';

export const BLOCKED = 'Sorry, the bedrock-matrix canary guardrail blocked this request.';
export const CANARY = 'ZEBRA-CANARY-7731';
export const GUARDRAIL_HEADERS = {
  'X-Amzn-Bedrock-GuardrailIdentifier': 'gr-canary',
  'X-Amzn-Bedrock-GuardrailVersion': '1',
};

export const CANARY_GUARDRAIL: ScenarioGuardrail = {
  id: 'gr-canary',
  versions: ['1'],
  words: [CANARY],
  blockedInputMessage: BLOCKED,
  blockedOutputMessage: 'Output blocked.',
};
