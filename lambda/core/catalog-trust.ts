/**
 * Catalog answers are evidence, judged like cells (pure). A listing that suddenly holds far fewer
 * models than the confirmed state is more likely a bad answer (a proxy, a partial outage) than
 * half of Bedrock retiring in an hour: that catalog is treated as unavailable for this run, so its
 * models' cells become transient `error` and no model is removed on its word.
 */
import type { ModelEntry } from './model';
import type { ConfirmedState } from './ports';
import type { CatalogResult } from './resolve';
import { modelKeyOf } from './resolve';

/** Below this share of the confirmed models, a listing is not believed. */
const MIN_SHARE = 0.5;
/** Small catalogs swing by whole models; judge only when the confirmed state knows this many. */
const MIN_CONFIRMED = 4;

type CatalogName = 'mantle' | 'foundationModels' | 'inferenceProfiles';

const LABEL: Record<CatalogName, string> = {
  mantle: 'mantle /v1/models',
  foundationModels: 'ListFoundationModels',
  inferenceProfiles: 'ListInferenceProfiles',
};

const SOURCE: Record<CatalogName, string> = {
  mantle: 'mantle-models',
  foundationModels: 'foundation-models',
  inferenceProfiles: 'inference-profiles',
};

function listedKeys(result: CatalogResult, name: CatalogName): Set<string> | null {
  const c = result.catalogs;
  if (name === 'mantle') return c.mantle ? new Set(c.mantle.map(modelKeyOf)) : null;
  if (name === 'foundationModels')
    return c.foundationModels ? new Set(c.foundationModels.map((m) => modelKeyOf(m.modelId))) : null;
  return c.inferenceProfiles
    ? new Set(c.inferenceProfiles.map((p) => modelKeyOf(p.inferenceProfileId)))
    : null;
}

/** How many models each catalog listed (by its source name): what a later listing is judged against. */
export type ListedCounts = Readonly<Record<string, number>>;

export const listedCounts = (models: Iterable<ModelEntry>): ListedCounts => {
  const counts: Record<string, number> = {};
  for (const m of models) for (const s of m.sources) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
};

/** The catalogs with every implausibly shrunken listing replaced by "unavailable", and why. */
export const distrustShrunkenCatalogs = (result: CatalogResult, confirmed: ConfirmedState): CatalogResult =>
  distrustShrunkenListings(result, listedCounts(confirmed.models.values()));

/**
 * The same rule against counts alone: the sentinel keeps no confirmed state in hand, only the
 * counts the last stored run listed.
 */
export function distrustShrunkenListings(result: CatalogResult, known: ListedCounts): CatalogResult {
  const catalogs = { ...result.catalogs };
  const problems = [...result.problems];
  for (const name of ['mantle', 'foundationModels', 'inferenceProfiles'] as const) {
    const listed = listedKeys(result, name);
    if (listed === null) continue;
    const knownCount = known[SOURCE[name]] ?? 0;
    if (knownCount < MIN_CONFIRMED || listed.size >= knownCount * MIN_SHARE) continue;
    catalogs[name] = null;
    problems.push(
      `${LABEL[name]}: listed ${listed.size} models where the confirmed state has ${knownCount}; not believed this run (catalog unavailable)`,
    );
  }
  return { ...result, catalogs, problems };
}
