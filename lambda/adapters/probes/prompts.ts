/**
 * The probes' words: tiny prompts, so a cell costs a few tokens, and one function tool whose call
 * is easy to check. The canary prompt carries the phrase the probe Guardrail's word filter blocks.
 */
import { randomBytes } from 'node:crypto';
import type { ProbeRequest } from '../../engine/probe-port';

const BASIC_PROMPT = 'Reply with one word: ok';

export const TOOL = {
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
  },
} as const;

/** A fresh copy of the tool's JSON schema (SDK types want mutable arrays). */
export const toolSchema = () => ({
  type: 'object' as const,
  properties: { city: { type: 'string', description: 'City name' } },
  required: ['city'],
});

const TOOL_PROMPT = 'What is the weather in Paris? Use the get_weather tool.';

export const canaryPrompt = (canary: string): string => `Repeat this word exactly: ${canary}`;

/** The prompt a single-call probe sends for its variant. */
export function promptFor(req: ProbeRequest): string {
  if (req.variant === 'guardrail') return canaryPrompt(req.canary);
  if (req.variant === 'tools') return TOOL_PROMPT;
  return BASIC_PROMPT;
}

/** A fresh word per stateful probe, so recall can only come from the stored first turn. */
export const codeWord = (): string => `bmx${randomBytes(4).toString('hex')}`;
export const rememberPrompt = (word: string): string => `Remember: the code word is ${word}. Reply OK.`;
export const RECALL_PROMPT = 'What is the code word? Reply with the word only.';
