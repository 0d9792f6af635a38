/**
 * Assemble the one report shape (schema version 1) that the CLI, the Lambda, the renderers and
 * the store share, from the runs of one or more regions.
 */

import type { Change, Report, RunProblem, RunSource } from '../core/model';
import { summarize } from '../core/summary';
import { PACKAGE_VERSION } from '../shared/version';
import type { RegionRun } from './run-region';

/** What the report needs of one region's run: a live `RegionRun`, or a run read back from the store. */
export type RegionResults = Pick<
  RegionRun,
  'region' | 'models' | 'cells' | 'guardrailControl' | 'probesSent' | 'partial' | 'enforcedGuardrails'
>;

export interface ReportInput {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly source: RunSource;
  readonly runs: readonly RegionResults[];
  /** Confirmed changes per region (from the drift step); absent = no store, no changes. */
  readonly changes?: readonly Change[];
  /** What made the run unhealthy (see core/run-problems.ts). */
  readonly problems?: readonly RunProblem[];
  /** Days ahead the report's retirement notices look. @default DEFAULT_NOTICE_DAYS (30) */
  readonly noticeDays?: number;
  /** The version that made the report. @default PACKAGE_VERSION */
  readonly toolVersion?: string;
}

export function assembleReport(input: ReportInput): Report {
  const cells = input.runs.flatMap((r) => r.cells);
  // A model seen in several regions is one entry: the report's model list is the union.
  const models = new Map(input.runs.flatMap((r) => r.models).map((m) => [m.key, m]));
  const probesSent = input.runs.reduce((n, r) => n + r.probesSent, 0);
  const controls = input.runs.flatMap((r) => (r.guardrailControl ? [r.guardrailControl] : []));
  const enforced = input.runs.flatMap((r) => r.enforcedGuardrails ?? []);
  return {
    schemaVersion: 1,
    runId: input.runId,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    partial: input.runs.some((r) => r.partial),
    regions: input.runs.map((r) => r.region),
    models: [...models.values()].sort((a, b) => a.key.localeCompare(b.key)),
    cells,
    changes: input.changes ?? [],
    summary: summarize(cells, [...models.values()], probesSent),
    source: input.source,
    ...(controls.length > 0 ? { guardrailControls: controls } : {}),
    ...(input.problems && input.problems.length > 0 ? { problems: input.problems } : {}),
    ...(enforced.length > 0 ? { enforcedGuardrails: enforced } : {}),
    ...(input.noticeDays !== undefined ? { noticeDays: input.noticeDays } : {}),
    toolVersion: input.toolVersion ?? PACKAGE_VERSION,
  };
}
