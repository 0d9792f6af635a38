/**
 * Several report files as one report, for `report --in A --in B`: each region comes from the
 * newest file (by `finishedAt`) that holds it, and the report is assembled by the one report
 * assembly the probe uses (lambda/engine/report.ts).
 */
import type { Report } from '../lambda/core/model';
import { reportRegions } from '../lambda/core/render/common';
import { assembleReport } from '../lambda/engine/report';

export interface MergedReports {
  readonly report: Report;
  /** Regions more than one file held: `kept` is the index of the file used. */
  readonly replaced: readonly { readonly region: string; readonly kept: number }[];
}

export function mergeReports(reports: readonly Report[]): MergedReports {
  const owner = new Map<string, number>();
  const replaced: { region: string; kept: number }[] = [];
  reports.forEach((r, i) => {
    for (const region of reportRegions(r)) {
      const prior = owner.get(region);
      if (prior === undefined) {
        owner.set(region, i);
        continue;
      }
      const newer = Date.parse(r.finishedAt) > Date.parse((reports[prior] as Report).finishedAt) ? i : prior;
      owner.set(region, newer);
      replaced.push({ region, kept: newer });
    }
  });
  const runs = [...owner].map(([region, i]) => {
    const r = reports[i] as Report;
    const cells = r.cells.filter((c) => c.region === region);
    const keys = new Set(cells.map((c) => c.model));
    return {
      region,
      models: r.models.filter((m) => keys.has(m.key)),
      cells,
      guardrailControl: r.guardrailControls?.find((g) => g.region === region) ?? null,
      // Per-region counts are not in a report file; the first region of a file carries its total.
      probesSent: reportRegions(r)[0] === region ? r.summary.probesSent : 0,
      partial: r.partial,
      enforcedGuardrails: r.enforcedGuardrails?.filter((g) => g.region === region) ?? [],
    };
  });
  const used = [...new Set(owner.values())].map((i) => reports[i] as Report);
  const starts = used.map((r) => r.startedAt).sort();
  const ends = used.map((r) => r.finishedAt).sort();
  const report = assembleReport({
    runId: [...new Set(used.map((r) => r.runId))].join('+'),
    startedAt: starts[0] ?? '',
    finishedAt: ends.at(-1) ?? '',
    // Any simulated file makes the whole view simulated: the notice must not get lost.
    source: used.some((r) => r.source === 'simulator') ? 'simulator' : 'aws',
    runs,
    changes: used.flatMap((r, _i) => r.changes.filter((c) => owner.get(c.region) === reports.indexOf(r))),
  });
  return { report, replaced };
}
