/**
 * Report JSON, schema version 1 (README.md): the one shape the CLI, the Lambda, the HTML renderer
 * and the store share, written in a stable key order. `lambda/core/report-file.ts` reads it back.
 */

import { declaredDisagreements } from '../declared';
import {
  type CellResult,
  type Change,
  cellKeyOf,
  type Evidence,
  type GuardrailControl,
  type ModelEntry,
  type Report,
} from '../model';
import { retirementNotices } from '../retirement';
import { orderedSummary } from '../summary';
import { scrub } from './common';

const nullableScrub = (s: string | null): string | null => (s === null ? null : scrub(s));

/** Evidence in the README.md field order; every field present (null when it does not apply). */
export const evidenceOut = (e: Evidence): Evidence => ({
  httpStatus: e.httpStatus ?? null,
  errorType: nullableScrub(e.errorType ?? null),
  errorCode: nullableScrub(e.errorCode ?? null),
  message: nullableScrub(e.message ?? null),
  route: e.route ?? null,
  modelId: e.modelId ?? null,
  latencyMs: e.latencyMs ?? null,
  ttfbMs: e.ttfbMs ?? null,
  inputTokens: e.inputTokens ?? null,
  outputTokens: e.outputTokens ?? null,
  responseIdPrefix: e.responseIdPrefix ?? null,
  requestId: e.requestId ?? null,
  reason: nullableScrub(e.reason ?? null),
  ...(e.tried !== undefined ? { tried: e.tried.map(scrub) } : {}),
});

const modelOut = (m: ModelEntry): ModelEntry => ({
  key: m.key,
  provider: m.provider,
  ids: {
    ...(m.ids.runtime !== undefined ? { runtime: m.ids.runtime } : {}),
    ...(m.ids.mantle !== undefined ? { mantle: m.ids.mantle } : {}),
  },
  sources: [...m.sources],
  ...(m.declared !== undefined ? { declared: m.declared } : {}),
});

const cellOut = (c: CellResult): CellResult => ({
  ...cellKeyOf(c),
  status: c.status,
  evidence: evidenceOut(c.evidence),
  ...(c.since !== undefined ? { since: c.since } : {}),
  ...(c.runId !== undefined ? { runId: c.runId } : {}),
});

const changeOut = (c: Change): Change => ({
  region: c.region,
  model: c.model,
  endpoint: c.endpoint,
  api: c.api ?? null,
  variant: c.variant ?? null,
  from: c.from ?? null,
  to: c.to ?? null,
  ...(c.kind !== undefined ? { kind: c.kind } : {}),
  ...(c.at !== undefined ? { at: c.at } : {}),
  ...(c.evidence !== undefined ? { evidence: evidenceOut(c.evidence) } : {}),
  ...(c.notice !== undefined
    ? { notice: { key: c.notice.key, kind: c.notice.kind, date: c.notice.date } }
    : {}),
});

const controlOut = (g: GuardrailControl): GuardrailControl => ({
  region: g.region,
  guardrailId: g.guardrailId,
  guardrailVersion: g.guardrailVersion,
  status: g.status,
  evidence: evidenceOut(g.evidence),
});

/** The report as schema-version-1 JSON: stable key order, 2-space indent, trailing newline. */
export const renderJson = (report: Report): string => {
  const out: Report = {
    schemaVersion: 1,
    runId: report.runId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    partial: report.partial,
    regions: [...report.regions],
    models: report.models.map(modelOut),
    cells: report.cells.map(cellOut),
    changes: report.changes.map(changeOut),
    summary: orderedSummary(report.summary),
    ...(report.source !== undefined ? { source: report.source } : {}),
    ...(report.noticeDays !== undefined ? { noticeDays: report.noticeDays } : {}),
    ...(report.toolVersion !== undefined ? { toolVersion: scrub(report.toolVersion) } : {}),
    ...(report.runKind !== undefined ? { runKind: report.runKind } : {}),
    ...(report.guardrailControls !== undefined
      ? { guardrailControls: report.guardrailControls.map(controlOut) }
      : {}),
    ...(report.problems !== undefined
      ? {
          problems: report.problems.map((p) => ({
            region: p.region,
            scope: p.scope,
            message: scrub(p.message),
          })),
        }
      : {}),
  };
  // Derived from models[].declared and the cells; readers that do not know the fields lose nothing.
  const notices = retirementNotices(report);
  const disagreements = declaredDisagreements(report);
  const derived = {
    ...out,
    ...(notices.length > 0 ? { retirementNotices: notices } : {}),
    ...(disagreements.length > 0
      ? { declaredDisagreements: disagreements.map((d) => ({ ...d, message: scrub(d.message) })) }
      : {}),
  };
  return `${JSON.stringify(derived, null, 2)}\n`;
};
