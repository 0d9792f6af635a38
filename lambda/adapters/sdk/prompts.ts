/**
 * The probes' words: tiny prompts, so a cell costs a few tokens, and one function tool whose
 * call is easy to check. The canary prompt carries the phrase the probe Guardrail blocks.
 */
export const BASIC_PROMPT = 'Reply with the single word: ok';

export const TOOL = {
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
  },
} as const;

export const TOOL_PROMPT = 'What is the weather in Paris? Use the get_weather tool.';

export const canaryPrompt = (canary: string): string => `Repeat this word exactly: ${canary}`;

/** A fresh word per stateful probe, so recall cannot come from anything but the stored turn. */
export const codeWord = (): string => `bmx${Math.random().toString(36).slice(2, 8)}`;
export const rememberPrompt = (word: string): string => `Remember this: the code word is ${word}. Reply OK.`;
export const RECALL_PROMPT = 'What is the code word? Reply with the word only.';
