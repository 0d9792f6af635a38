/**
 * A tiny Bedrock without HTTP, for fast engine tests: mantle lists the given models and answers
 * Chat for each with 200, or with Bedrock's 403 "no access" once `deny(model)` was called. The
 * runtime lists nothing, so its cells are decided `not-found` without a call. Counts the probes.
 */
import type { Observation } from '../../lambda/core/model';
import type { PlanConfig } from '../../lambda/core/plan';
import type { CatalogResult } from '../../lambda/core/resolve';
import { DEFAULT_LIMITS, type ProbeLimits } from '../../lambda/engine/matrix-prober';
import type { Prober } from '../../lambda/engine/probe-port';

export interface FakeWorld {
  readonly loadCatalogs: () => Promise<CatalogResult>;
  readonly prober: Prober;
  /** The next `times` calls for `model` answer 403 "no access". @default times: every call */
  deny(model: string, times?: number): void;
  /** Probes answered so far. */
  readonly calls: () => number;
}

export function fakeWorld(models: readonly string[]): FakeWorld {
  const denials = new Map<string, number>();
  let calls = 0;
  const prober: Prober = async (req): Promise<Observation> => {
    calls++;
    const left = denials.get(req.modelKey) ?? 0;
    const refused = left > 0;
    if (refused) denials.set(req.modelKey, left - 1);
    return {
      endpoint: req.endpoint,
      api: req.api,
      variant: req.variant,
      route: req.route,
      modelId: req.modelId,
      httpStatus: refused ? 403 : 200,
      errorName: refused ? 'PermissionDeniedError' : null,
      errorCode: null,
      message: refused ? "You don't have access to the model with the specified model ID." : null,
      body: refused ? undefined : { choices: [{ message: { role: 'assistant', content: 'ok' } }] },
    };
  };
  return {
    loadCatalogs: async () => ({
      catalogs: { mantle: [...models], foundationModels: [], inferenceProfiles: [] },
      problems: [],
    }),
    prober,
    deny: (model, times = Number.POSITIVE_INFINITY) => void denials.set(model, times),
    calls: () => calls,
  };
}

/** Basic Chat cells only, no guardrail: the smallest plan that still confirms drifts. */
export const FAKE_PLAN: PlanConfig = { apis: ['chat'], features: [], guardrail: null };

/** No pacing or backoff waits: the fake answers at once. */
export const FAKE_LIMITS: ProbeLimits = {
  ...DEFAULT_LIMITS,
  modelPacingMs: 0,
  backoffBaseMs: 1,
  backoffMaxMs: 1,
};
