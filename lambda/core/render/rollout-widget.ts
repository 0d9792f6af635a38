/**
 * The home dashboard's top widget: every probed region at once. When each region last reported
 * (stale ones marked), then the rollout grid: models down, regions across, each square the
 * endpoint/api pairs the model is confirmed `supported` on there. One region's whole matrix is
 * the matrix widget (widget.ts); this view answers "where has this model rolled out?".
 */

import { isStale, lastSign } from '../freshness';
import type { Endpoint } from '../model';
import { regionView } from '../region-view';
import { safeDeep } from '../safe-text';
import { type StoredRegion, storedReport } from '../stored-report';
import { escapeHtml } from './html';
import { ago, safeStored, widgetPage } from './widget';

export interface RolloutOptions {
  /** @default new Date() */
  readonly now?: Date;
  /** A region whose newest run started longer ago than this is marked stale. @default never */
  readonly staleAfterMs?: number;
}

const ENDPOINT_SHORT: Record<Endpoint, string> = { runtime: 'rt', mantle: 'mt' };

const regionRow = (s: StoredRegion, now: Date, staleAfterMs: number | undefined): string => {
  const run = s.latestRun;
  const tick = s.lastTick ? escapeHtml(ago(s.lastTick, now)) : 'never';
  const stale = isStale(lastSign(run, s.lastTick), now, staleAfterMs)
    ? ' <span class="warn">STALE</span>'
    : '';
  if (!run)
    return `<tr><th scope="row">${escapeHtml(s.region)}</th><td colspan="4" class="warn">no run stored yet${stale}</td><td>${tick}</td></tr>`;
  const when = run.finishedAt ?? run.startedAt;
  const outcome = run.outcome ?? (run.finishedAt ? 'completed' : 'running');
  return (
    `<tr><th scope="row">${escapeHtml(s.region)}</th><td>${escapeHtml(when)} <span class="muted">${escapeHtml(ago(when, now))}, ${escapeHtml(run.kind ?? 'sweep')}</span>${stale}</td>` +
    `<td${outcome === 'completed' ? '' : ' class="warn"'}>${escapeHtml(outcome)}</td><td>${run.probesSent}</td><td>${run.changeCount}</td><td>${tick}</td></tr>`
  );
};

/** The rollout widget over the stored regions (in the order given). */
export function renderRolloutWidget(raw: readonly StoredRegion[], opts: RolloutOptions = {}): string {
  const now = opts.now ?? new Date();
  const stored = raw.map(safeStored);
  const regionsTable =
    '<table><thead><tr><th>Region</th><th>Last run</th><th>Outcome</th><th>Probes</th><th>Changes</th><th>Sentinel</th></tr></thead>' +
    `<tbody>${stored.map((s) => regionRow(s, now, opts.staleAfterMs)).join('')}</tbody></table>`;
  const view = regionView(safeDeep(storedReport(raw, () => now)));
  // model -> region index -> "rt/converse" labels where supported
  const served = new Map<string, string[][]>();
  for (const block of view.blocks) {
    const label = `${ENDPOINT_SHORT[block.endpoint]}/${block.api}`;
    for (const row of block.rows) {
      const perRegion = served.get(row.model) ?? view.regions.map(() => []);
      row.squares.forEach((sq, i) => {
        if (sq.status === 'supported') perRegion[i]?.push(label);
      });
      served.set(row.model, perRegion);
    }
  }
  const models = [...served.keys()].sort();
  const grid =
    models.length === 0
      ? '<p class="muted">No confirmed cell stored yet.</p>'
      : `<table class="rollout"><thead><tr><th>Model (${models.length})</th>${view.regions.map((r) => `<th>${escapeHtml(r)}</th>`).join('')}</tr></thead><tbody>${models
          .map((m) => {
            const squares = (served.get(m) ?? [])
              .map((labels) =>
                labels.length === 0
                  ? '<td class="muted">–</td>'
                  : `<td class="st-supported">${escapeHtml(labels.join(' '))}</td>`,
              )
              .join('');
            return `<tr><th scope="row">${escapeHtml(m)}</th>${squares}</tr>`;
          })
          .join('')}</tbody></table>`;
  return widgetPage(
    `<h3 style="margin:0">bedrock-matrix: ${stored.length} regions</h3>${regionsTable}` +
      `<h4 style="margin:6px 0 2px">Rollout: where each model is supported (rt = bedrock-runtime, mt = bedrock-mantle)</h4>${grid}`,
  );
}
