/**
 * A model whose serving path is broken, told apart from a passing error: the same HTTP 500 on
 * every try of a cell while the same host serves other models in the run (mantle's per-account,
 * per-region serving, docs/bedrock-wire.md). The cell stays `error` (no capability is claimed
 * either way, and it never counts as a change); its reason says which kind of error it is, and
 * run-problems names it once per model.
 */
import type { CellResult, Evidence } from './model';

/** Reason prefix of a cell whose model's serving path is broken (see markBrokenServingPaths). */
export const BROKEN_PATH_REASON = 'broken serving path';

/** The HTTP status that marks a broken path when it repeats; a 503 is capacity, a 429 a quota. */
const BROKEN_STATUS = 500;

/** What the prober appends to a cell's reason when every try answered the same 500. */
const REPEATED = /; HTTP 500 on every one of (\d+) tries$/;

/** True when every one of at least two tries answered HTTP 500. */
export function repeatedServerError(statuses: readonly (number | null)[]): boolean {
  return statuses.length >= 2 && statuses.every((s) => s === BROKEN_STATUS);
}

/** The note the prober appends to such a cell's reason; markBrokenServingPaths reads it back. */
export const repeatedNote = (tries: number): string =>
  `; HTTP ${BROKEN_STATUS} on every one of ${tries} tries`;

export function isBrokenServingPath(evidence: Pick<Evidence, 'reason'>): boolean {
  return evidence.reason?.startsWith(`${BROKEN_PATH_REASON}:`) === true;
}

const served = (c: CellResult): boolean =>
  c.evidence.httpStatus !== null && c.evidence.httpStatus >= 200 && c.evidence.httpStatus < 300;

/**
 * One cell judged against its siblings (cells of the same run): an `error` cell whose every try
 * answered 500 becomes a broken serving path when another model answered 2xx on the same host and
 * region. Without such a sibling the host may be down as a whole: the cell stays as it was.
 */
export function markBrokenServingPath(cell: CellResult, siblings: readonly CellResult[]): CellResult {
  if (cell.status !== 'error') return cell;
  const reason = cell.evidence.reason ?? '';
  const m = REPEATED.exec(reason);
  if (!m) return cell;
  const hostServes = siblings.some(
    (s) => s.region === cell.region && s.endpoint === cell.endpoint && s.model !== cell.model && served(s),
  );
  if (!hostServes) return cell;
  const before = reason.slice(0, m.index);
  return {
    ...cell,
    evidence: {
      ...cell.evidence,
      reason: `${BROKEN_PATH_REASON}: HTTP ${BROKEN_STATUS} on every one of ${m[1]} tries while bedrock-${cell.endpoint} serves other models (${before})`,
    },
  };
}

export function markBrokenServingPaths(cells: readonly CellResult[]): CellResult[] {
  return cells.map((c) => markBrokenServingPath(c, cells));
}
