/**
 * Counting a run's cells: the `summary` block of the report JSON and the totals the renderers print.
 * Pure functions; the order of keys they produce is stable (README.md endpoint x api order) so a
 * summary serialises the same way every time.
 */
import {
  APIS,
  type Api,
  type CellResult,
  ENDPOINTS,
  type Endpoint,
  FEATURE_VARIANTS,
  type FeatureVariant,
  type ModelEntry,
  STATUSES,
  type Status,
  type StatusCounts,
  type Summary,
} from './model';

type EndpointApiCounts = Summary['byEndpointApi'][string];

interface MutableCounts {
  basic: Partial<Record<Status, number>>;
  guardrail: Partial<Record<Status, number>>;
  features: Partial<Record<FeatureVariant, Partial<Record<Status, number>>>>;
}

/** `${endpoint}/${api}`: the key of `Summary.byEndpointApi`. */
const endpointApiKey = (endpoint: Endpoint, api: Api): string => `${endpoint}/${api}`;

/** Every endpoint x api pair in display order (runtime first, then mantle; apis in APIS order). */
const ENDPOINT_API_ORDER: readonly string[] = ENDPOINTS.flatMap((e) => APIS.map((a) => endpointApiKey(e, a)));

const bump = (counts: Partial<Record<Status, number>>, status: Status): void => {
  counts[status] = (counts[status] ?? 0) + 1;
};

/** Status counts with keys in STATUSES order (insertion order is what JSON serialisation keeps). */
const orderedCounts = (counts: StatusCounts): StatusCounts => {
  const out: Partial<Record<Status, number>> = {};
  for (const s of STATUSES) {
    const n = counts[s];
    if (n !== undefined) out[s] = n;
  }
  return out;
};

const compareEndpointApi = (a: string, b: string): number => {
  const ia = ENDPOINT_API_ORDER.indexOf(a);
  const ib = ENDPOINT_API_ORDER.indexOf(b);
  // Unknown keys (a report from a newer version) go last, alphabetically.
  if (ia === -1 || ib === -1) return ia === ib ? a.localeCompare(b) : ia === -1 ? 1 : -1;
  return ia - ib;
};

/** Normalises a per-endpoint-api entry into stable key order. */
const orderedEndpointApi = (entry: EndpointApiCounts): EndpointApiCounts => {
  const features: Partial<Record<FeatureVariant, StatusCounts>> = {};
  for (const f of FEATURE_VARIANTS) {
    const c = entry.features[f];
    if (c !== undefined) features[f] = orderedCounts(c);
  }
  return { basic: orderedCounts(entry.basic), guardrail: orderedCounts(entry.guardrail), features };
};

/** Normalises a whole summary into stable key order. */
export const orderedSummary = (summary: Summary): Summary => {
  const byEndpointApi: Record<string, EndpointApiCounts> = {};
  for (const key of Object.keys(summary.byEndpointApi).sort(compareEndpointApi)) {
    const entry = summary.byEndpointApi[key];
    if (entry) byEndpointApi[key] = orderedEndpointApi(entry);
  }
  return {
    cells: summary.cells,
    models: summary.models,
    probesSent: summary.probesSent,
    byStatus: orderedCounts(summary.byStatus),
    byEndpointApi,
  };
};

/**
 * Counts per status over all cells, and per `${endpoint}/${api}`: `basic` cells, `guardrail`
 * cells and each feature variant separately. Only endpoint x api pairs that have cells appear.
 */
export const summarize = (
  cells: readonly CellResult[],
  models: readonly ModelEntry[],
  probesSent: number,
): Summary => {
  const byStatus: Partial<Record<Status, number>> = {};
  const byEndpointApi: Record<string, MutableCounts> = {};
  for (const cell of cells) {
    bump(byStatus, cell.status);
    const key = endpointApiKey(cell.endpoint, cell.api);
    let entry = byEndpointApi[key];
    if (!entry) {
      entry = { basic: {}, guardrail: {}, features: {} };
      byEndpointApi[key] = entry;
    }
    if (cell.variant === 'basic') bump(entry.basic, cell.status);
    else if (cell.variant === 'guardrail') bump(entry.guardrail, cell.status);
    else {
      let feature = entry.features[cell.variant];
      if (!feature) {
        feature = {};
        entry.features[cell.variant] = feature;
      }
      bump(feature, cell.status);
    }
  }
  return orderedSummary({ cells: cells.length, models: models.length, probesSent, byStatus, byEndpointApi });
};

/** One line of the renderers' totals: how many reachable models an endpoint x api serves. */
export interface EndpointApiTotal {
  readonly endpoint: Endpoint;
  readonly api: Api;
  /** `basic` cells that are `supported`. */
  readonly supported: number;
  /**
   * `basic` cells of models that have an ID on this endpoint: the denominator of "38/40".
   * A model without an ID there (runtime-only Claude on mantle) is not counted against the api.
   */
  readonly listed: number;
  /** The listed models' `basic` cells by status. */
  readonly basic: StatusCounts;
  /** `basic` cells of models with no ID on this endpoint (kept out of `listed`). */
  readonly unlisted: number;
  readonly guardrail: StatusCounts;
}

/**
 * Per endpoint x api totals for one region's cells (pass all cells of a region; other regions'
 * cells are ignored when `region` is given). Pairs without cells are left out.
 */
export const endpointApiTotals = (
  cells: readonly CellResult[],
  models: readonly ModelEntry[],
  region?: string,
): EndpointApiTotal[] => {
  const byKey = new Map(models.map((m) => [m.key, m]));
  const totals: EndpointApiTotal[] = [];
  for (const endpoint of ENDPOINTS) {
    for (const api of APIS) {
      const mine = cells.filter(
        (c) => c.endpoint === endpoint && c.api === api && (region === undefined || c.region === region),
      );
      if (mine.length === 0) continue;
      const basic: Partial<Record<Status, number>> = {};
      const guardrail: Partial<Record<Status, number>> = {};
      let listed = 0;
      let unlisted = 0;
      for (const c of mine) {
        if (c.variant === 'guardrail') bump(guardrail, c.status);
        if (c.variant !== 'basic') continue;
        const model = byKey.get(c.model);
        // A cell for a model missing from the catalog list still counts (we probed it), and a
        // success proves the model reachable whatever the catalog said.
        const reachable =
          model === undefined || model.ids[endpoint] !== undefined || c.status === 'supported';
        if (!reachable) {
          unlisted += 1;
          continue;
        }
        listed += 1;
        bump(basic, c.status);
      }
      totals.push({
        endpoint,
        api,
        supported: basic.supported ?? 0,
        listed,
        basic: orderedCounts(basic),
        unlisted,
        guardrail: orderedCounts(guardrail),
      });
    }
  }
  return totals;
};

/** The words after "38/40 supported": the listed models' other statuses, then the unlisted. */
export const totalDetails = (t: EndpointApiTotal): string[] => {
  const parts = Object.entries(t.basic)
    .filter(([s]) => s !== 'supported')
    .map(([s, n]) => `${n} ${s}`);
  if (t.unlisted > 0) parts.push(`${t.unlisted} without a ${t.endpoint} ID`);
  return parts;
};
