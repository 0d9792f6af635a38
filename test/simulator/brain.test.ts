import { describe, expect, it } from 'vitest';
import { DEFAULT_REPLY, deltas, think } from '../../simulator/brain';

describe('think', () => {
  it('answers the fixed sentence and counts input tokens as ceil(chars/4)', () => {
    // Prepare
    const turns = [{ role: 'user' as const, text: 'Say hello in five words.' }];

    // Act
    const reply = think(turns, {});

    // Assess
    expect(reply).toEqual({
      text: DEFAULT_REPLY,
      toolCall: null,
      inputTokens: 6,
      outputTokens: DEFAULT_REPLY.split(' ').length,
      stopReason: 'end',
    });
  });

  it('cuts the answer to maxTokens words and says max_tokens', () => {
    // Prepare
    const turns = [{ role: 'user' as const, text: 'hi' }];

    // Act
    const reply = think(turns, { maxTokens: 2 });

    // Assess
    expect(reply.text).toBe('Hello from');
    expect(reply.outputTokens).toBe(2);
    expect(reply.stopReason).toBe('max_tokens');
    expect(reply.inputTokens).toBe(1);
  });

  it('recalls the code word stated in an earlier turn (the stateful probe)', () => {
    // Prepare
    const turns = [
      { role: 'user' as const, text: 'Remember this: the code word is PELICAN-42.' },
      { role: 'assistant' as const, text: 'OK.' },
      { role: 'user' as const, text: 'What is the code word?' },
    ];

    // Act
    const reply = think(turns, { maxTokens: 16 });

    // Assess
    expect(reply.text).toBe('PELICAN-42');
    expect(reply.stopReason).toBe('end');
  });

  it('does not invent a code word when no earlier turn stated one', () => {
    // Prepare
    const turns = [{ role: 'user' as const, text: 'What is the code word?' }];

    // Act
    const reply = think(turns, {});

    // Assess
    expect(reply.text).toBe(DEFAULT_REPLY);
  });

  it('calls the first tool with required arguments sampled from the JSON schema', () => {
    // Prepare
    const tools = [
      {
        name: 'get_weather',
        parameters: {
          type: 'object',
          properties: {
            city: { type: 'string' },
            days: { type: 'integer' },
            metric: { type: 'boolean' },
            unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
            note: { type: 'string' },
          },
          required: ['city', 'days', 'metric', 'unit'],
        },
      },
      { name: 'other' },
    ];

    // Act
    const reply = think([{ role: 'user', text: 'Weather in Paris?' }], { tools, maxTokens: 100 });

    // Assess
    expect(reply.text).toBe('');
    expect(reply.stopReason).toBe('tool_use');
    expect(reply.toolCall).toEqual({
      name: 'get_weather',
      arguments: { city: 'Paris', days: 1, metric: true, unit: 'celsius' },
    });
    expect(reply.outputTokens).toBeGreaterThan(0);
  });

  it('never bills more output tokens than maxTokens, even for a tool call', () => {
    // Prepare
    const tools = [{ name: 't', parameters: { type: 'object', properties: {}, required: [] } }];

    // Act
    const reply = think([{ role: 'user', text: 'x' }], { tools, maxTokens: 0 });

    // Assess
    expect(reply.outputTokens).toBe(0);
  });

  it('rejects a negative maxTokens naming the value', () => {
    // Prepare
    const turns = [{ role: 'user' as const, text: 'x' }];

    // Act
    const act = () => think(turns, { maxTokens: -3 });

    // Assess
    expect(act).toThrow('maxTokens must be a non-negative integer, got -3');
  });
});

describe('deltas', () => {
  it.each([DEFAULT_REPLY, 'PELICAN-42', 'a', 'two words'])(
    'splits %j into 2+ pieces that join back',
    (text) => {
      // Prepare
      const input = text;

      // Act
      const pieces = deltas(input);

      // Assess
      expect(pieces.length).toBeGreaterThanOrEqual(2);
      expect(pieces.join('')).toBe(text);
    },
  );

  it('gives no deltas for empty text', () => {
    // Prepare
    const input = '';

    // Act
    const pieces = deltas(input);

    // Assess
    expect(pieces).toEqual([]);
  });
});
