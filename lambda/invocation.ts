/**
 * What a prober invocation is asked (its event) and what it answers (its outcome), and the few
 * pure helpers the handler (handler.ts) uses to read one and build the other.
 */
import type { PipelineResult } from './engine/pipeline';
import type { Logger } from './logger';
import { RUN_KINDS, type RunKind } from './shared/names';

/** EventBridge Scheduler input (see lib/region-stack.ts); any other event starts an ad-hoc sweep. */
export interface ProberEvent {
  readonly scheduledTime?: string;
  readonly runId?: string;
  /** @default 'sweep' */
  readonly kind?: string;
  /** `targeted`: the model keys to probe. */
  readonly models?: readonly string[];
}

export interface RunOutcome {
  readonly runId: string;
  readonly region: string;
  /** What the invocation did: a sentinel tick that ran nothing says `sentinel`. */
  readonly kind: RunKind;
  /** `targeted`: the models probed. */
  readonly models?: readonly string[];
  readonly partial: boolean;
  readonly baseline: boolean;
  readonly probesSent: number;
  readonly changes: number;
  /** Why nothing was probed: catalogs unchanged, queued behind another run, a late replay. */
  readonly skipped?: string;
}

/** The event's kind; an unknown word is a wiring mistake worth one clear line. */
export function kindOf(event: ProberEvent | undefined): RunKind {
  const kind = event?.kind ?? 'sweep';
  const known = RUN_KINDS.find((k) => k === kind);
  if (!known) throw new Error(`unknown run kind ${JSON.stringify(kind)} (expected ${RUN_KINDS.join(', ')})`);
  if (known === 'targeted' && (event?.models ?? []).length === 0)
    throw new Error('a targeted run names no model (event.models is empty)');
  return known;
}

export function failed(runId: string, region: string, when: string, what: string, log: Logger): Error {
  log.error(`${what.split(':')[0]} failed`, { runId, region, error: what });
  return new Error(`run ${runId} in ${region} ${when}: ${what}`);
}

export function outcomeOf(
  runId: string,
  region: string,
  result: PipelineResult | null,
  skipped: string | undefined,
): Omit<RunOutcome, 'kind'> {
  return {
    runId,
    region,
    partial: result?.run?.partial ?? false,
    baseline: result?.baseline ?? false,
    probesSent: result?.run?.probesSent ?? 0,
    changes: result?.changes.length ?? 0,
    ...(skipped ? { skipped } : {}),
  };
}
