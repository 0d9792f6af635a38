/**
 * Retirement warnings: from the control plane's lifecycle fields (`LEGACY`, `legacyTime`,
 * `endOfLifeTime`), a notice for every model whose legacy or end-of-life date falls within the
 * next N days, so teams move before a model they call stops answering. Pure: the coordinator
 * turns each notice into one LOW alert per `key` (model + kind + date) through the store's outbox.
 */
import { type Change, type ChangeNotice, emptyEvidence, type Report } from './model';

export const DEFAULT_NOTICE_DAYS = 30;
/** A year ahead at most: the catalog's dates are not planned further out than that. */
export const MAX_NOTICE_DAYS = 365;

/** What the notices are read from: a report, or one region's run before it becomes one. */
export type NoticeSource = Pick<Report, 'models' | 'cells' | 'finishedAt' | 'noticeDays'>;

export interface RetirementNotice extends ChangeNotice {
  readonly model: string;
  /** Whole days from the report's end to that date (0 = today). */
  readonly daysLeft: number;
  readonly status: string;
  /** Regions whose cells name the model. */
  readonly regions: readonly string[];
  readonly message: string;
}

const DAY_MS = 86_400_000;

/**
 * Notices relative to `now` (default: the report's `finishedAt`, so a rendered report reads the
 * same whenever it is rendered), at most `days` ahead (default: the report's own window).
 */
export function retirementNotices(
  report: NoticeSource,
  opts: { readonly days?: number; readonly now?: Date } = {},
): RetirementNotice[] {
  const days = opts.days ?? report.noticeDays ?? DEFAULT_NOTICE_DAYS;
  if (!Number.isFinite(days) || days < 0)
    throw new Error(`notice days must be >= 0, got ${String(opts.days)}`);
  const now = opts.now ?? new Date(report.finishedAt);
  const regionsOf = new Map<string, Set<string>>();
  for (const c of report.cells) regionsOf.set(c.model, (regionsOf.get(c.model) ?? new Set()).add(c.region));
  const out: RetirementNotice[] = [];
  for (const m of report.models) {
    const lc = m.declared?.lifecycle;
    if (!lc) continue;
    const regions = [...(regionsOf.get(m.key) ?? [])].sort();
    for (const [kind, date] of [
      ['legacy', lc.legacyTime],
      ['end-of-life', lc.endOfLifeTime],
    ] as const) {
      if (!date) continue;
      const at = Date.parse(date);
      if (Number.isNaN(at)) continue;
      const daysLeft = Math.ceil((at - now.getTime()) / DAY_MS);
      if (daysLeft < 0 || daysLeft > days) continue;
      const day = new Date(at).toISOString().slice(0, 10);
      const what = kind === 'legacy' ? 'becomes LEGACY' : 'reaches end of life and stops answering';
      out.push({
        key: `${m.key}|${kind}|${day}`,
        model: m.key,
        kind,
        date,
        daysLeft,
        status: lc.status,
        regions,
        message: `${m.key} ${what} on ${day} (in ${daysLeft} days; now ${lc.status})${regions.length ? ` in ${regions.join(', ')}` : ''}`,
      });
    }
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft || a.model.localeCompare(b.model));
}

/** The change that alerts a notice once, in `region` (LOW; the store remembers its key). */
export const noticeChange = (region: string, n: RetirementNotice, at: string): Change => ({
  region,
  model: n.model,
  // ListFoundationModels, where the dates come from, speaks for the runtime endpoint.
  endpoint: 'runtime',
  api: null,
  variant: null,
  from: null,
  to: null,
  kind: 'retirement-notice',
  at,
  evidence: emptyEvidence({ reason: n.message }),
  notice: { key: n.key, kind: n.kind, date: n.date },
});
