import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../lambda/core/model';
import { planBasic } from '../../../lambda/core/plan';
import type { ResolvedModel } from '../../../lambda/core/resolve';
import { DEFAULT_LIMITS, MatrixProber, THINKING_BUDGET_TOKENS } from '../../../lambda/engine/matrix-prober';
import type { ProbeRequest } from '../../../lambda/engine/probe-port';
import { ok } from './observations';

// The engine's retry, pacing and alternative logic, driven through its port with scripted answers.
// The real adapters against the simulator are covered in test/lambda/engine/run-region.test.ts.

const fail = (
  req: ProbeRequest,
  httpStatus: number,
  message: string,
  errorName = 'invalid_request_error',
): Observation => ({
  ...ok(req),
  httpStatus,
  errorName,
  message,
});

const mantleOnly = (key: string): ResolvedModel => ({
  key,
  provider: 'x',
  ids: { mantle: key },
  sources: ['mantle-models'],
  runtimeCandidates: [],
  absent: { runtime: 'absent' },
});

/** The basic mantle chat task of one mantle-only model, no guardrail. */
const mantleChat = (key: string) =>
  planBasic('us-east-1', [mantleOnly(key)], { guardrail: null, apis: ['chat'] });

const harness = (answer: (req: ProbeRequest, n: number) => Observation, limits = {}) => {
  const calls: ProbeRequest[] = [];
  const sleeps: number[] = [];
  let clock = 0;
  const prober = new MatrixProber(
    {
      prober: async (req) => {
        calls.push(req);
        return answer(req, calls.length);
      },
      classifyContext: { blockedMessages: ['BLOCKED'] },
      canary: 'BMX-CANARY-TEST',
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      random: () => 0.5,
    },
    { ...DEFAULT_LIMITS, concurrency: 2, ...limits },
    { guardrail: null, apis: ['chat'] },
  );
  return { prober, calls, sleeps };
};

describe('MatrixProber', () => {
  it('gives a feature check the budget a model that thinks by default needs, once', async () => {
    // Prepare: with the run's tiny limit the model only thinks (bedrock-ug-doc-history, 2026-08-24)
    const { prober, calls } = harness((req) =>
      req.variant === 'tools' && req.maxTokens < THINKING_BUDGET_TOKENS
        ? {
            ...ok(req),
            thinkingOnly: true,
            check: { passed: false, detail: 'no tool_use block (stop_reason max_tokens)' },
          }
        : ok(req),
    );
    const tasks = planBasic('us-east-1', [mantleOnly('anthropic.claude-sonnet-5')], {
      guardrail: null,
      apis: ['chat'],
    });

    // Act
    const { cells } = await prober.run(tasks);

    // Assess
    const tools = cells.find((c) => c.variant === 'tools');
    expect(tools?.status).toBe('supported');
    expect(tools?.evidence.tried).toEqual([
      '/v1 anthropic.claude-sonnet-5: error (200)',
      `/v1 anthropic.claude-sonnet-5 (max_tokens ${THINKING_BUDGET_TOKENS} for thinking): supported (200)`,
    ]);
    expect(calls.filter((c) => c.variant === 'tools').map((c) => c.maxTokens)).toEqual([
      DEFAULT_LIMITS.maxTokens,
      THINKING_BUDGET_TOKENS,
    ]);
  });

  it('notes a 500 that answered every try, and only then', async () => {
    // Prepare: vendor.broken answers 500 on every try; vendor.flaky once, then 200
    const { prober } = harness((req, n) =>
      req.modelId === 'vendor.broken' || (req.modelId === 'vendor.flaky' && n <= 2)
        ? fail(req, 500, 'Internal server error', 'api_error')
        : ok(req),
    );
    const tasks = planBasic('us-east-1', [mantleOnly('vendor.broken'), mantleOnly('vendor.flaky')], {
      guardrail: null,
      apis: ['chat'],
    }).filter((t) => t.variant === 'basic');

    // Act
    const { cells } = await prober.run(tasks);

    // Assess
    const broken = cells.find((c) => c.model === 'vendor.broken' && c.variant === 'basic');
    expect(broken?.status).toBe('error');
    expect(broken?.evidence.reason).toMatch(/; HTTP 500 on every one of 3 tries$/);
    const flaky = cells.find((c) => c.model === 'vendor.flaky' && c.variant === 'basic');
    expect(flaky?.evidence.reason ?? '').not.toMatch(/every one of/);
  });

  it('tries /openai/v1 when /v1 refuses the route, and records which route decided', async () => {
    // Prepare
    const { prober, calls } = harness((req) =>
      req.route === '/v1'
        ? fail(req, 400, "model google.gemma-4-27b isn't supported on this route")
        : ok(req),
    );
    const tasks = mantleChat('google.gemma-4-27b');

    // Act
    const { cells } = await prober.run(tasks);

    // Assess
    const basic = cells.find((c) => c.endpoint === 'mantle' && c.variant === 'basic');
    expect(basic?.status).toBe('supported');
    expect(basic?.evidence.route).toBe('/openai/v1');
    expect(basic?.evidence.tried).toEqual([
      '/v1 google.gemma-4-27b: unsupported wrong-route (400)',
      '/openai/v1 google.gemma-4-27b: supported (200)',
    ]);
    // Follow-ups stay on the route that worked.
    expect(calls.filter((c) => c.variant !== 'basic').every((c) => c.route === '/openai/v1')).toBe(true);
  });

  it('tries the other request shape when a 400 explains nothing, and records it', async () => {
    // Prepare
    const { prober } = harness((req) =>
      req.shape === 'alternate' ? ok(req) : fail(req, 400, "Unsupported parameter: 'max_completion_tokens'"),
    );
    const tasks = mantleChat('vendor.older-model');

    // Act
    const { cells } = await prober.run(tasks.filter((t) => t.endpoint === 'mantle'));

    // Assess
    const basic = cells.find((c) => c.variant === 'basic');
    expect(basic?.status).toBe('supported');
    expect(basic?.evidence.tried).toEqual([
      '/v1 vendor.older-model: error (400)',
      '/v1 vendor.older-model (alternate request shape): supported (200)',
    ]);
  });

  it('keeps an unexplained 400 an error when the other shape fails too, never unsupported', async () => {
    // Prepare
    const { prober } = harness((req) => fail(req, 400, 'Something odd'));
    const tasks = mantleChat('vendor.odd');

    // Act
    const { cells } = await prober.run(tasks.filter((t) => t.endpoint === 'mantle'));

    // Assess
    expect(cells[0]?.status).toBe('error');
    expect(cells[0]?.evidence.tried).toHaveLength(2);
  });

  it('calls a cell unsupported only after every route refused it', async () => {
    // Prepare
    const { prober } = harness((req) =>
      fail(
        req,
        400,
        `The model 'anthropic.claude-haiku-4-5' does not support the '${req.route}/chat/completions' API`,
      ),
    );
    const tasks = mantleChat('anthropic.claude-haiku-4-5');

    // Act
    const { cells, probesSent } = await prober.run(tasks);

    // Assess
    const basic = cells.find((c) => c.endpoint === 'mantle');
    expect(basic?.status).toBe('unsupported');
    expect(basic?.evidence.tried).toHaveLength(2);
    expect(probesSent).toBe(2);
  });

  it('retries 429 with growing, jittered backoff and then succeeds', async () => {
    // Prepare
    const { prober, sleeps } = harness(
      (req, n) => (n <= 2 ? fail(req, 429, 'Too many tokens', 'rate_limit_error') : ok(req)),
      {
        modelPacingMs: 0,
      },
    );
    const tasks = mantleChat('openai.gpt-oss-20b');

    // Act
    const { cells } = await prober.run(tasks.filter((t) => t.endpoint === 'mantle'));

    // Assess: equal jitter at random 0.5 = 3/4 of the ceiling (500, then 1000)
    expect(cells.find((c) => c.variant === 'basic')?.status).toBe('supported');
    expect(sleeps.slice(0, 2)).toEqual([375, 750]);
  });

  it('settles on throttled when every attempt is throttled, without trying other routes', async () => {
    // Prepare
    const { prober, calls } = harness((req) => fail(req, 429, 'Too many tokens', 'rate_limit_error'), {
      modelPacingMs: 0,
    });
    const tasks = mantleChat('openai.gpt-oss-20b');

    // Act
    const { cells } = await prober.run(tasks.filter((t) => t.endpoint === 'mantle'));

    // Assess
    expect(cells[0]?.status).toBe('throttled');
    expect(calls).toHaveLength(DEFAULT_LIMITS.maxAttempts);
    expect(new Set(calls.map((c) => c.route))).toEqual(new Set(['/v1']));
  });

  it('skips cells past the call budget, saying so', async () => {
    // Prepare
    const { prober } = harness((req) => ok(req), { maxCalls: 1 });
    const models = [mantleOnly('a.one'), mantleOnly('b.two')];
    const tasks = planBasic('us-east-1', models, { guardrail: null, apis: ['chat'] }).filter(
      (t) => t.endpoint === 'mantle',
    );

    // Act
    const { cells, probesSent } = await prober.run(tasks);

    // Assess
    expect(probesSent).toBe(1);
    const skipped = cells.filter((c) => c.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped[0]?.evidence.reason).toBe('call budget of 1 probes exhausted');
  });

  it('skips cells once the run has spent its token budget', async () => {
    // Prepare: every answer bills 6 tokens; the budget allows two answers
    const { prober, calls } = harness((req) => ({ ...ok(req), inputTokens: 4, outputTokens: 2 }), {
      maxRunTokens: 12,
      concurrency: 1,
    });
    const tasks = planBasic('us-east-1', [mantleOnly('a.one'), mantleOnly('b.two')], {
      guardrail: null,
      apis: ['chat'],
    });

    // Act
    const { cells } = await prober.run(tasks.filter((t) => t.endpoint === 'mantle'));

    // Assess
    expect(calls).toHaveLength(2);
    expect(cells.filter((c) => c.status === 'skipped').map((c) => c.evidence.reason)).toContain(
      'token budget of 12 tokens exhausted',
    );
  });

  it('marks the run partial and starts no probe once the deadline passed', async () => {
    // Prepare
    const { prober, calls } = harness((req) => ok(req), { deadline: 0 });
    const tasks = mantleChat('a.one');

    // Act
    const result = await prober.run(tasks.filter((t) => t.endpoint === 'mantle'));

    // Assess
    expect(calls).toHaveLength(0);
    expect(result.partial).toBe(true);
    expect(result.cells[0]?.evidence.reason).toMatch(/time budget/);
  });

  it('spaces calls to one model by the pacing gap', async () => {
    // Prepare
    const { prober, sleeps } = harness((req) => ok(req), { modelPacingMs: 250, concurrency: 4 });
    const tasks = mantleChat('a.one');

    // Act
    await prober.run(tasks.filter((t) => t.endpoint === 'mantle'));

    // Assess: basic, then stream/tools/guardrail follow-ups queue behind each other on one model
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms > 0 && ms <= 750)).toBe(true);
  });
});

describe('MatrixProber timeouts per endpoint', () => {
  it("gives a mantle model's calls the long first-call timeout until it has answered once, then the normal one", async () => {
    // Prepare
    const { prober, calls } = harness(ok, {
      concurrency: 1,
      probeTimeoutMs: 20_000,
      mantleFirstCallTimeoutMs: 120_000,
    });
    const tasks = mantleChat('openai.gpt-oss-120b');

    // Act
    await prober.run(tasks);

    // Assess
    expect(calls[0]?.timeoutMs).toBe(120_000);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.slice(1).every((c) => c.timeoutMs === 20_000)).toBe(true);
  });

  it('a timed-out first call leaves the model cold: the retry gets the long timeout again', async () => {
    // Prepare
    const { prober, calls } = harness(
      (req, n) => (n === 1 ? { ...ok(req), httpStatus: null, timedOut: true } : ok(req)),
      { concurrency: 1, mantleFirstCallTimeoutMs: 90_000 },
    );
    const tasks = mantleChat('qwen.qwen3-32b');

    // Act
    const { cells } = await prober.run(tasks);

    // Assess
    expect(calls.slice(0, 2).map((c) => c.timeoutMs)).toEqual([90_000, 90_000]);
    expect(cells.find((c) => c.variant === 'basic')?.status).toBe('supported');
  });

  it("never lets a call's timeout run past the run's deadline", async () => {
    // Prepare: the harness clock starts at 0
    const { prober, calls } = harness(ok, {
      concurrency: 1,
      deadline: 30_000,
      mantleFirstCallTimeoutMs: 120_000,
    });
    const tasks = mantleChat('openai.gpt-oss-20b');

    // Act
    await prober.run(tasks);

    // Assess
    expect(calls[0]?.timeoutMs).toBe(30_000);
  });
});
