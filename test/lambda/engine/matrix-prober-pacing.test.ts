import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../lambda/core/model';
import { planBasic } from '../../../lambda/core/plan';
import type { ResolvedModel } from '../../../lambda/core/resolve';
import { DEFAULT_LIMITS, MatrixProber, type ProbeLimits } from '../../../lambda/engine/matrix-prober';
import type { ProbeRequest } from '../../../lambda/engine/probe-port';
import { ok } from './observations';

// The cap on calls in flight per model (issue 23): a fake prober whose calls stay in flight until
// the test answers them, so what is in flight at each step is seen exactly, without real time.

const throttled = (req: ProbeRequest): Observation => ({
  ...ok(req),
  httpStatus: 429,
  errorName: 'rate_limit_error',
  message: 'Too many requests',
});

/** A model on both hosts, with a profile after its on-demand ID: several basic cells, retries of routes and IDs. */
const model = (key: string): ResolvedModel => ({
  key,
  provider: 'openai',
  ids: { runtime: key, mantle: key },
  sources: ['foundation-models', 'mantle-models'],
  runtimeCandidates: [key, `us.${key}`],
  absent: {},
});

interface Pending {
  readonly req: ProbeRequest;
  readonly answer: (obs: Observation) => void;
}

/** Lets every continuation of the last answer run, so the prober has started all it can. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const harness = (limits: Partial<ProbeLimits>) => {
  const pending: Pending[] = [];
  const inFlight = new Map<string, number>();
  /** Highest count per model and in all, over every step. */
  const peak = { perModel: 0, total: 0 };
  const prober = new MatrixProber(
    {
      prober: (req) =>
        new Promise<Observation>((resolve) => {
          const n = (inFlight.get(req.modelKey) ?? 0) + 1;
          inFlight.set(req.modelKey, n);
          peak.perModel = Math.max(peak.perModel, n);
          pending.push({
            req,
            answer: (obs) => {
              inFlight.set(req.modelKey, (inFlight.get(req.modelKey) ?? 1) - 1);
              resolve(obs);
            },
          });
          peak.total = Math.max(peak.total, pending.length);
        }),
      classifyContext: { blockedMessages: ['BLOCKED'] },
      canary: 'BMX-CANARY-TEST',
      now: () => 0,
      sleep: async () => undefined,
      random: () => 0.5,
    },
    // No pacing gap: every call queues at once, in plan order.
    { ...DEFAULT_LIMITS, modelPacingMs: 0, ...limits },
    { guardrail: null },
  );
  /** The models of the calls in flight now, sorted. */
  const flying = () => pending.map((p) => p.req.modelKey).sort();
  /** Answers the call in flight at `index` (the oldest by default) and lets the prober go on. */
  const answerOne = async (answer: (req: ProbeRequest) => Observation = ok, index = 0) => {
    const [call] = pending.splice(index, 1);
    call?.answer(answer(call.req));
    await settle();
  };
  return { prober, pending, peak, flying, answerOne };
};

describe('MatrixProber pacing per model', () => {
  it('never has more than the cap in flight on one model: follow-ups, other IDs and retries included', async () => {
    // Prepare: the first try of every third call is throttled, so retries queue with the rest
    const h = harness({ concurrency: 8, perModelConcurrency: 2 });
    const tasks = planBasic('us-east-1', [model('openai.one'), model('openai.two'), model('openai.three')], {
      guardrail: null,
    });
    let answered = 0;

    // Act
    const run = h.prober.run(tasks);
    await settle();
    while (h.pending.length > 0) {
      answered += 1;
      await h.answerOne(answered % 3 === 0 ? throttled : ok);
    }
    const { cells, probesSent } = await run;

    // Assess
    expect(probesSent).toBeGreaterThan(30);
    expect(cells.some((c) => c.variant !== 'basic')).toBe(true);
    expect(h.peak.perModel).toBe(2);
  });

  it('with a cap of 1, starts a second model while the first is at its cap (work-conserving)', async () => {
    // Prepare: every task of model a comes before any of model b
    const h = harness({ concurrency: 2, perModelConcurrency: 1 });
    const tasks = planBasic('us-east-1', [model('openai.a'), model('openai.b')], { guardrail: null });

    // Act
    const run = h.prober.run(tasks);
    await settle();
    const first = h.flying();
    await h.answerOne();
    const second = h.flying();
    while (h.pending.length > 0) await h.answerOne();
    await run;

    // Assess: both models are in flight at once, never two calls of one
    expect(first).toEqual(['openai.a', 'openai.b']);
    expect(second).toEqual(['openai.a', 'openai.b']);
    expect(h.peak.perModel).toBe(1);
  });

  it('keeps every global slot busy while models under their cap have calls waiting', async () => {
    // Prepare: 8 models, 2 a model, 8 in all
    const h = harness({ concurrency: 8, perModelConcurrency: 2 });
    const keys = Array.from({ length: 8 }, (_, i) => `openai.m${i}`);
    const tasks = planBasic('us-east-1', keys.map(model), { guardrail: null });
    const busy: number[] = [];

    // Act: answer the newest call each time, so one model's work piles up behind its cap
    const run = h.prober.run(tasks);
    await settle();
    while (h.pending.length > 0) {
      busy.push(h.pending.length);
      await h.answerOne(ok, h.pending.length - 1);
    }
    await run;

    // Assess
    expect(h.peak.total).toBe(8);
    expect(busy.slice(0, 20).every((n) => n === 8)).toBe(true);
    expect(h.peak.perModel).toBe(2);
  });

  it('holds re-probes of one model to the cap too', async () => {
    // Prepare
    const h = harness({ concurrency: 8, perModelConcurrency: 1 });
    const tasks = planBasic('us-east-1', [model('openai.one')], { guardrail: null, apis: ['chat'] });
    const run = h.prober.run(tasks);
    await settle();
    while (h.pending.length > 0) await h.answerOne();
    const { cells } = await run;

    // Act: re-probe every cell of the model at once
    const reprobes = Promise.all(cells.map((c) => h.prober.reprobe(c)));
    await settle();
    const waiting = h.flying();
    while (h.pending.length > 0) await h.answerOne();
    await reprobes;

    // Assess
    expect(cells.length).toBeGreaterThan(2);
    expect(waiting).toEqual(['openai.one']);
    expect(h.peak.perModel).toBe(1);
  });
});
