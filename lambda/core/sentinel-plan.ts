/**
 * What a sentinel tick, or a run that holds the lease and finds others queued, runs next: nothing,
 * a targeted run of the models whose catalog entry moved (and of every queued targeted run), or a
 * sweep (no stored mark yet, or a queued sweep: a sweep covers every model, so it absorbs the
 * targeted requests). Pure.
 */
import { type CatalogMark, changedModels } from './catalog-mark';
import type { ModelEntry } from './model';
import type { QueuedRun, SentinelState } from './ports';

export interface NextRun {
  readonly kind: QueuedRun['kind'];
  /** `targeted`: the model keys, sorted. Empty for a sweep. */
  readonly models: readonly string[];
  /** The queued runs this one covers: taken out of the queue once it stored its results. */
  readonly queuedIds: readonly string[];
  /** Why, for the log. */
  readonly reason: string;
}

/** Merge queued runs (and, for a tick, the catalog's moved models) into one run, or null. */
export function nextRun(
  queued: readonly QueuedRun[],
  catalog?: { readonly mark: CatalogMark | null; readonly models: readonly ModelEntry[] },
): NextRun | null {
  const queuedIds = queued.map((q) => q.id);
  if (catalog && catalog.mark === null)
    return { kind: 'sweep', models: [], queuedIds, reason: 'no run stored yet: the first sweep' };
  if (queued.some((q) => q.kind === 'sweep'))
    return { kind: 'sweep', models: [], queuedIds, reason: 'a queued sweep' };
  const moved = catalog?.mark ? changedModels(catalog.mark, catalog.models) : [];
  const models = [...new Set([...moved, ...queued.flatMap((q) => q.models)])].sort();
  if (models.length === 0) return null;
  const why = [
    ...(moved.length > 0 ? [`catalogs moved for ${moved.length} models`] : []),
    ...(queued.length > 0 ? [`${queued.length} queued runs`] : []),
  ];
  return { kind: 'targeted', models, queuedIds, reason: why.join(', ') };
}

/** The state's queue and mark, as `nextRun` takes them for a tick. */
export const tickInputs = (state: SentinelState, models: readonly ModelEntry[]) => ({
  queued: state.queued,
  catalog: { mark: state.mark, models },
});
