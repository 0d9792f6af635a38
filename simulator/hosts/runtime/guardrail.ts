/**
 * The guardrail as Converse and InvokeModel take it (named in the request, not in headers): the
 * input check, the output check, and the assessments a trace carries (docs/bedrock-wire.md).
 */
import type { GuardrailVerdict, World } from '../../types';
import type { Json } from '../json';
import { fromSimError } from './wire';

export interface GuardrailRef {
  readonly id: string;
  readonly version: string;
  readonly trace: boolean;
}

export interface GuardrailOutcome {
  readonly ref: GuardrailRef;
  readonly input: GuardrailVerdict & { found: true };
  output?: GuardrailVerdict & { found: true };
}

/**
 * Runs the input check when the scenario enforces guardrails on this api; returns null when no
 * guardrail is attached or the host silently ignores it (the drift the prober watches for).
 */
export function checkInput(
  world: World,
  ref: GuardrailRef | null,
  behaviour: 'enforced' | 'ignored',
  text: string,
): GuardrailOutcome | null {
  if (!ref || behaviour !== 'enforced') return null;
  const verdict = world.checkGuardrail(ref.id, ref.version, text, 'INPUT');
  if (!verdict.found) throw fromSimError(verdict.error);
  return { ref, input: verdict };
}

export function checkOutput(world: World, outcome: GuardrailOutcome | null, text: string): void {
  if (!outcome || outcome.input.blocked || text.length === 0) return;
  const verdict = world.checkGuardrail(outcome.ref.id, outcome.ref.version, text, 'OUTPUT');
  if (verdict.found) outcome.output = verdict;
}

const textUnits = (text: string) => Math.max(1, Math.ceil(text.length / 1000));

export function guardrailUsage(text: string) {
  return {
    topicPolicyUnits: 0,
    contentPolicyUnits: 0,
    wordPolicyUnits: textUnits(text),
    sensitiveInformationPolicyUnits: 0,
    sensitiveInformationPolicyFreeUnits: 0,
    contextualGroundingPolicyUnits: 0,
    contentPolicyImageUnits: 0,
  };
}

export function guardrailCoverage(text: string) {
  return { textCharacters: { guarded: text.length, total: text.length } };
}

/** One GuardrailAssessment: the word policy hit (if any) plus invocation metrics. */
export function assessment(verdict: GuardrailVerdict & { found: true }, text: string): Json {
  return {
    ...(verdict.blocked
      ? {
          wordPolicy: {
            customWords: [{ match: verdict.matchedWord, action: 'BLOCKED', detected: true }],
            managedWordLists: [],
          },
        }
      : {}),
    invocationMetrics: {
      guardrailProcessingLatency: 1,
      usage: guardrailUsage(text),
      guardrailCoverage: guardrailCoverage(text),
    },
  };
}
