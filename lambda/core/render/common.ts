/**
 * What every renderer shares: how a matrix is laid out (regions, rows, columns), the short status
 * words and markers, the evidence line, and the last-line scrub of anything secret-looking.
 */
import {
  APIS,
  type Api,
  type CellResult,
  type Change,
  ENDPOINT_APIS,
  ENDPOINTS,
  type Endpoint,
  type Evidence,
  FEATURE_VARIANTS,
  type FeatureVariant,
  type ModelEntry,
  type Report,
  type Status,
} from '../model';
import { scrubSecrets } from '../scrub';

export interface Column {
  readonly endpoint: Endpoint;
  readonly api: Api;
}

/** Short glyph + word per status, for the terminal and Markdown cells. */
export const STATUS_GLYPH: Readonly<Record<Status, string>> = {
  supported: '✓',
  unsupported: '✗ unsup',
  'not-found': '– n/f',
  'no-access': '⊘ no-acc',
  enforced: 'G enf',
  ignored: 'g! ign',
  throttled: '~ thr',
  error: '! err',
  skipped: '· skip',
};

/** One letter per feature variant; shown only when the feature is `supported`. */
export const FEATURE_MARKER: Readonly<Record<FeatureVariant, string>> = {
  stream: 'S',
  tools: 'T',
  stateful: 'P',
  background: 'B',
};
export const FEATURE_ORDER: readonly FeatureVariant[] = FEATURE_VARIANTS;

export const GUARDRAIL_ENFORCED_MARKER = 'G';
export const GUARDRAIL_IGNORED_MARKER = 'g!';
/** A guardrail cell that was tried but gave no verdict (error, throttled, ...). */
export const GUARDRAIL_UNKNOWN_MARKER = 'g?';
/**
 * A guardrail cell that was not tried: no probe guardrail configured (`--guardrail-id`), or a cap
 * reached first. Not `g?`, which reads as "the guardrail check failed here".
 */
export const GUARDRAIL_SKIPPED_MARKER = 'g-';

export const LEGEND_LINES: readonly string[] = [
  '✓ supported   ✗ unsup = the model rejects this api   – n/f = not found on this endpoint   ⊘ no-acc = no access for this account',
  '~ thr = throttled   ! err = error (5xx, timeout, unreadable answer)   · skip = skipped (not attempted)',
  'Features that work: S stream, T tools, P stateful (stored responses), B background',
  'Guardrail: G enforced (request stopped), g! IGNORED (request reached the model), g? no verdict',
  'g- guardrail not checked (skipped: no probe guardrail configured with --guardrail-id, or a cap reached)',
  'Model IDs: rt: runtime ID, mt: mantle ID, shown where they differ from the model key',
  'Totals: supported / models with an ID on that endpoint',
];

/** The simulated-results notice every format shows when `report.source === 'simulator'`. */
export const SIMULATED_NOTICE =
  'SIMULATED RESULTS: produced by the local Bedrock simulator, NOT measured against real AWS.';

/**
 * Last line of defence: classify already scrubs messages, but a report file may come from
 * anywhere, and a token must never reach a wiki page or an email. The one scrubber of the
 * codebase, so a report can never be weaker than the store or the alert.
 */
export const scrub = (text: string): string => scrubSecrets(text);

/** Only the columns that have cells somewhere in the report (all eight when there are none). */
export const reportColumns = (report: Report): Column[] => {
  const all: Column[] = ENDPOINTS.flatMap((endpoint) =>
    ENDPOINT_APIS[endpoint].map((api) => ({ endpoint, api })),
  );
  const present = all.filter((col) =>
    report.cells.some((c) => c.endpoint === col.endpoint && c.api === col.api),
  );
  return present.length > 0 ? present : all;
};

/** Regions in report order, plus any region that only appears in cells. */
export const reportRegions = (report: Report): string[] => {
  const regions = [...report.regions];
  for (const c of report.cells) if (!regions.includes(c.region)) regions.push(c.region);
  return regions;
};

/** The cells of one matrix square: basic, features and guardrail. */
export interface Square {
  readonly basic?: CellResult;
  readonly features: Partial<Record<FeatureVariant, CellResult>>;
  readonly guardrail?: CellResult;
}

export interface RegionMatrix {
  readonly region: string;
  readonly columns: readonly Column[];
  /** Models with at least one cell in this region, in key order. */
  readonly rows: readonly { readonly model: ModelEntry; readonly squares: readonly Square[] }[];
}

const squareKey = (model: string, endpoint: string, api: string): string => `${model}|${endpoint}|${api}`;

/** Groups a region's cells into rows (models) x columns (endpoint x api). */
export const regionMatrix = (report: Report, region: string, columns: readonly Column[]): RegionMatrix => {
  const byKey = new Map(report.models.map((m) => [m.key, m]));
  const squares = new Map<
    string,
    { basic?: CellResult; features: Partial<Record<FeatureVariant, CellResult>>; guardrail?: CellResult }
  >();
  const modelKeys = new Set<string>();
  for (const cell of report.cells) {
    if (cell.region !== region) continue;
    modelKeys.add(cell.model);
    const k = squareKey(cell.model, cell.endpoint, cell.api);
    let sq = squares.get(k);
    if (!sq) {
      sq = { features: {} };
      squares.set(k, sq);
    }
    if (cell.variant === 'basic') sq.basic = cell;
    else if (cell.variant === 'guardrail') sq.guardrail = cell;
    else sq.features[cell.variant] = cell;
  }
  const rows = [...modelKeys].sort().map((key) => ({
    // A cell may name a model the catalog list lacks; render it with what we know.
    model: byKey.get(key) ?? { key, provider: key.split('.')[0] ?? key, ids: {}, sources: [] },
    squares: columns.map((col) => squares.get(squareKey(key, col.endpoint, col.api)) ?? { features: {} }),
  }));
  return { region, columns, rows };
};

/** Markers for a square: supported features, then the guardrail verdict. */
export const squareMarkers = (sq: Square): { features: string; guardrail: string } => {
  const features = FEATURE_ORDER.filter((f) => sq.features[f]?.status === 'supported')
    .map((f) => FEATURE_MARKER[f])
    .join('');
  let guardrail = '';
  if (sq.guardrail?.status === 'enforced') guardrail = GUARDRAIL_ENFORCED_MARKER;
  else if (sq.guardrail?.status === 'ignored') guardrail = GUARDRAIL_IGNORED_MARKER;
  else if (sq.guardrail?.status === 'skipped') guardrail = GUARDRAIL_SKIPPED_MARKER;
  else if (sq.guardrail) guardrail = GUARDRAIL_UNKNOWN_MARKER;
  return { features, guardrail };
};

/** Per-host IDs that differ from the key, e.g. `rt:openai.gpt-oss-120b-1:0`. */
export const idNotes = (model: ModelEntry): string[] => {
  const notes: string[] = [];
  if (model.ids.runtime !== undefined && model.ids.runtime !== model.key)
    notes.push(`rt:${model.ids.runtime}`);
  if (model.ids.mantle !== undefined && model.ids.mantle !== model.key) notes.push(`mt:${model.ids.mantle}`);
  return notes;
};

const MESSAGE_MAX = 160;

/** The evidence as one readable line: what a user needs to believe (or doubt) a status. */
export const formatEvidence = (e: Evidence): string => {
  const parts: string[] = [];
  if (e.httpStatus !== null) parts.push(`HTTP ${e.httpStatus}`);
  const err = [e.errorType, e.errorCode].filter((x): x is string => x !== null).join('/');
  if (err) parts.push(err);
  if (e.route !== null) parts.push(`route ${e.route}`);
  if (e.modelId !== null) parts.push(`id ${e.modelId}`);
  if (e.latencyMs !== null) parts.push(`${e.latencyMs} ms`);
  if (e.ttfbMs !== null) parts.push(`ttfb ${e.ttfbMs} ms`);
  if (e.inputTokens !== null || e.outputTokens !== null)
    parts.push(`tokens ${e.inputTokens ?? '?'} in/${e.outputTokens ?? '?'} out`);
  if (e.responseIdPrefix !== null) parts.push(`resp ${e.responseIdPrefix}`);
  if (e.requestId !== null) parts.push(`req ${e.requestId}`);
  if (e.reason !== null) parts.push(`reason: ${e.reason}`);
  if (e.message !== null) {
    // Scrub before cutting: a cut secret no longer matches its pattern or registered value.
    const flat = scrub(e.message).replace(/\s+/g, ' ').trim();
    parts.push(`"${flat.length > MESSAGE_MAX ? `${flat.slice(0, MESSAGE_MAX - 1)}…` : flat}"`);
  }
  if (e.tried && e.tried.length > 0) parts.push(`tried ${e.tried.join(', ')}`);
  return scrub(parts.join(' · '));
};

/**
 * The kind of a change as a word: absent means `cell`. Read as a string, not `ChangeKind`, so a kind
 * a newer writer (or store) added renders by its name instead of failing or posing as a cell.
 */
export const changeKindOf = (c: Change): string => c.kind ?? 'cell';

/** Presence changes: a model or a whole host appeared or disappeared (no statuses to compare). */
const PRESENCE: Readonly<Record<string, 'appeared' | 'disappeared'>> = {
  'model-added': 'appeared',
  'endpoint-appeared': 'appeared',
  'model-removed': 'disappeared',
  'endpoint-disappeared': 'disappeared',
};

/** `appeared` / `disappeared` for a presence change, null for any other kind. */
export const presenceOf = (c: Change): 'appeared' | 'disappeared' | null => PRESENCE[changeKindOf(c)] ?? null;

/** The free text a notice-like change carries (its evidence reason or message), if any. */
const noticeText = (c: Change): string | null => c.evidence?.reason ?? c.evidence?.message ?? null;

/** `mantle/chat guardrail` or, for model-level changes, what happened to the model. */
export const describeChangeTarget = (c: Change): string => {
  const kind = changeKindOf(c);
  switch (kind) {
    case 'cell':
      return `${c.endpoint}/${c.api ?? '?'} ${c.variant ?? '?'}`;
    case 'model-added':
      return `model appeared on ${c.endpoint}`;
    case 'model-removed':
      return `model disappeared from ${c.endpoint}`;
    case 'endpoint-appeared':
      return `bedrock-${c.endpoint} endpoint appeared`;
    case 'endpoint-disappeared':
      return `bedrock-${c.endpoint} endpoint disappeared`;
    case 'retirement-notice': {
      const text = noticeText(c);
      return `retirement notice${text ? `: ${text}` : ''}`;
    }
    default: {
      // A kind this version does not know: its name and whatever coordinates it has.
      const where = [c.endpoint, c.api].filter((p) => p !== null).join('/');
      return `${kind} on ${where}${c.variant ? ` ${c.variant}` : ''}`;
    }
  }
};

export const statusOrDash = (s: Status | null): string => s ?? '—';

/** From/to words of a change; a model change has no statuses, so it reads absent/listed. */
export const changeFromTo = (c: Change): readonly [string, string] => {
  const presence = presenceOf(c);
  if (presence === 'appeared') return ['absent', 'listed'];
  if (presence === 'disappeared') return ['listed', 'absent'];
  if (changeKindOf(c) === 'retirement-notice') return [statusOrDash(c.from), 'notice'];
  return [statusOrDash(c.from), statusOrDash(c.to)];
};

/** The run line all formats open with. */
export const runFacts = (report: Report): string[] => {
  const facts = [
    `run ${report.runId}${report.runKind ? ` (${report.runKind})` : ''}`,
    `regions ${reportRegions(report).join(', ') || '(none)'}`,
    `started ${report.startedAt}`,
    `finished ${report.finishedAt}`,
    `${report.models.length} models`,
    `${report.cells.length} cells`,
    `${report.summary.probesSent} probes`,
  ];
  if (report.toolVersion) facts.push(`bedrock-matrix ${scrub(report.toolVersion)}`);
  if (report.partial) facts.push('PARTIAL run (stopped early; missing cells were not probed)');
  return facts;
};

/** Sorted for display: region, then model, then endpoint x api order. */
export const sortedChanges = (changes: readonly Change[]): Change[] => {
  const apiIndex = (a: Api | null): number => (a === null ? -1 : APIS.indexOf(a));
  return [...changes].sort(
    (a, b) =>
      a.region.localeCompare(b.region) ||
      a.model.localeCompare(b.model) ||
      ENDPOINTS.indexOf(a.endpoint) - ENDPOINTS.indexOf(b.endpoint) ||
      apiIndex(a.api) - apiIndex(b.api),
  );
};
