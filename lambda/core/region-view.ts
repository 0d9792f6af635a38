/**
 * Across regions: per endpoint x api, models down and regions across, each square the `basic`
 * status there and the first time it was seen supported. Shows where a model has rolled out and
 * where not yet. "First seen supported" is the earliest of the cell's `since` (when it entered
 * `supported`, from the store's confirmed state or a report file's cells) and every confirmed
 * change of that cell to `supported` the report carries (the store's change history).
 * Pure: the CLI reads the regions (store or report files) into one report first. The JSON shape is
 * published as `schema/regions-v1.json`; version 1 only gains optional fields.
 */
import { cellId, type Endpoint, type Report, type Status } from './model';
import { type Column, reportColumns, reportRegions } from './render/common';

export const REGION_VIEW_KIND = 'bedrock-matrix/regions';
export const REGION_VIEW_VERSION = 1;

export interface RegionSquare {
  /** The `basic` status in that region; null when the region has no such cell (not probed there). */
  readonly status: Status | null;
  /** Earliest known time (ISO) the cell was seen supported; null when unknown or never. */
  readonly firstSupported: string | null;
}

export interface RegionRow {
  readonly model: string;
  /** One square per region of the view, in `regions` order. */
  readonly squares: readonly RegionSquare[];
  /** Regions where it is supported now. */
  readonly supportedIn: number;
}

export interface RegionBlock extends Column {
  readonly rows: readonly RegionRow[];
}

export interface RegionView {
  readonly kind: typeof REGION_VIEW_KIND;
  readonly version: typeof REGION_VIEW_VERSION;
  readonly runId: string;
  readonly source: 'aws' | 'simulator' | 'unknown';
  readonly regions: readonly string[];
  readonly blocks: readonly RegionBlock[];
}

const earliest = (a: string | null, b: string | null | undefined): string | null => {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b) < Date.parse(a) ? b : a;
};

const squareId = (region: string, model: string, endpoint: Endpoint, api: string): string =>
  cellId({ region, model, endpoint, api: api as Column['api'], variant: 'basic' });

export function regionView(report: Report): RegionView {
  const regions = reportRegions(report);
  const status = new Map<string, Status>();
  const first = new Map<string, string | null>();
  for (const c of report.cells) {
    if (c.variant !== 'basic') continue;
    const id = cellId(c);
    status.set(id, c.status);
    if (c.status === 'supported') first.set(id, earliest(first.get(id) ?? null, c.since));
  }
  for (const ch of report.changes) {
    // Only confirmed cell changes to `supported` say when a cell was seen supported.
    if ((ch.kind ?? 'cell') !== 'cell' || ch.variant !== 'basic' || ch.to !== 'supported' || !ch.api)
      continue;
    const id = squareId(ch.region, ch.model, ch.endpoint, ch.api);
    first.set(id, earliest(first.get(id) ?? null, ch.at));
  }
  const blocks = reportColumns(report).map((col): RegionBlock => {
    const models = [
      ...new Set(
        report.cells
          .filter((c) => c.variant === 'basic' && c.endpoint === col.endpoint && c.api === col.api)
          .map((c) => c.model),
      ),
    ].sort();
    const rows = models.map((model): RegionRow => {
      const squares = regions.map((region): RegionSquare => {
        const id = squareId(region, model, col.endpoint, col.api);
        return { status: status.get(id) ?? null, firstSupported: first.get(id) ?? null };
      });
      return { model, squares, supportedIn: squares.filter((s) => s.status === 'supported').length };
    });
    return { endpoint: col.endpoint, api: col.api, rows };
  });
  return {
    kind: REGION_VIEW_KIND,
    version: REGION_VIEW_VERSION,
    runId: report.runId,
    source: report.source ?? 'unknown',
    regions,
    blocks,
  };
}
