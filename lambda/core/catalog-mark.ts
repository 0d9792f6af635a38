/**
 * The sentinel's memory of the catalogs: one short fingerprint per model key of what the free
 * catalogs list for it (its IDs per endpoint, where it was listed, what the control plane declares:
 * lifecycle, streaming, inference types). A stored run leaves the mark of the catalogs it probed;
 * a sentinel tick compares today's catalogs with it and probes only the models whose fingerprint
 * appeared, left or moved. Pure: no I/O, no clock.
 */
import { createHash } from 'node:crypto';
import type { ModelEntry } from './model';

/** Model key -> fingerprint of its catalog entry. */
export type CatalogMark = Readonly<Record<string, string>>;

/** A stable text of the entry: keys sorted at every level, so listing order never counts. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/** The fingerprint of one model's catalog entry (16 hex characters: enough to tell entries apart). */
export const modelFingerprint = (m: ModelEntry): string =>
  createHash('sha256')
    .update(canonical({ ids: m.ids, sources: [...m.sources].sort(), declared: m.declared ?? null }))
    .digest('hex')
    .slice(0, 16);

/** The mark of a whole listing. */
export const catalogMark = (models: readonly ModelEntry[]): CatalogMark =>
  Object.fromEntries(models.map((m) => [m.key, modelFingerprint(m)]));

/** Keys that appeared, left, or whose entry moved between `mark` and `models`, sorted. */
export function changedModels(mark: CatalogMark, models: readonly ModelEntry[]): string[] {
  const now = catalogMark(models);
  const keys = new Set([...Object.keys(mark), ...Object.keys(now)]);
  return [...keys].filter((k) => mark[k] !== now[k]).sort();
}

/**
 * The mark after a targeted run of `keys`: their entries as that run's catalogs listed them (or
 * gone), every other key as before: the run probed only those, so only those are known now.
 */
export function markAfter(
  mark: CatalogMark,
  keys: readonly string[],
  models: readonly ModelEntry[],
): CatalogMark {
  const listed = catalogMark(models);
  const next: Record<string, string> = { ...mark };
  for (const k of keys) {
    const fingerprint = listed[k];
    if (fingerprint === undefined) delete next[k];
    else next[k] = fingerprint;
  }
  return next;
}
