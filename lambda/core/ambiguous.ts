/**
 * The post-pass for runtime `/openai/v1`'s one 404 (`model_not_found`, "The model doesn't exist or
 * doesn't support this API"), which covers an unknown model and a known model refusing the api
 * alike (docs/bedrock-wire.md). classify leaves such cells undecided (`error`, reason
 * AMBIGUOUS_REASON); this pure step decides each from the same run's other evidence:
 * - another runtime cell of the same model ID answered 2xx -> the model exists -> `unsupported`;
 * - the ID is listed by ListFoundationModels or ListInferenceProfiles -> `unsupported`;
 * - both runtime catalogs answered and neither lists it -> `not-found`;
 * - a catalog failed -> stays `error`: nothing decides it.
 */
import { AMBIGUOUS_REASON } from './classify';
import type { CellResult } from './model';
import type { Catalogs } from './resolve';

const isAmbiguous = (cell: CellResult): boolean =>
  cell.status === 'error' && cell.evidence.reason?.startsWith(AMBIGUOUS_REASON) === true;

const answered2xx = (c: CellResult): boolean =>
  c.evidence.httpStatus !== null && c.evidence.httpStatus >= 200 && c.evidence.httpStatus < 300;

/** Runtime model IDs that answered 2xx on some cell of this run, keyed by model key. */
function answeredIds(cells: readonly CellResult[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of cells) {
    if (c.endpoint !== 'runtime' || !answered2xx(c) || c.evidence.modelId === null) continue;
    const set = out.get(c.model) ?? new Set<string>();
    set.add(c.evidence.modelId);
    out.set(c.model, set);
  }
  return out;
}

/** Decide one ambiguous cell from `siblings` (cells of the same run) and the catalogs. */
export function settleAmbiguous(
  cell: CellResult,
  siblings: readonly CellResult[],
  catalogs: Catalogs,
): CellResult {
  if (!isAmbiguous(cell)) return cell;
  const id = cell.evidence.modelId;
  const detail = cell.evidence.reason?.slice(AMBIGUOUS_REASON.length) ?? '';
  const decide = (status: CellResult['status'], why: string): CellResult => ({
    ...cell,
    status,
    evidence: { ...cell.evidence, reason: `${why} (${AMBIGUOUS_REASON}${detail})` },
  });
  const answered = answeredIds(siblings).get(cell.model);
  const sibling = id !== null && answered?.has(id) ? id : answered ? [...answered][0] : undefined;
  if (sibling !== undefined) {
    const other = siblings.find(
      (c) =>
        c.model === cell.model &&
        c.endpoint === 'runtime' &&
        c.evidence.modelId === sibling &&
        answered2xx(c),
    );
    return decide(
      'unsupported',
      `api not supported: ${sibling} answered runtime ${other?.api ?? 'another api'}`,
    );
  }
  const inFoundation = catalogs.foundationModels?.some((m) => m.modelId === id) === true;
  const inProfiles = catalogs.inferenceProfiles?.some((p) => p.inferenceProfileId === id) === true;
  if (inFoundation || inProfiles) {
    const where = inFoundation ? 'ListFoundationModels' : 'ListInferenceProfiles';
    return decide('unsupported', `api not supported: ${id} is listed by ${where}`);
  }
  if (catalogs.foundationModels !== null && catalogs.inferenceProfiles !== null) {
    return decide('not-found', `model not found: ${id} is in neither runtime catalog`);
  }
  return {
    ...cell,
    evidence: {
      ...cell.evidence,
      reason: `${cell.evidence.reason}; a runtime catalog failed, so nothing decides it`,
    },
  };
}

/** The post-pass over a whole run: every ambiguous cell decided, the others untouched. */
export function settleAmbiguousCells(cells: readonly CellResult[], catalogs: Catalogs): CellResult[] {
  return cells.map((c) => settleAmbiguous(c, cells, catalogs));
}
