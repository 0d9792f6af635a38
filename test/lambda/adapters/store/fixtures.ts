/** The cells, runs and models the store tests write: one region, mantle/chat cells. */

import {
  type CellKey,
  type CellResult,
  type Change,
  emptyEvidence,
  type ModelEntry,
  type Scope,
  type Status,
} from '../../../../lambda/core/model';
import type { ConfirmedCell, RunRecord } from '../../../../lambda/core/ports';
import { cellChange as changeOfCell } from '../../../support/changes';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
/** The store tests' scope: one account's region. */
export const SCOPE: Scope = { account: ACCOUNT, region: REGION };
export const T0 = '2026-11-25T10:00:00.000Z';
export const T1 = '2026-11-25T11:00:00.000Z';
export const T2 = '2026-11-25T12:00:00.000Z';

export const key = (model: string, variant: CellKey['variant'] = 'basic'): CellKey => ({
  region: REGION,
  model,
  endpoint: 'mantle',
  api: 'chat',
  variant,
});

export const result = (model: string, status: Status, message: string | null = null): CellResult => ({
  ...key(model),
  status,
  evidence: emptyEvidence({
    httpStatus: status === 'supported' ? 200 : 400,
    message,
    route: '/v1',
    modelId: model,
  }),
});

export const confirmed = (model: string, status: Status, runId: string, at: string): ConfirmedCell => ({
  ...key(model),
  status,
  route: '/v1',
  modelId: model,
  since: at,
  lastSeen: at,
  lastRunId: runId,
  evidence: emptyEvidence({ httpStatus: 200 }),
});

export const run = (runId: string, startedAt: string, over: Partial<RunRecord> = {}): RunRecord => ({
  account: ACCOUNT,
  region: REGION,
  runId,
  startedAt,
  finishedAt: null,
  partial: true,
  source: 'simulator',
  summary: null,
  changeCount: 0,
  probesSent: 0,
  ...over,
});

export const model = (k: string): ModelEntry => ({
  key: k,
  provider: 'openai',
  ids: { mantle: k },
  sources: ['mantle-models'],
});

/** A mantle/chat `basic` cell change of `model`, unsupported -> supported. */
export const cellChange = (model: string, at = T1): Change => changeOfCell({ region: REGION, model, at });
