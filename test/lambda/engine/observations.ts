/** What the fake probers of the engine tests answer. */
import type { Observation } from '../../../lambda/core/model';
import type { ProbeRequest } from '../../../lambda/engine/probe-port';

/** A 200 for any request: a guardrail cell not intervening, a feature check passed. */
export const ok = (req: ProbeRequest): Observation => ({
  endpoint: req.endpoint,
  api: req.api,
  variant: req.variant,
  route: req.route,
  modelId: req.modelId,
  httpStatus: 200,
  errorName: null,
  errorCode: null,
  message: null,
  ...(req.variant === 'guardrail' ? { guardrail: { intervened: false, text: 'hi' } } : {}),
  ...(req.variant !== 'basic' && req.variant !== 'guardrail'
    ? { check: { passed: true, detail: 'ok' } }
    : {}),
});
