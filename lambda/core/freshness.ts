/**
 * When a region last showed life, and whether that is too long ago: the home's watch counts stale
 * regions with it and the rollout widget marks them, by the same rule. Pure.
 */
import type { RunRecord } from './ports';

/**
 * A region's last sign of life: its sentinel's last tick or its newest run's start, whichever is
 * later; null when it never ran and never ticked.
 */
export const lastSign = (run: RunRecord | null, tick: string | null | undefined): string | null => {
  const signs = [run?.startedAt, tick ?? undefined].filter((s): s is string => typeof s === 'string');
  return signs.sort().at(-1) ?? null;
};

/** Whether a region's last sign of life is older than the bound (one that never showed any is stale). */
export const isStale = (sign: string | null, now: Date, staleAfterMs: number | undefined): boolean =>
  staleAfterMs !== undefined && (sign === null || now.getTime() - Date.parse(sign) > staleAfterMs);
