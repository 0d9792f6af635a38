/** Confirmed changes as the drift step writes them, for the tests of everything that carries them. */
import { type Change, type Evidence, emptyEvidence } from '../../lambda/core/model';

export const CHANGE_AT = '2026-11-25T11:03:00.000Z';

/** A cell change: mantle/chat `basic` of gpt-oss-120b, `unsupported` to `supported`, unless `over` says otherwise. */
export const cellChange = (over: Partial<Change> = {}): Change => ({
  region: 'us-east-1',
  model: 'openai.gpt-oss-120b',
  endpoint: 'mantle',
  api: 'chat',
  variant: 'basic',
  from: 'unsupported',
  to: 'supported',
  kind: 'cell',
  at: CHANGE_AT,
  ...over,
});

/**
 * A cell change: mantle/chat `basic` went from `supported` to `no-access` (HTTP 403 on `/v1`).
 * `evidence` overrides fields of that evidence; `over.evidence` replaces it whole.
 */
export const accessLost = (over: Partial<Change> = {}, evidence: Partial<Evidence> = {}): Change => {
  const model = over.model ?? 'openai.gpt-oss-120b';
  return {
    ...cellChange({ model, from: 'supported', to: 'no-access' }),
    ...over,
    evidence: emptyEvidence({
      httpStatus: 403,
      message: 'access denied',
      route: '/v1',
      modelId: model,
      ...evidence,
    }),
  };
};

/**
 * A change of a whole model (no api, variant or statuses): `model-added` on mantle unless `over`
 * says otherwise (`model-removed`, `retirement-notice`, ...).
 */
export const modelChange = (over: Partial<Change> = {}): Change => ({
  region: 'us-east-1',
  model: 'openai.gpt-oss-120b',
  endpoint: 'mantle',
  api: null,
  variant: null,
  from: null,
  to: null,
  kind: 'model-added',
  at: CHANGE_AT,
  ...over,
});
