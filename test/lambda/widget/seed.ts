/**
 * Seeds a results table the way a finished prober run leaves it: a run record, the run's cell
 * copy, the confirmed state and change events, for a realistic matrix of `models` models.
 */

import type { DynamoDbStore } from '../../../lambda/adapters/store';
import {
  type CellResult,
  type Change,
  isTransient,
  type ModelEntry,
  type Scope,
} from '../../../lambda/core/model';
import type { ConfirmedCell, RunRecord } from '../../../lambda/core/ports';
import { summarize } from '../../../lambda/core/summary';
import { modelChange } from '../../support/changes';
import { buildSampleReport } from '../../support/sample-report';

export const HOSTILE_MODEL = 'evil.<img src=x onerror=alert(1)>&"model';
export const RUN_ID = 'run-widget-0002';
export const STARTED_AT = '2026-12-01T18:00:00.000Z';
export const FINISHED_AT = '2026-12-01T18:04:30.000Z';

export interface Seeded {
  readonly cells: readonly CellResult[];
  readonly models: readonly ModelEntry[];
  readonly changes: readonly Change[];
}

/** us-east-1 of the sample report, grown to `models` models by cloning, plus one hostile name. */
export function seedCells(region: string, models: number): Seeded {
  const sample = buildSampleReport();
  const east = sample.cells.filter((c) => c.region === 'us-east-1');
  const keys = [...new Set(east.map((c) => c.model))];
  const cells: CellResult[] = [];
  const entries: ModelEntry[] = [];
  const byKey = new Map(sample.models.map((m) => [m.key, m]));
  for (let i = 0; cells.length === 0 || entries.length < models - 1; i++) {
    const source = keys[i % keys.length] as string;
    const key = i < keys.length ? source : `${source}-copy${Math.floor(i / keys.length)}`;
    const entry = byKey.get(source) as ModelEntry;
    entries.push({ ...entry, key });
    for (const c of east.filter((x) => x.model === source)) cells.push({ ...c, region, model: key });
  }
  entries.push({
    key: HOSTILE_MODEL,
    provider: 'evil',
    ids: { mantle: 'evil-id' },
    sources: ['mantle-models'],
  });
  cells.push({
    ...(east[0] as CellResult),
    region,
    model: HOSTILE_MODEL,
    endpoint: 'mantle',
    api: 'chat',
    variant: 'basic',
    status: 'supported',
  });
  const changes: Change[] = [
    {
      region,
      model: 'openai.gpt-oss-120b',
      endpoint: 'mantle',
      api: 'responses',
      variant: 'basic',
      from: 'unsupported',
      to: 'supported',
      kind: 'cell',
      at: FINISHED_AT,
    },
    modelChange({ region, model: HOSTILE_MODEL, at: FINISHED_AT }),
  ];
  return { cells, models: entries, changes };
}

/** A finished run of `models` models in the scope's region, stored under the scope. */
export async function seedStore(store: DynamoDbStore, scope: Scope, models: number): Promise<Seeded> {
  const { account, region } = scope;
  const seeded = seedCells(region, models);
  const record: RunRecord = {
    account,
    region,
    runId: RUN_ID,
    startedAt: STARTED_AT,
    finishedAt: null,
    partial: true,
    source: 'aws',
    summary: null,
    changeCount: 0,
    probesSent: 0,
  };
  await store.startRun(record);
  await store.saveResults(scope, RUN_ID, STARTED_AT, seeded.cells, seeded.models);
  const confirmed: ConfirmedCell[] = seeded.cells
    .filter((c) => !isTransient(c.status))
    .map((c) => ({
      ...c,
      route: c.evidence.route,
      modelId: c.evidence.modelId,
      since: '2026-11-20T09:00:00.000Z',
      lastSeen: STARTED_AT,
      lastRunId: RUN_ID,
    }));
  await store.saveConfirmed(scope, {
    runId: RUN_ID,
    startedAt: STARTED_AT,
    cells: confirmed,
    models: seeded.models,
  });
  await store.saveChanges(scope, RUN_ID, STARTED_AT, seeded.changes);
  await store.finishRun({
    ...record,
    finishedAt: FINISHED_AT,
    partial: false,
    summary: summarize(seeded.cells, seeded.models, seeded.cells.length),
    changeCount: seeded.changes.length,
    probesSent: seeded.cells.length,
  });
  return seeded;
}
