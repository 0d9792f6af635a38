/**
 * Declared vs measured: where what the control plane declares about a model (ListFoundationModels:
 * `responseStreamingSupported`, `inferenceTypesSupported`, `modelLifecycle`, docs/bedrock-wire.md)
 * disagrees with what the matrix measured on the runtime endpoint, the one those fields describe.
 * Pure. A disagreement is evidence for the user, never a change: nothing here alerts or moves a
 * confirmed state. Only measurements count: a cell that is `error`, `throttled` or `skipped`, or
 * was never probed, says nothing, so no disagreement is ever called from one.
 */
import { isEndOfLife } from './classify';
import { type CellResult, cellId, isTransient, type ModelEntry, type Report } from './model';
import { stripProfilePrefix } from './resolve';

export type DisagreementTopic = 'streaming' | 'inference-type' | 'lifecycle';

export interface DeclaredDisagreement {
  /** Stable identity: `<region>|<model>|<topic>`. */
  readonly key: string;
  readonly region: string;
  readonly model: string;
  readonly topic: DisagreementTopic;
  /** What the catalog says, e.g. `responseStreamingSupported: false`. */
  readonly declared: string;
  /** What was measured, e.g. `runtime/converse stream supported`. */
  readonly measured: string;
  /** The cells (`cellId`) the measurement rests on. */
  readonly cells: readonly string[];
  readonly message: string;
}

/** The native runtime apis: the ones ListFoundationModels' streaming flag speaks of. */
const NATIVE_APIS: ReadonlySet<string> = new Set(['converse', 'invoke']);
const RETIRED_STATUS = /^(EOL|END_OF_LIFE|RETIRED)$/i;

const where = (c: CellResult): string =>
  `${c.endpoint}/${c.api}${c.variant === 'basic' ? '' : ` ${c.variant}`} ${c.status}`;

const isProfileId = (id: string): boolean => stripProfilePrefix(id) !== id;

/** Every disagreement of the report, by region, then model, then topic. */
export function declaredDisagreements(report: Report): DeclaredDisagreement[] {
  const models = new Map(report.models.map((m) => [m.key, m]));
  const byRegionModel = new Map<string, CellResult[]>();
  for (const c of report.cells) {
    // Runtime only (the control plane describes the runtime host), and measurements only.
    if (c.endpoint !== 'runtime' || isTransient(c.status)) continue;
    const k = `${c.region}|${c.model}`;
    byRegionModel.set(k, [...(byRegionModel.get(k) ?? []), c]);
  }
  const out: DeclaredDisagreement[] = [];
  for (const [k, cells] of byRegionModel) {
    const [region = '', key = ''] = k.split('|');
    const model = models.get(key);
    if (!model?.declared) continue;
    const found = [streaming(model, cells), inferenceType(model, cells), lifecycle(model, cells, report)];
    for (const d of found) {
      if (!d) continue;
      out.push({
        key: `${region}|${key}|${d.topic}`,
        region,
        model: key,
        ...d,
        message: `${key} in ${region}: declared ${d.declared}, measured ${d.measured}`,
      });
    }
  }
  return out.sort(
    (a, b) =>
      a.region.localeCompare(b.region) || a.model.localeCompare(b.model) || a.topic.localeCompare(b.topic),
  );
}

type Found = Pick<DeclaredDisagreement, 'topic' | 'declared' | 'measured' | 'cells'> | null;

const found = (
  topic: DisagreementTopic,
  declared: string,
  evidence: readonly CellResult[],
  why = '',
): NonNullable<Found> => ({
  topic,
  declared,
  measured: `${evidence.map(where).join(', ')}${why}`,
  cells: evidence.map(cellId),
});

/**
 * Declared without streaming but a native stream cell streamed; or declared with streaming but
 * every native stream cell measured refused it (one that streamed settles it the other way).
 */
function streaming(model: ModelEntry, cells: readonly CellResult[]): Found {
  const flag = model.declared?.responseStreamingSupported;
  if (flag === undefined) return null;
  const stream = cells.filter((c) => c.variant === 'stream' && NATIVE_APIS.has(c.api));
  const worked = stream.filter((c) => c.status === 'supported');
  const refused = stream.filter((c) => c.status === 'unsupported');
  if (!flag && worked.length > 0) return found('streaming', 'responseStreamingSupported: false', worked);
  if (flag && worked.length === 0 && refused.length > 0)
    return found('streaming', 'responseStreamingSupported: true', refused);
  return null;
}

/**
 * Declared `ON_DEMAND` but only a profile answered after the base ID was tried and refused (the
 * prober moves to a profile only then, and `tried` shows it); or declared without `ON_DEMAND` but
 * the base ID answered.
 */
function inferenceType(model: ModelEntry, cells: readonly CellResult[]): Found {
  const types = model.declared?.inferenceTypesSupported;
  if (!types) return null;
  const declared = `inferenceTypesSupported: ${types.join(', ') || '(none)'}`;
  const worked = cells.filter((c) => c.variant === 'basic' && c.status === 'supported' && c.evidence.modelId);
  if (worked.length === 0) return null;
  const base = worked.filter((c) => !isProfileId(c.evidence.modelId ?? ''));
  if (!types.includes('ON_DEMAND')) return base.length > 0 ? found('inference-type', declared, base) : null;
  const baseId = model.ids.runtime;
  if (base.length > 0 || baseId === undefined || isProfileId(baseId)) return null;
  // `tried` reads `[route ]id: outcome`; the boundary keeps `us.<id>` from counting as `<id>`.
  const triedBase = (t: string): boolean => t.startsWith(`${baseId}: `) || t.includes(` ${baseId}: `);
  const profileAfterBase = worked.filter((c) => (c.evidence.tried ?? []).some(triedBase));
  return profileAfterBase.length === worked.length ? found('inference-type', declared, worked) : null;
}

/**
 * Declared retired (an end-of-life status, or an end-of-life date before the run) but it still
 * answers; or declared `ACTIVE` but refused as end of life. A `LEGACY` model that answers is what
 * the lifecycle documents (it works until its end-of-life date), so it is no disagreement.
 */
function lifecycle(model: ModelEntry, cells: readonly CellResult[], report: Report): Found {
  const lc = model.declared?.lifecycle;
  if (!lc) return null;
  const eol = lc.endOfLifeTime ? Date.parse(lc.endOfLifeTime) : Number.NaN;
  const pastEol = !Number.isNaN(eol) && eol <= Date.parse(report.finishedAt);
  if (RETIRED_STATUS.test(lc.status) || pastEol) {
    const answered = cells.filter((c) => c.variant === 'basic' && c.status === 'supported');
    const declared = pastEol
      ? `end of life on ${new Date(eol).toISOString().slice(0, 10)} (status ${lc.status})`
      : `status ${lc.status}`;
    return answered.length > 0 ? found('lifecycle', declared, answered) : null;
  }
  if (lc.status.toUpperCase() !== 'ACTIVE') return null;
  const retired = cells.filter((c) => c.status === 'not-found' && isEndOfLife(c.evidence));
  return retired.length > 0 ? found('lifecycle', 'status ACTIVE', retired, ' (end of life)') : null;
}
