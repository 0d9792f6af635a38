/**
 * What made a run unhealthy, named once (pure). A host that rejects our credentials, or answers
 * every call the same broken way, is one line (`mantle: authentication failed: Invalid bearer
 * token`), not a matrix of cells that each say a little of it. These lines never count as a
 * capability change; they go to the report, the logs and the CLI's stderr.
 */
import type { CellResult, Endpoint, RunProblem } from './model';
import { BROKEN_PATH_REASON, isBrokenServingPath } from './serving-path';

/** Fewer probed cells than this say too little to call the whole host broken. */
const MIN_CALLS = 3;

export interface ProblemInput {
  readonly region: string;
  readonly cells: readonly CellResult[];
  /** Catalog failures as discovery recorded them (`mantle /v1/models: ...`). */
  readonly catalogProblems: readonly string[];
  /** GetGuardrail / ListEnforcedGuardrailsConfiguration failures: guardrail cells cannot be judged fully. */
  readonly guardrailProblems?: readonly string[];
  /** A store step that failed, if one did. */
  readonly storeFailure?: string | null;
}

const scopeOfCatalog = (line: string): RunProblem['scope'] =>
  line.startsWith('mantle') ? 'mantle' : 'control';

/** The head of an error reason: `authentication failed: Invalid bearer token` -> `authentication failed`. */
const head = (reason: string | null): string => (reason ?? 'error').split(':')[0]?.trim() || 'error';

export function runProblems(input: ProblemInput): RunProblem[] {
  const problems: RunProblem[] = input.catalogProblems.map((message) => ({
    region: input.region,
    scope: scopeOfCatalog(message),
    message: `catalog unavailable: ${message}`,
  }));
  for (const message of input.guardrailProblems ?? []) {
    problems.push({ region: input.region, scope: 'control', message });
  }
  for (const endpoint of ['runtime', 'mantle'] as const satisfies readonly Endpoint[]) {
    // Cells that made a call (decided cells carry no HTTP answer and no latency).
    const probed = input.cells.filter(
      (c) => c.region === input.region && c.endpoint === endpoint && c.evidence.latencyMs !== null,
    );
    if (probed.length < MIN_CALLS || !probed.every((c) => c.status === 'error')) continue;
    const heads = new Set(probed.map((c) => head(c.evidence.reason)));
    if (heads.size !== 1) continue;
    const sample = probed[0];
    const detail = sample?.evidence.message ?? sample?.evidence.reason ?? '';
    const what = [...heads][0] ?? 'error';
    problems.push({
      region: input.region,
      scope: endpoint,
      message: `${what}${detail && !detail.startsWith(what) ? `: ${detail}` : ''} (all ${probed.length} calls)`,
    });
  }
  // One line per model whose serving path is broken: listed but not served, apart from a transient error.
  const broken = new Map<string, { endpoint: Endpoint; model: string; apis: Set<string> }>();
  for (const c of input.cells) {
    if (c.region !== input.region || !isBrokenServingPath(c.evidence)) continue;
    const k = `${c.endpoint} ${c.model}`;
    const entry = broken.get(k) ?? { endpoint: c.endpoint, model: c.model, apis: new Set<string>() };
    entry.apis.add(c.api);
    broken.set(k, entry);
  }
  for (const b of broken.values()) {
    problems.push({
      region: input.region,
      scope: b.endpoint,
      message: `${BROKEN_PATH_REASON}: ${b.model} answers HTTP 500 on every try (${[...b.apis].sort().join(', ')}) while the host serves other models`,
    });
  }
  if (input.storeFailure)
    problems.push({ region: input.region, scope: 'store', message: input.storeFailure });
  return problems;
}

/** One line per problem, as the CLI and the logs print it: `us-east-1 mantle: authentication failed: ...`. */
export const problemLine = (p: RunProblem): string => `${p.region} ${p.scope}: ${p.message}`;
