/**
 * Discover step, pure half: the union of the three catalogs, one model key per model, and the IDs
 * that reach it on each endpoint (docs/bedrock-wire.md).
 */
import type { CatalogSource, DeclaredModel, Endpoint, ModelEntry } from './model';

export interface FoundationModelSummary {
  readonly modelId: string;
  readonly providerName?: string;
  /** `ON_DEMAND`, `PROVISIONED`, `INFERENCE_PROFILE` (the last is real but undocumented, docs/bedrock-wire.md). */
  readonly inferenceTypesSupported?: readonly string[];
  readonly lifecycleStatus?: string;
  /** ISO times from `modelLifecycle`, when the catalog gives them. */
  readonly legacyTime?: string;
  readonly endOfLifeTime?: string;
  readonly responseStreamingSupported?: boolean;
  readonly outputModalities?: readonly string[];
}

export interface InferenceProfileSummary {
  readonly inferenceProfileId: string;
  readonly type?: string;
}

export interface Catalogs {
  /** Mantle `GET /v1/models` IDs; null when the listing failed (then mantle cells are `error`, not `not-found`). */
  readonly mantle: readonly string[] | null;
  readonly foundationModels: readonly FoundationModelSummary[] | null;
  readonly inferenceProfiles: readonly InferenceProfileSummary[] | null;
}

/** The three catalogs as one load returned them. */
export interface CatalogResult {
  readonly catalogs: Catalogs;
  /** One line per catalog that failed, secret-free, for logs and report evidence. */
  readonly problems: readonly string[];
  /** Endpoints whose host name does not resolve in this region: absent, not failing. */
  readonly absentEndpoints?: readonly Endpoint[];
}

/** The reason every cell of an endpoint that the region does not have carries. */
const absentEndpointReason = (endpoint: Endpoint, region: string): string =>
  `no bedrock-${endpoint} endpoint in ${region}`;

/** What the engine needs beyond the report's ModelEntry: every runtime ID worth trying, in order. */
export interface ResolvedModel extends ModelEntry {
  /** On-demand ID, then the geography's profile, then `global.`: alternatives before "unsupported". */
  readonly runtimeCandidates: readonly string[];
  /** Why the model has no ID on an endpoint, for `not-found` evidence without spending a call. */
  readonly absent: { readonly runtime?: string; readonly mantle?: string };
}

/**
 * A system profile ID is `<geography>.<provider>.<model>`; the geography is data, read from the
 * ID (ListInferenceProfiles), never a fixed list: `sa.` and `ca.` came late, and a new one must
 * still resolve (docs/bedrock-wire.md). A bare model ID (`openai.gpt-5.6-sol`) has no provider
 * word after its first dot, so it has no prefix.
 */
const PROFILE_ID = /^([a-z]{2,}(?:-[a-z]+)*)\.([a-z][a-z0-9]*\.[a-z].*)$/;

/** `us.anthropic.claude-sonnet-4-6` -> `us`; a bare model ID or an application profile -> null. */
export function profilePrefixOf(id: string): string | null {
  return PROFILE_ID.exec(id)?.[1] ?? null;
}

/** `us.anthropic.claude-sonnet-4-6` -> `anthropic.claude-sonnet-4-6`. */
export function stripProfilePrefix(id: string): string {
  return PROFILE_ID.exec(id)?.[2] ?? id;
}

/**
 * The model key: the bare ID as mantle names it. Runtime IDs carry a version suffix
 * (`-v1:0`, `-1:0`, `:0`), which mantle drops (docs/bedrock-wire.md), and Anthropic's runtime IDs a
 * release date (`anthropic.claude-haiku-4-5-20251001-v1:0`) that mantle's do not.
 */
export function modelKeyOf(id: string): string {
  return stripProfilePrefix(id)
    .replace(/-v\d+:\d+$/, '')
    .replace(/-\d+:\d+$/, '')
    .replace(/:\d+$/, '')
    .replace(/^(anthropic\.claude-(?:haiku|sonnet|opus)-\d+-\d+)-\d{8}$/, '$1');
}

/**
 * The geography prefixes we know serve a region, best first: only an order of preference. A
 * prefix the region's ListInferenceProfiles shows that no region here names is still tried
 * (after these, before `global.`): an unknown prefix is data (docs/bedrock-wire.md).
 */
export function geographyPrefixes(region: string): readonly string[] {
  if (region.startsWith('us-gov-')) return ['us-gov'];
  if (region.startsWith('us-')) return ['us'];
  if (region.startsWith('eu-')) return ['eu'];
  if (region.startsWith('ca-')) return ['ca', 'us'];
  if (region.startsWith('sa-')) return ['sa'];
  if (region === 'ap-northeast-1' || region === 'ap-northeast-3') return ['jp', 'apac'];
  if (region === 'ap-southeast-2' || region === 'ap-southeast-4') return ['au', 'apac'];
  if (region.startsWith('ap-')) return ['apac'];
  return [];
}

/** Every prefix geographyPrefixes names for some region, and `global`. */
const KNOWN_PREFIXES: ReadonlySet<string> = new Set([
  'us-gov',
  'us',
  'eu',
  'ca',
  'sa',
  'jp',
  'au',
  'apac',
  'global',
]);

const providerOf = (key: string, fm?: FoundationModelSummary): string =>
  fm?.providerName ?? key.split('.')[0] ?? 'unknown';

export function resolveModels(
  region: string,
  catalogs: Catalogs,
  absentEndpoints: readonly Endpoint[] = [],
): ResolvedModel[] {
  interface Acc {
    key: string;
    provider?: string;
    mantle?: string;
    onDemand?: string;
    fmIds: Set<string>;
    profiles: Map<string, string>; // prefix -> profile id
    sources: Set<CatalogSource>;
    declared?: DeclaredModel;
  }
  const byKey = new Map<string, Acc>();
  const acc = (key: string): Acc => {
    let a = byKey.get(key);
    if (!a) {
      a = { key, fmIds: new Set(), profiles: new Map(), sources: new Set() };
      byKey.set(key, a);
    }
    return a;
  };

  for (const id of catalogs.mantle ?? []) {
    const a = acc(modelKeyOf(id));
    a.mantle = id;
    a.sources.add('mantle-models');
  }
  for (const fm of catalogs.foundationModels ?? []) {
    const a = acc(modelKeyOf(fm.modelId));
    a.sources.add('foundation-models');
    a.provider ??= fm.providerName;
    a.fmIds.add(fm.modelId);
    a.declared ??= declaredOf(fm);
    const types = fm.inferenceTypesSupported ?? ['ON_DEMAND'];
    // A profile-only model's bare ID answers "on-demand throughput isn't supported" (docs/bedrock-wire.md),
    // so it is no candidate: spending a call on it would prove nothing.
    if (types.includes('ON_DEMAND')) a.onDemand ??= fm.modelId;
  }
  for (const p of catalogs.inferenceProfiles ?? []) {
    const prefix = profilePrefixOf(p.inferenceProfileId);
    if (!prefix) continue; // application profiles have ARNs/opaque IDs; system profiles carry a geography prefix
    const a = acc(modelKeyOf(p.inferenceProfileId));
    a.sources.add('inference-profiles');
    if (!a.profiles.has(prefix)) a.profiles.set(prefix, p.inferenceProfileId);
  }

  // Prefixes this region's own listing shows that no known geography names: tried, not dropped.
  const unknown = [
    ...new Set(
      (catalogs.inferenceProfiles ?? [])
        .map((p) => profilePrefixOf(p.inferenceProfileId))
        .filter((x): x is string => x !== null && !KNOWN_PREFIXES.has(x)),
    ),
  ].sort();
  const geo = [...geographyPrefixes(region), ...unknown, 'global'];
  const models: ResolvedModel[] = [];
  for (const a of [...byKey.values()].sort((x, y) => x.key.localeCompare(y.key))) {
    const candidates: string[] = [];
    if (a.onDemand) candidates.push(a.onDemand);
    for (const prefix of geo) {
      const profile = a.profiles.get(prefix);
      if (profile) candidates.push(profile);
    }
    const runtime = candidates[0];
    const absent: { runtime?: string; mantle?: string } = {};
    if (!runtime) {
      absent.runtime =
        catalogs.foundationModels === null
          ? 'runtime catalog unavailable'
          : a.fmIds.size > 0
            ? `no on-demand ID and no ${geo.join('/')} inference profile in ${region}`
            : `absent from ListFoundationModels and ListInferenceProfiles in ${region}`;
    }
    if (!a.mantle) {
      absent.mantle = absentEndpoints.includes('mantle')
        ? absentEndpointReason('mantle', region)
        : catalogs.mantle === null
          ? 'mantle catalog unavailable'
          : `absent from mantle /v1/models in ${region}`;
    }
    models.push({
      key: a.key,
      provider: providerOf(a.key, { modelId: a.key, providerName: a.provider }),
      ids: { ...(runtime ? { runtime } : {}), ...(a.mantle ? { mantle: a.mantle } : {}) },
      sources: [...a.sources].sort(),
      ...(a.declared ? { declared: a.declared } : {}),
      runtimeCandidates: candidates,
      absent,
    });
  }
  return models;
}

/** The declared facts of one catalog entry, or undefined when it declares none. */
function declaredOf(fm: FoundationModelSummary): DeclaredModel | undefined {
  const lifecycle = fm.lifecycleStatus
    ? {
        status: fm.lifecycleStatus,
        ...(fm.legacyTime ? { legacyTime: fm.legacyTime } : {}),
        ...(fm.endOfLifeTime ? { endOfLifeTime: fm.endOfLifeTime } : {}),
      }
    : undefined;
  const out: DeclaredModel = {
    ...(lifecycle ? { lifecycle } : {}),
    ...(fm.responseStreamingSupported !== undefined
      ? { responseStreamingSupported: fm.responseStreamingSupported }
      : {}),
    ...(fm.inferenceTypesSupported ? { inferenceTypesSupported: fm.inferenceTypesSupported } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}
