/** Converse and ConverseStream through the real AWS SDK. */
import {
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REPLY } from '../../../../simulator/brain';
import {
  caught,
  client,
  collectStream,
  HAIKU,
  hello,
  LLAMA,
  NOVA,
  SONNET_PROFILE,
  sim,
  useRuntimeSimulator,
  WEATHER_TOOL,
} from './runtime-sim';

useRuntimeSimulator();

describe('Converse', () => {
  it('answers with text, usage, metrics and end_turn', async () => {
    // Prepare
    const input = { modelId: HAIKU, messages: hello(), inferenceConfig: { maxTokens: 64 } };

    // Act
    const out = await client.send(new ConverseCommand(input));

    // Assess
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.output?.message?.role).toBe('assistant');
    expect(out.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY);
    expect(out.stopReason).toBe('end_turn');
    expect(out.usage?.inputTokens).toBeGreaterThan(0);
    expect(out.usage?.outputTokens).toBeGreaterThan(0);
    expect(out.usage?.totalTokens).toBe((out.usage?.inputTokens ?? 0) + (out.usage?.outputTokens ?? 0));
    expect(typeof out.metrics?.latencyMs).toBe('number');
  });

  it('stops on max_tokens when the answer is cut', async () => {
    // Prepare
    const input = { modelId: HAIKU, messages: hello(), inferenceConfig: { maxTokens: 2 } };

    // Act
    const out = await client.send(new ConverseCommand(input));

    // Assess
    expect(out.stopReason).toBe('max_tokens');
    expect(out.usage?.outputTokens).toBe(2);
    expect(out.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY.split(' ').slice(0, 2).join(' '));
  });

  it('remembers a code word across the turns of one conversation', async () => {
    // Prepare
    const messages: ConverseCommandInput['messages'] = [
      { role: 'user', content: [{ text: 'The code word is OSPREY.' }] },
      { role: 'assistant', content: [{ text: 'Noted.' }] },
      { role: 'user', content: [{ text: 'What is the code word?' }] },
    ];

    // Act
    const out = await client.send(new ConverseCommand({ modelId: NOVA, messages }));

    // Assess
    expect(out.output?.message?.content?.[0]?.text).toBe('OSPREY');
  });

  it('reaches a profile-only model through its inference profile', async () => {
    // Prepare
    const input = { modelId: SONNET_PROFILE, messages: hello() };

    // Act
    const out = await client.send(new ConverseCommand(input));

    // Assess
    expect(out.stopReason).toBe('end_turn');
    expect(sim.world.calls.at(-1)).toMatchObject({ api: 'converse', modelId: SONNET_PROFILE, status: 200 });
  });

  it('returns a toolUse block and stopReason tool_use when tools are offered', async () => {
    // Prepare
    const input = {
      modelId: HAIKU,
      messages: hello('Weather in Paris?'),
      toolConfig: { tools: [WEATHER_TOOL] },
    };

    // Act
    const out = await client.send(new ConverseCommand(input));

    // Assess
    expect(out.stopReason).toBe('tool_use');
    const toolUse = out.output?.message?.content?.[0]?.toolUse;
    expect(toolUse?.name).toBe('get_weather');
    expect(toolUse?.input).toEqual({ city: 'Paris' });
    expect(toolUse?.toolUseId).toMatch(/^tooluse_/);
  });

  it('refuses a conversation that does not start with a user message', async () => {
    // Prepare
    const messages: ConverseCommandInput['messages'] = [{ role: 'assistant', content: [{ text: 'Hi' }] }];

    // Act
    const err = await caught(client.send(new ConverseCommand({ modelId: HAIKU, messages })));

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.message).toBe(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  });
});

describe('ConverseStream', () => {
  it('streams messageStart, 2+ text deltas, contentBlockStop, messageStop and metadata', async () => {
    // Prepare
    const input = { modelId: HAIKU, messages: hello() };

    // Act
    const out = await client.send(new ConverseStreamCommand(input));
    const { events, text, textDeltas } = await collectStream(out.stream);

    // Assess
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(events[0]?.messageStart?.role).toBe('assistant');
    expect(textDeltas).toBeGreaterThanOrEqual(2);
    expect(text).toBe(DEFAULT_REPLY);
    expect(events.some((e) => e.contentBlockStop?.contentBlockIndex === 0)).toBe(true);
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('end_turn');
    const metadata = events.at(-1)?.metadata;
    expect(metadata?.usage?.outputTokens).toBeGreaterThan(0);
    expect(typeof metadata?.metrics?.latencyMs).toBe('number');
  });

  it('streams a tool call as contentBlockStart plus partial input deltas', async () => {
    // Prepare
    const input = { modelId: NOVA, messages: hello('Weather?'), toolConfig: { tools: [WEATHER_TOOL] } };

    // Act
    const out = await client.send(new ConverseStreamCommand(input));
    const { events } = await collectStream(out.stream);

    // Assess
    const start = events.find((e) => e.contentBlockStart)?.contentBlockStart;
    expect(start?.start?.toolUse?.name).toBe('get_weather');
    const pieces = events.flatMap((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? []);
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(pieces.join(''))).toEqual({ city: 'Paris' });
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('tool_use');
  });

  it('refuses streaming for a model without it with an HTTP error before any event', async () => {
    // Prepare
    const input = { modelId: LLAMA, messages: hello() };

    // Act
    const err = await caught(client.send(new ConverseStreamCommand(input)));

    // Assess
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe('The model is unsupported for streaming.');
  });

  it('surfaces throttling as ThrottlingException when the stream is requested', async () => {
    // Prepare
    const input = { modelId: 'amazon.titan-text-lite-v1', messages: hello() };

    // Act
    const err = await caught(client.send(new ConverseStreamCommand(input)));

    // Assess
    expect(err).toBeInstanceOf(ThrottlingException);
    expect(err.$metadata.httpStatusCode).toBe(429);
  });
});
