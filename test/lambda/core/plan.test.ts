import { describe, expect, it } from 'vitest';
import { routesFor } from '../../../lambda/core/endpoints';
import { globToRegExp, planBasic, planFollowUps } from '../../../lambda/core/plan';
import type { ResolvedModel } from '../../../lambda/core/resolve';

const model = (over: Partial<ResolvedModel> & { key: string }): ResolvedModel => ({
  provider: over.key.split('.')[0] ?? 'x',
  ids: {},
  sources: [],
  runtimeCandidates: [],
  absent: {},
  ...over,
});

const gptOss = model({
  key: 'openai.gpt-oss-120b',
  ids: { runtime: 'openai.gpt-oss-120b-1:0', mantle: 'openai.gpt-oss-120b' },
  runtimeCandidates: ['openai.gpt-oss-120b-1:0'],
});
const sonnet = model({
  key: 'anthropic.claude-sonnet-4-6',
  ids: { runtime: 'us.anthropic.claude-sonnet-4-6' },
  runtimeCandidates: ['us.anthropic.claude-sonnet-4-6'],
  absent: { mantle: 'absent from mantle /v1/models in us-east-1' },
});

describe('planBasic', () => {
  it('plans every model x endpoint x api the endpoint serves', () => {
    // Act
    const tasks = planBasic('us-east-1', [gptOss, sonnet], { guardrail: null });

    // Assess: 5 runtime apis + 3 mantle apis per model
    expect(tasks).toHaveLength(16);
    expect(tasks.every((t) => t.variant === 'basic')).toBe(true);
    expect(tasks.filter((t) => t.endpoint === 'mantle').map((t) => t.api)).not.toContain('converse');
  });

  it('settles a model absent from a host as not-found without spending a call', () => {
    // Act
    const tasks = planBasic('us-east-1', [sonnet], { guardrail: null });

    // Assess
    const mantleChat = tasks.find((t) => t.endpoint === 'mantle' && t.api === 'chat');
    expect(mantleChat?.decided).toEqual({
      status: 'not-found',
      reason: 'absent from mantle /v1/models in us-east-1',
    });
    expect(mantleChat?.modelIds).toEqual([]);
  });

  it('skips InvokeModel for a provider without a known request body, naming the provider', () => {
    // Prepare
    const qwen = model({
      key: 'qwen.qwen3-32b',
      ids: { runtime: 'qwen.qwen3-32b-v1:0' },
      runtimeCandidates: ['qwen.qwen3-32b-v1:0'],
    });

    // Act
    const invoke = planBasic('us-east-1', [qwen], { guardrail: null }).find((t) => t.api === 'invoke');

    // Assess
    expect(invoke?.decided).toEqual({
      status: 'skipped',
      reason: 'no known InvokeModel request body for provider qwen',
    });
  });

  it('honours the model globs and the api list', () => {
    // Act
    const tasks = planBasic('us-east-1', [gptOss, sonnet], {
      guardrail: null,
      include: ['openai.*'],
      apis: ['chat', 'responses'],
    });

    // Assess
    expect(new Set(tasks.map((t) => t.model))).toEqual(new Set(['openai.gpt-oss-120b']));
    expect(tasks.map((t) => `${t.endpoint}/${t.api}`).sort()).toEqual([
      'mantle/chat',
      'mantle/responses',
      'runtime/chat',
      'runtime/responses',
    ]);
  });

  it('treats a failed catalog as a transient error, not a missing model', () => {
    // Prepare
    const m = model({
      key: 'openai.gpt-oss-20b',
      absent: { mantle: 'mantle catalog unavailable', runtime: 'runtime catalog unavailable' },
    });

    // Act
    const tasks = planBasic('us-east-1', [m], { guardrail: null });

    // Assess
    expect(new Set(tasks.map((t) => t.decided?.status))).toEqual(new Set(['error']));
  });
});

describe('routesFor', () => {
  it('tries /v1 then /openai/v1 on mantle, and the fixed prefixes elsewhere', () => {
    // Act / Assess
    expect(routesFor('mantle', 'chat')).toEqual(['/v1', '/openai/v1']);
    expect(routesFor('runtime', 'responses')).toEqual(['/openai/v1']);
    expect(routesFor('mantle', 'messages')).toEqual(['/anthropic/v1']);
    expect(routesFor('runtime', 'converse')).toEqual([null]);
  });
});

describe('planFollowUps', () => {
  it('pins feature and guardrail variants to the route and ID that worked', () => {
    // Prepare
    const [basic] = planBasic('us-east-1', [gptOss], { guardrail: null, apis: ['responses'] }).filter(
      (t) => t.endpoint === 'mantle',
    );

    // Act
    const followUps = planFollowUps(
      basic!,
      { route: '/v1', modelId: 'openai.gpt-oss-120b' },
      {
        guardrail: { id: 'gr1', version: '1' },
      },
    );

    // Assess
    expect(followUps.map((t) => t.variant)).toEqual([
      'stream',
      'tools',
      'stateful',
      'background',
      'guardrail',
    ]);
    expect(followUps.every((t) => t.routes.length === 1 && t.routes[0] === '/v1')).toBe(true);
    expect(followUps.every((t) => t.decided === undefined)).toBe(true);
  });

  it('skips the guardrail cell with a reason when no guardrail is configured', () => {
    // Prepare
    const [basic] = planBasic('us-east-1', [gptOss], { guardrail: null, apis: ['converse'] });

    // Act
    const guardrail = planFollowUps(
      basic!,
      { route: null, modelId: 'openai.gpt-oss-120b-1:0' },
      { guardrail: null },
    ).at(-1);

    // Assess
    expect(guardrail?.decided).toEqual({ status: 'skipped', reason: 'no probe guardrail configured' });
  });
});

describe('globToRegExp', () => {
  it('matches whole keys, case-insensitively, with * and ?', () => {
    // Act / Assess
    expect(globToRegExp('anthropic.*').test('anthropic.claude-haiku-4-5')).toBe(true);
    expect(globToRegExp('anthropic.*').test('us.anthropic.claude')).toBe(false);
    expect(globToRegExp('openai.gpt-oss-?20b').test('openai.gpt-oss-120b')).toBe(true);
  });
});
