/** Routing on the OpenAI-compatible surface: the mantle model list, unknown operations. */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { failure, mantleV1, runtime, useOpenAiSimulator } from './openai-sim';

useOpenAiSimulator();

describe('mantle models list', () => {
  it('lists the listed mantle models in the OpenAI list format', async () => {
    // Prepare
    const client = mantleV1;

    // Act
    const page = await client.models.list();

    // Assess
    const ids = page.data.map((m) => m.id);
    expect(ids).toEqual([
      'openai.gpt-oss-120b',
      'openai.gpt-5.6-sol',
      'anthropic.claude-sonnet-4-6',
      'qwen.throttled',
      'qwen.overloaded',
    ]);
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: 'OpenAI' });
    expect(typeof page.data[0]?.created).toBe('number');
  });

  it('answers runtime /openai/v1/models as an unknown operation (404)', async () => {
    // Prepare
    const client = runtime;

    // Act
    const err = await failure(client.models.list());

    // Assess
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.status).toBe(404);
  });
});
