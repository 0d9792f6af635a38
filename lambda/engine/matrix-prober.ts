/**
 * Probe step: runs planned cells through the adapters with bounded concurrency, per-model pacing,
 * retries with backoff and jitter, and call and time budgets. A refusal is only believed after
 * the alternatives (other route, other ID) refused too: a false "unsupported" is the worst bug
 * this tool can have.
 */
import { jitteredBackoff } from '../core/backoff';
import { type ClassifyContext, classify } from '../core/classify';
import {
  type CellKey,
  type CellResult,
  cellId,
  type Evidence,
  emptyEvidence,
  isTransient,
  type Observation,
  VARIANTS,
} from '../core/model';
import { invokeFamilyOf, type PlanConfig, type ProbeTask, planFollowUps } from '../core/plan';
import { repeatedNote, repeatedServerError } from '../core/serving-path';
import { isRetryable } from '../core/wire-text';
import { DEFAULTS } from '../shared/names';
import { type Attempt, attemptLabel, isUnexplained400, pickDecisive, skippedBy } from './attempt';
import { CallSlots } from './call-slots';
import type { ProbeRequest, Prober, RequestShape } from './probe-port';

export interface ProbeLimits {
  /** Probes in flight at once. @default 8 */
  readonly concurrency: number;
  /**
   * Probes in flight at once on one model key (every endpoint, route and ID of it together),
   * re-probes, follow-ups, alternatives and retries included. @default 2
   */
  readonly perModelConcurrency: number;
  /** Probe calls per run, retries and alternatives included; cells past it are `skipped`. @default Infinity */
  readonly maxCalls: number;
  /** Tokens (in + out, as the answers report them) per run; cells past it are `skipped`. @default Infinity */
  readonly maxRunTokens?: number;
  /** Attempts per call on 429/5xx/timeout before settling on `throttled`/`error`. @default 3 */
  readonly maxAttempts: number;
  /** First backoff; doubles per attempt, with jitter. @default 500 */
  readonly backoffBaseMs: number;
  /** @default 8000 */
  readonly backoffMaxMs: number;
  /** Minimum gap between two calls to one model ID, so a run never bursts one model's quota. @default 100 */
  readonly modelPacingMs: number;
  readonly maxTokens: number;
  /** Epoch ms after which no probe starts (the Lambda's time budget); remaining cells are `skipped`. */
  readonly deadline?: number;
  /**
   * Timeout of a mantle call to a model that has not answered yet in this run: mantle starts
   * slowly (60 s and more, docs/bedrock-wire.md). Capped by `deadline`. @default 120000
   */
  readonly mantleFirstCallTimeoutMs?: number;
  /** Timeout of every other call, capped by `deadline`. @default the prober's own timeout */
  readonly probeTimeoutMs?: number;
}

const DEFAULT_MANTLE_FIRST_CALL_TIMEOUT_MS = 120_000;

/**
 * The token limit of the one retry a feature check gets when a model that thinks by default spent
 * the run's tiny limit thinking: enough for a short thought and the answer, at a cent or so.
 */
export const THINKING_BUDGET_TOKENS = 1024;

export const DEFAULT_LIMITS: ProbeLimits = {
  concurrency: DEFAULTS.concurrency,
  perModelConcurrency: DEFAULTS.perModelConcurrency,
  maxCalls: Number.POSITIVE_INFINITY,
  maxAttempts: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 8000,
  modelPacingMs: 100,
  maxTokens: 16,
};

export interface ProberDeps {
  readonly prober: Prober;
  readonly classifyContext: ClassifyContext;
  /**
   * The context `guardrail` cells are judged with, when it is still being read (GetGuardrail at
   * run start): only those cells wait for it, so other probes start at once. @default classifyContext
   */
  readonly guardrailContext?: Promise<ClassifyContext>;
  readonly canary: string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Called as cells finish; `total` grows as follow-up variants are planned. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface MatrixResult {
  readonly cells: CellResult[];
  readonly probesSent: number;
  /** True when the time budget stopped the run before every planned cell was probed. */
  readonly partial: boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class MatrixProber {
  private readonly slots: CallSlots;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly nextSlot = new Map<string, number>();
  /** Mantle model IDs that answered (any HTTP status) in this run: past their slow start. */
  private readonly warm = new Set<string>();
  private readonly tasks = new Map<string, ProbeTask>();
  private sent = 0;
  private tokens = 0;
  private done = 0;
  private total = 0;
  private timedOut = false;

  constructor(
    private readonly deps: ProberDeps,
    private readonly limits: ProbeLimits,
    private readonly plan: PlanConfig,
  ) {
    this.slots = new CallSlots(limits.concurrency, limits.perModelConcurrency);
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? defaultSleep;
    this.random = deps.random ?? Math.random;
  }

  get probesSent(): number {
    return this.sent;
  }

  /** Probe every basic task, then each supported cell's follow-ups, all through one limiter. */
  async run(basics: readonly ProbeTask[]): Promise<MatrixResult> {
    const cells: CellResult[] = [];
    this.total += basics.length;
    const runOne = async (task: ProbeTask): Promise<void> => {
      this.tasks.set(cellId(task), task);
      const { result, worked } = await this.execute(task);
      cells.push(result);
      this.progress();
      if (task.variant === 'basic' && result.status === 'supported' && worked) {
        const followUps = planFollowUps(task, worked, this.plan);
        this.total += followUps.length;
        await Promise.all(followUps.map(runOne));
      }
    };
    await Promise.all(basics.map(runOne));
    return { cells: sortCells(cells), probesSent: this.sent, partial: this.timedOut };
  }

  /** Probe one known cell again (drift confirmation); same alternatives as the first time. */
  async reprobe(key: CellKey): Promise<CellResult> {
    const task = this.tasks.get(cellId(key));
    if (!task) throw new Error(`cannot re-probe ${cellId(key)}: it was not planned in this run`);
    return (await this.execute(task)).result;
  }

  /**
   * Probe a cell through one given ID and route: a model that left a catalog is only believed
   * gone when the ID that last worked is refused too.
   */
  async probeAs(key: CellKey, modelId: string, route: string | null): Promise<CellResult> {
    const planned = this.tasks.get(cellId(key));
    const task: ProbeTask = {
      ...key,
      modelIds: [modelId],
      routes: [route],
      family: planned?.family ?? (key.api === 'invoke' ? invokeFamilyOf(key.model) : null),
    };
    return (await this.execute(task)).result;
  }

  private progress(): void {
    this.done += 1;
    this.deps.onProgress?.(this.done, this.total);
  }

  private async execute(
    task: ProbeTask,
  ): Promise<{ result: CellResult; worked?: { route: string | null; modelId: string } }> {
    const key: CellKey = {
      region: task.region,
      model: task.model,
      endpoint: task.endpoint,
      api: task.api,
      variant: task.variant,
    };
    if (task.decided) {
      const evidence = emptyEvidence({ reason: task.decided.reason, modelId: task.modelIds[0] ?? null });
      return { result: { ...key, status: task.decided.status, evidence } };
    }
    const attempts: Attempt[] = [];
    /** The attempt that stands for each (ID, route): the alternate shape's, when it explained itself. */
    const standing: Attempt[] = [];
    for (const modelId of task.modelIds) {
      for (const route of task.routes) {
        let attempt = await this.attempt(task, modelId, route);
        attempts.push(attempt);
        if (isUnexplained400(task, attempt)) {
          // A 400 no known refusal explains may be our request shape, not the model.
          const alternate = await this.attempt(task, modelId, route, 'alternate');
          attempts.push(alternate);
          if (!isTransient(alternate.cls.status)) attempt = alternate;
        }
        if (attempt.obs?.thinkingOnly === true && attempt.cls.status === 'error') {
          // A model that thinks by default spent the tiny limit before the feature could show:
          // give it the budget it needs, once (docs/bedrock-wire.md).
          const budget = Math.max(this.limits.maxTokens, THINKING_BUDGET_TOKENS);
          const roomy = await this.attempt(task, modelId, route, attempt.shape, budget);
          attempts.push(roomy);
          if (!isTransient(roomy.cls.status)) attempt = roomy;
        }
        standing.push(attempt);
        const { status } = attempt.cls;
        const ambiguous = attempt.cls.refusal === 'ambiguous-not-found';
        if (status !== 'unsupported' && status !== 'not-found' && !ambiguous) {
          // Success, a guardrail verdict, access denied or a transient failure: alternatives would
          // not change the answer (access is per model) or cannot be compared (transient).
          return this.settle(key, attempts, attempt);
        }
      }
      const last = standing.at(-1);
      // An ID refused for lack of access or a transient failure ends the search; a wrong route,
      // an unsupported api or an unknown ID may still work through the next ID (a profile).
      if (last?.obs && last.cls.refusal === null && last.cls.status !== 'not-found') break;
    }
    return this.settle(key, attempts, pickDecisive(standing));
  }

  private settle(
    key: CellKey,
    attempts: readonly Attempt[],
    decisive: Attempt,
  ): { result: CellResult; worked?: { route: string | null; modelId: string } } {
    const tried = attempts.map(attemptLabel);
    const evidence: Evidence = {
      ...decisive.cls.evidence,
      route: decisive.route,
      modelId: decisive.modelId,
      ...(attempts.length > 1 ? { tried } : {}),
    };
    const result: CellResult = { ...key, status: decisive.cls.status, evidence };
    return decisive.cls.status === 'supported'
      ? { result, worked: { route: decisive.route, modelId: decisive.modelId } }
      : { result };
  }

  private async attempt(
    task: ProbeTask,
    modelId: string,
    route: string | null,
    shape: RequestShape = 'default',
    maxTokens?: number,
  ): Promise<Attempt> {
    const request: ProbeRequest = {
      region: task.region,
      endpoint: task.endpoint,
      api: task.api,
      variant: task.variant,
      modelKey: task.model,
      modelId,
      route,
      family: task.family,
      maxTokens: maxTokens ?? this.limits.maxTokens,
      guardrail: task.variant === 'guardrail' ? this.plan.guardrail : null,
      canary: this.deps.canary,
      ...(shape === 'alternate' ? { shape } : {}),
    };
    let obs: Observation | null = null;
    /** The HTTP status of every try, for a 500 that repeats on each (core/serving-path.ts). */
    const statuses: (number | null)[] = [];
    for (let i = 0; i < this.limits.maxAttempts; i += 1) {
      const blocked = this.budgetReason();
      if (blocked) {
        // Keep what the earlier attempt saw (a 429 stays `throttled`); otherwise the cell is skipped.
        if (obs) break;
        return { modelId, route, shape, maxTokens, obs: null, cls: skippedBy(blocked, modelId, route) };
      }
      // Reserve the call before any await, so concurrent probes cannot overrun the budget.
      this.sent += 1;
      await this.pace(modelId);
      // Only the call itself holds a slot (global and its model's): pacing and backoff waits
      // leave both free.
      const answer = await this.slots.run(task.model, async () =>
        this.spentReason() === null ? this.deps.prober(this.timed(request)) : null,
      );
      if (answer === null) {
        // Time or tokens ran out while this call waited for a slot.
        this.sent -= 1;
        if (obs) break;
        const reason = this.spentReason() ?? 'budget exhausted';
        return { modelId, route, shape, maxTokens, obs: null, cls: skippedBy(reason, modelId, route) };
      }
      obs = answer;
      statuses.push(obs.httpStatus);
      if (request.endpoint === 'mantle' && obs.httpStatus !== null) this.warm.add(modelId);
      this.tokens += (obs.inputTokens ?? 0) + (obs.outputTokens ?? 0);
      if (!isRetryable(obs) || i === this.limits.maxAttempts - 1) break;
      await this.sleep(
        jitteredBackoff(
          i,
          { baseMs: this.limits.backoffBaseMs, maxMs: this.limits.backoffMaxMs },
          this.random,
        ),
      );
    }
    const observed = obs as Observation;
    const context =
      task.variant === 'guardrail' && this.deps.guardrailContext
        ? await this.deps.guardrailContext
        : this.deps.classifyContext;
    const cls = classify(observed, context);
    if (!repeatedServerError(statuses)) return { modelId, route, shape, maxTokens, obs: observed, cls };
    const reason = `${cls.evidence.reason ?? 'error'}${repeatedNote(statuses.length)}`;
    return {
      modelId,
      route,
      shape,
      maxTokens,
      obs: observed,
      cls: { ...cls, evidence: { ...cls.evidence, reason } },
    };
  }

  /** The call's timeout: long until a mantle model has answered once, never past the deadline. */
  private timed(request: ProbeRequest): ProbeRequest {
    const cold = request.endpoint === 'mantle' && !this.warm.has(request.modelId);
    const wanted = cold
      ? (this.limits.mantleFirstCallTimeoutMs ?? DEFAULT_MANTLE_FIRST_CALL_TIMEOUT_MS)
      : this.limits.probeTimeoutMs;
    if (wanted === undefined) return request;
    const left = this.limits.deadline === undefined ? wanted : this.limits.deadline - this.now();
    return { ...request, timeoutMs: Math.max(1, Math.min(wanted, left)) };
  }

  private deadlineReason(): string | null {
    if (this.timedOut || (this.limits.deadline !== undefined && this.now() >= this.limits.deadline)) {
      this.timedOut = true;
      return 'time budget exhausted before this probe could start';
    }
    return null;
  }

  /** Budgets that calls already in flight can use up: checked again when a call gets its slot. */
  private spentReason(): string | null {
    const late = this.deadlineReason();
    if (late) return late;
    const maxTokens = this.limits.maxRunTokens ?? Number.POSITIVE_INFINITY;
    if (this.tokens >= maxTokens) return `token budget of ${maxTokens} tokens exhausted`;
    return null;
  }

  private budgetReason(): string | null {
    if (this.sent >= this.limits.maxCalls) return `call budget of ${this.limits.maxCalls} probes exhausted`;
    return this.spentReason();
  }

  private async pace(modelId: string): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(modelId) ?? 0);
    this.nextSlot.set(modelId, slot + this.limits.modelPacingMs);
    if (slot > now) await this.sleep(slot - now);
  }
}

function sortCells(cells: CellResult[]): CellResult[] {
  return cells.sort(
    (a, b) =>
      a.model.localeCompare(b.model) ||
      a.endpoint.localeCompare(b.endpoint) ||
      a.api.localeCompare(b.api) ||
      VARIANTS.indexOf(a.variant) - VARIANTS.indexOf(b.variant),
  );
}
