/** Responses through the `openai` SDK: plain, streamed, tools, state, background, per host. */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  failure,
  mantleOpenAi,
  mantleV1,
  runtime,
  SCENARIO,
  sim,
  useOpenAiSimulator,
  WEATHER_TOOL,
} from './openai-sim';

useOpenAiSimulator();

describe('responses', () => {
  it('answers a basic response with output text and usage', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', input: 'Say hello.', max_output_tokens: 32 };

    // Act
    const response = await mantleV1.responses.create(request);

    // Assess
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Hello from the bedrock-matrix simulator.');
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant' });
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
  });

  it('rejects max_output_tokens below 16 with a BadRequestError naming the value', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', input: 'Say hello.', max_output_tokens: 8 };

    // Act
    const err = await failure(mantleV1.responses.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('max_output_tokens');
    expect(err.message).toContain('Expected a value >= 16, but got 8 instead.');
  });

  it('streams the typed events in order and the SDK assembles the final response', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', input: 'Say hello.' };

    // Act
    const stream = mantleV1.responses.stream(request);
    const events: { type: string; sequence_number: number }[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();

    // Assess
    const types = events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.filter((t) => t === 'response.output_text.delta').length).toBeGreaterThanOrEqual(2);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(final.output_text).toBe('Hello from the bedrock-matrix simulator.');
  });

  it('returns a function_call item for function tools', async () => {
    // Prepare
    const tools = [
      { type: 'function' as const, name: 'get_weather', parameters: WEATHER_TOOL, strict: false },
    ];

    // Act
    const response = await mantleV1.responses.create({
      model: 'openai.gpt-oss-120b',
      input: 'Weather?',
      tools,
    });

    // Assess
    const item = response.output[0];
    expect(item?.type).toBe('function_call');
    if (item?.type !== 'function_call') throw new Error('expected a function call');
    expect(item.name).toBe('get_weather');
    expect(item.call_id).toMatch(/^call_/);
    expect(JSON.parse(item.arguments)).toEqual({ city: 'Paris', days: 1 });
  });

  it('streams a function call as argument deltas the SDK reassembles', async () => {
    // Prepare
    const tools = [
      { type: 'function' as const, name: 'get_weather', parameters: WEATHER_TOOL, strict: false },
    ];

    // Act
    const stream = mantleV1.responses.stream({ model: 'openai.gpt-oss-120b', input: 'Weather?', tools });
    const argumentDeltas: string[] = [];
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta') argumentDeltas.push(event.delta);
    }
    const final = await stream.finalResponse();

    // Assess
    expect(argumentDeltas.length).toBeGreaterThanOrEqual(2);
    expect(final.output[0]).toMatchObject({ type: 'function_call', name: 'get_weather' });
    const item = final.output[0];
    expect(item?.type === 'function_call' ? JSON.parse(item.arguments) : null).toEqual({
      city: 'Paris',
      days: 1,
    });
  });

  it('recalls the earlier turn through previous_response_id, inheriting the model on mantle', async () => {
    // Prepare
    const first = await mantleV1.responses.create({
      model: 'openai.gpt-oss-120b',
      input: 'The code word is PELICAN. Reply OK.',
    });

    // Act
    const second = await mantleV1.responses.create({
      previous_response_id: first.id,
      input: 'What is the code word?',
    } as Parameters<typeof mantleV1.responses.create>[0] & { stream?: false });

    // Assess
    expect(second.output_text).toBe('PELICAN');
    expect(second.previous_response_id).toBe(first.id);
  });

  it('answers an unknown previous_response_id with NotFoundError', async () => {
    // Prepare
    const request = { model: 'openai.gpt-oss-120b', input: 'Hi', previous_response_id: 'resp_missing' };

    // Act
    const err = await failure(mantleV1.responses.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.message).toContain("'resp_missing'");
  });

  it('runs background responses queued -> in_progress -> completed across retrieves', async () => {
    // Prepare
    const created = await mantleV1.responses.create({
      model: 'openai.gpt-oss-120b',
      input: 'Say hello.',
      background: true,
    });

    // Act
    const second = await mantleV1.responses.retrieve(created.id);
    const third = await mantleV1.responses.retrieve(created.id);

    // Assess
    expect(created.status).toBe('queued');
    expect(second.status).toBe('in_progress');
    expect(third.status).toBe('completed');
    expect(third.output_text).toBe('Hello from the bedrock-matrix simulator.');
  });

  it('cancels a queued background response and deletes stored responses', async () => {
    // Prepare
    const created = await mantleV1.responses.create({
      model: 'openai.gpt-oss-120b',
      input: 'Say hello.',
      background: true,
    });

    // Act
    const cancelled = await mantleV1.responses.cancel(created.id);
    await mantleV1.responses.delete(created.id);
    const err = await failure(mantleV1.responses.retrieve(created.id));

    // Assess
    expect(cancelled.status).toBe('cancelled');
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('serves GPT-5-style models only on /openai/v1: /v1 gets the wrong-route BadRequestError', async () => {
    // Prepare
    const request = { model: 'openai.gpt-5.6-sol', input: 'Say hello.' };

    // Act
    const ok = await mantleOpenAi.responses.create(request);
    const err = await failure(mantleV1.responses.create(request));

    // Assess
    expect(ok.output_text).toBe('Hello from the bedrock-matrix simulator.');
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toBe("400 model openai.gpt-5.6-sol isn't supported on this route");
  });

  it('answers the wrong route with AuthenticationError when the scenario uses the 401 variant', async () => {
    // Prepare
    sim.setScenario({ ...SCENARIO, wrongRouteStatus: 401 });

    // Act
    const err = await failure(
      mantleV1.responses.create({ model: 'openai.gpt-5.6-sol', input: 'Hi' }),
    ).finally(() => sim.setScenario(SCENARIO));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.message).toContain('is not enabled');
  });

  it('refuses Responses for a chat-only model with "does not support the \'/v1/responses\' API"', async () => {
    // Prepare
    const request = { model: 'qwen.hidden', input: 'Hi' };

    // Act
    const err = await failure(mantleV1.responses.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toBe("400 The model 'qwen.hidden' does not support the '/v1/responses' API");
  });

  it('on runtime: needs the model on every call, keeps state, and refuses background', async () => {
    // Prepare
    const model = 'us.openai.gpt-5.6-sol';
    const first = await runtime.responses.create({ model, input: 'The code word is HERON. Reply OK.' });

    // Act
    const recalled = await runtime.responses.create({
      model,
      previous_response_id: first.id,
      input: 'What is the code word?',
    });
    const noModel = await failure(
      runtime.responses.create({ previous_response_id: first.id, input: 'Again?' } as never),
    );
    const background = await failure(runtime.responses.create({ model, input: 'Hi', background: true }));

    // Assess
    expect(recalled.output_text).toBe('HERON');
    expect(noModel).toBeInstanceOf(OpenAI.BadRequestError);
    expect(noModel.param).toBe('model');
    expect(background).toBeInstanceOf(OpenAI.BadRequestError);
    expect(background.message).toContain('background');
  });

  it('on runtime: the on-demand ID of a profile-only model asks for an inference profile', async () => {
    // Prepare
    const request = { model: 'openai.gpt-5.6-sol', input: 'Hi' };

    // Act
    const err = await failure(runtime.responses.create(request));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('with on-demand throughput isn\u2019t supported');
  });

  it('keeps mantle and runtime response stores apart', async () => {
    // Prepare
    const onMantle = await mantleV1.responses.create({ model: 'openai.gpt-oss-120b', input: 'Hi' });

    // Act
    const err = await failure(runtime.responses.retrieve(onMantle.id));

    // Assess
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
