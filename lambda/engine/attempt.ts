/**
 * One settled attempt of a cell (a model ID on a route, after retries) and what the matrix prober
 * asks of a list of them: which one decides, how each reads in `tried`.
 */
import type { Classification } from '../core/classify';
import { emptyEvidence, isTransient, type Observation, type Status } from '../core/model';
import type { ProbeTask } from '../core/plan';
import { type RequestShape, SHAPED_APIS } from './probe-port';

/** Settled attempt on one (modelId, route), after retries. */
export interface Attempt {
  readonly modelId: string;
  readonly route: string | null;
  readonly shape: RequestShape;
  /** A token limit other than the run's (the thinking budget), when this attempt had one. */
  readonly maxTokens?: number;
  readonly obs: Observation | null;
  readonly cls: Classification;
}

/** A basic-cell 400 that no known refusal explains, on an api that has a second request shape. */
export function isUnexplained400(task: ProbeTask, a: Attempt): boolean {
  return (
    a.shape === 'default' &&
    task.variant === 'basic' &&
    SHAPED_APIS.has(task.api) &&
    a.obs?.httpStatus === 400 &&
    a.cls.status === 'error'
  );
}

export function skippedBy(reason: string, modelId: string, route: string | null): Classification {
  return { status: 'skipped', evidence: emptyEvidence({ reason, modelId, route }), refusal: null };
}

function describe(a: Attempt): string {
  const kind = a.cls.refusal;
  const http = a.obs?.httpStatus ? ` (${a.obs.httpStatus})` : '';
  return `${a.cls.status}${kind ? ` ${kind}` : ''}${http}`;
}

/**
 * Among refusals, the one that says most about the model: an api refusal beats access, which
 * beats "needs a profile" (superseded by the profile's own answer), which beats "unknown ID".
 */
export function pickDecisive(attempts: readonly Attempt[]): Attempt {
  const rank = (a: Attempt): number => {
    const kind = a.cls.refusal;
    const status: Status = a.cls.status;
    if (status === 'supported') return 0;
    // Undecided until the catalogs and sibling cells speak: no better than an unknown ID.
    if (kind === 'ambiguous-not-found') return 6;
    if (isTransient(status)) return 1;
    if (status === 'unsupported' && kind !== 'needs-profile' && kind !== 'wrong-route') return 2;
    if (status === 'no-access') return 3;
    if (status === 'unsupported' && kind === 'wrong-route') return 4;
    if (status === 'unsupported') return 5;
    return 6;
  };
  return [...attempts].sort((a, b) => rank(a) - rank(b))[0] as Attempt;
}

/** How an attempt reads in the cell's `tried` evidence. */
export function attemptLabel(a: Attempt): string {
  const shape = a.shape === 'alternate' ? ' (alternate request shape)' : '';
  const budget = a.maxTokens !== undefined ? ` (max_tokens ${a.maxTokens} for thinking)` : '';
  return `${a.route ?? ''}${a.route ? ' ' : ''}${a.modelId}${shape}${budget}: ${describe(a)}`;
}
