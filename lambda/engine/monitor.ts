/**
 * Turns a run into monitoring: load what was true, probe, re-probe what seems to have changed,
 * and persist results, confirmed state and change events. Used by the Lambda and by
 * `bedrock-matrix probe --store dynamodb`, so both remember the same way.
 */
import {
  collectReprobes,
  confirmChanges,
  diffModels,
  findCandidates,
  isBaseline,
  removedModelKeys,
} from '../core/diff';
import type { Change } from '../core/model';
import type { RunRecord, Store } from '../core/ports';
import { summarize } from '../core/summary';
import type { RegionRun } from './run-region';

export interface MonitorOptions {
  readonly region: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly source: 'aws' | 'simulator';
  readonly confirmCount: number;
}

export interface MonitorResult {
  readonly run: RegionRun;
  /** Confirmed changes of this run (cells and models); empty on the baseline run. */
  readonly changes: readonly Change[];
  readonly baseline: boolean;
}

export async function monitorRegion(
  options: MonitorOptions,
  store: Store,
  probe: () => Promise<RegionRun>,
  now: () => Date = () => new Date(),
): Promise<MonitorResult> {
  const { region, runId, startedAt } = options;
  const previous = await store.loadConfirmed(region);
  const record: RunRecord = {
    region,
    runId,
    startedAt,
    finishedAt: null,
    partial: true,
    source: options.source,
    summary: null,
    changeCount: 0,
    probesSent: 0,
  };
  await store.startRun(record);

  const run = await probe();
  // History first: whatever fails later, the evidence of what this run saw is kept.
  await store.saveResults(region, runId, startedAt, run.cells, run.models);

  const baseline = isBaseline(previous);
  const candidates = baseline ? [] : findCandidates(previous, run.cells);
  const reprobes = await collectReprobes(candidates, run.reprobe, options.confirmCount);
  const at = now().toISOString();
  const confirmed = confirmChanges({
    runId,
    startedAt,
    at,
    confirmed: previous,
    results: run.cells,
    reprobes,
    confirmCount: options.confirmCount,
  });
  // A catalog that failed to answer says nothing about models leaving: judge the model list only
  // when every catalog answered.
  const catalogsWhole = run.problems.length === 0;
  const modelChanges = catalogsWhole && !baseline ? diffModels(previous.models, run.models, region, at) : [];
  const removed = catalogsWhole ? removedModelKeys(previous.models, run.models) : [];
  const changes = [...confirmed.changes, ...modelChanges];

  await store.saveConfirmed(region, runId, startedAt, confirmed.confirmed, run.models, removed);
  await store.saveChanges(region, runId, startedAt, changes);
  await store.finishRun({
    ...record,
    finishedAt: now().toISOString(),
    partial: run.partial,
    summary: summarize(run.cells, run.models, run.probesSent),
    changeCount: changes.length,
    probesSent: run.probesSent,
  });
  return { run, changes, baseline };
}
