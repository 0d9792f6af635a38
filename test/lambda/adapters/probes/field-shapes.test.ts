/**
 * The field since December as the simulator serves it (its own tables) and the probes read it:
 * a model that thinks by default (Claude Sonnet 5), the daily token quota, and the runtime host's
 * raw XML answer to an operation it does not serve.
 */
import { describe, expect, it } from 'vitest';
import { classify } from '../../../../lambda/core/classify';
import { loadScenario } from '../../../../simulator/scenario';
import type { Scenario } from '../../../../simulator/types';
import { IDS, useProbeWorld } from './probe-fixture';

const CTX = { blockedMessages: [] };
const SONNET_5 = 'anthropic.claude-sonnet-5';
const SONNET_5_PROFILE = 'us.anthropic.claude-sonnet-5';

/** tiny, plus Claude Sonnet 5 as tiny's Claude Sonnet 4.6 but thinking by default. */
async function withThinkingModel(): Promise<Scenario> {
  const tiny = await loadScenario('tiny');
  const sonnet46 = tiny.models.find((m) => m.key === 'anthropic.claude-sonnet-4-6');
  if (!sonnet46?.runtime || !sonnet46.mantle) throw new Error('tiny lost its Claude model');
  const sonnet5 = {
    ...sonnet46,
    key: SONNET_5,
    name: 'Claude Sonnet 5',
    thinksByDefault: true,
    runtime: { ...sonnet46.runtime, id: SONNET_5, profiles: [SONNET_5_PROFILE] },
    mantle: { ...sonnet46.mantle, id: SONNET_5 },
  };
  return { ...tiny, models: [...tiny.models, sonnet5] };
}

describe('a model that thinks by default (bedrock-ug-doc-history, 2026-08-24)', async () => {
  const world = useProbeWorld({ scenario: await withThinkingModel() });

  it('Messages: the probe turns thinking off, so a tiny max_tokens still gets text', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'messages',
      modelId: SONNET_5,
      route: '/anthropic/v1',
      family: 'anthropic',
    });
    const got = classify(obs, CTX);

    // Assess
    expect(got.status).toBe('supported');
    expect(obs.thinkingOnly).toBeUndefined();
  });

  it('Messages without the thinking field (the alternate shape): thinking only, still supported', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'messages',
      modelId: SONNET_5,
      route: '/anthropic/v1',
      family: 'anthropic',
      shape: 'alternate',
    });
    const got = classify(obs, CTX);

    // Assess
    expect(obs.thinkingOnly).toBe(true);
    expect(got.status).toBe('supported');
    expect(got.evidence.reason).toContain('max_tokens reached while the model was thinking');
  });

  it('Converse: basic answered with reasoning only is supported; tools is no verdict, never unsupported', async () => {
    // Act
    const basic = classify(
      await world.observe({
        endpoint: 'runtime',
        api: 'converse',
        modelId: SONNET_5_PROFILE,
        family: 'anthropic',
      }),
      CTX,
    );
    const tools = classify(
      await world.observe({
        endpoint: 'runtime',
        api: 'converse',
        variant: 'tools',
        modelId: SONNET_5_PROFILE,
        family: 'anthropic',
      }),
      CTX,
    );

    // Assess
    expect(basic.status).toBe('supported');
    expect(basic.evidence.reason).toContain('thinking');
    expect(tools.status).toBe('error');
    expect(tools.evidence.reason).toMatch(/^no verdict: max_tokens reached while the model was thinking/);
  });

  it('with a budget past its thinking the same model answers the tools check', async () => {
    // Act
    const tools = classify(
      await world.observe({
        endpoint: 'runtime',
        api: 'converse',
        variant: 'tools',
        modelId: SONNET_5_PROFILE,
        family: 'anthropic',
        maxTokens: 256,
      }),
      CTX,
    );

    // Assess
    expect(tools.status).toBe('supported');
  });
});

describe('the daily token quota and the runtime XML 404', () => {
  const world = useProbeWorld({
    faults: [{ type: 'throttle', quota: 'daily', match: { host: 'mantle', api: 'chat' } }],
  });

  it('a 429 naming the daily quota is throttled with the quota named', async () => {
    // Act
    const obs = await world.observe({
      endpoint: 'mantle',
      api: 'chat',
      modelId: IDS.gptOssMantle,
      route: '/v1',
    });
    const got = classify(obs, CTX);

    // Assess
    expect(got.status).toBe('throttled');
    expect(got.evidence.reason).toContain('daily token quota spent');
  });

  it('runtime answers a path it does not serve with a raw XML 404, read as unsupported', async () => {
    // Act: Chat under a prefix runtime has no operation for
    const obs = await world.observe({
      endpoint: 'runtime',
      api: 'chat',
      modelId: IDS.gptOssRuntime,
      route: '/v9',
    });
    const got = classify(obs, CTX);

    // Assess
    expect(obs.httpStatus).toBe(404);
    expect(obs.body).toBe('<UnknownOperationException/>\n');
    expect(got.status).toBe('unsupported');
    expect(got.evidence.reason).toContain('unknown operation (decided by the raw body, over HTTP 404)');
  });
});
