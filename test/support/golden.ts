/**
 * Classifier golden tests from a `probe --record DIR` directory: each probe's Observation (from
 * observations.jsonl) paired with the status its cell got in that run's report.json. A recording
 * of a real run, checked by a person, thus pins how the classifier reads the real wire:
 *
 *   it.each(await goldenCases(dir))('$name', ({ observation, expected }) =>
 *     expect(classify(observation, GOLDEN_CONTEXT).status).toBe(expected));
 *
 * To correct a verdict the run got wrong, edit the cell's status in report.json.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { AMBIGUOUS_REASON, type Classification, type ClassifyContext } from '../../lambda/core/classify';
import type { Evidence, Observation, Report, Status } from '../../lambda/core/model';
import { type Refusal, refusalKind } from '../../lambda/core/wire-text';
import type { ProbeRequest } from '../../lambda/engine/probe-port';
import { GUARDRAIL_MESSAGES } from '../../lambda/shared/names';

export interface GoldenCase {
  readonly name: string;
  readonly observation: Observation;
  /** What classify alone must say about the observation. */
  readonly expected: Status;
  /**
   * The cell's status in the run. It differs from `expected` only where the run's post-pass
   * decided an answer classify leaves open (runtime `/openai/v1`'s ambiguous 404).
   */
  readonly final: Status;
}

/** What a golden fixture file expects of classify; only `status` is always given. */
export interface ClassifyExpectation {
  readonly status: Status;
  /** A text the reason contains (case-insensitive). */
  readonly reason?: string;
  readonly refusal?: Refusal;
  readonly evidence?: Partial<Evidence>;
}

/**
 * A golden fixture's expectations, asserted on what classify said of `obs`; the classification's
 * own `refusal` must always agree with `refusalKind`, which the engine no longer recomputes.
 */
export function expectClassified(
  name: string,
  obs: Observation,
  got: Classification,
  expected: ClassifyExpectation,
): void {
  const { status, evidence } = got;
  expect({ status, reason: evidence.reason }, name).toMatchObject({ status: expected.status });
  if (expected.reason !== undefined) {
    expect(evidence.reason?.toLowerCase() ?? '', name).toContain(expected.reason.toLowerCase());
  }
  if (expected.refusal !== undefined) expect(refusalKind(obs), name).toBe(expected.refusal);
  expect(got.refusal, name).toBe(refusalKind(obs));
  if (expected.evidence !== undefined) expect(evidence, name).toMatchObject(expected.evidence);
}

/** The context the CLI classifies with for the stack's own probe guardrail. */
export const GOLDEN_CONTEXT: ClassifyContext = {
  blockedMessages: [GUARDRAIL_MESSAGES.input, GUARDRAIL_MESSAGES.output],
};

/**
 * One case per cell: the last observation of that cell whose route, model ID and HTTP status
 * are the ones its evidence shows (the answer that decided it; earlier retries are dropped).
 */
export async function goldenCases(dir: string): Promise<GoldenCase[]> {
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;
  const lines = (await readFile(join(dir, 'observations.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const byCell = new Map<string, GoldenCase>();
  for (const line of lines) {
    const { request, observation } = JSON.parse(line) as { request: ProbeRequest; observation: Observation };
    const cell = report.cells.find(
      (c) =>
        c.region === request.region &&
        c.model === request.modelKey &&
        c.endpoint === observation.endpoint &&
        c.api === observation.api &&
        c.variant === observation.variant,
    );
    if (!cell) continue;
    const e = cell.evidence;
    if (
      e.route !== observation.route ||
      e.modelId !== observation.modelId ||
      e.httpStatus !== observation.httpStatus
    )
      continue;
    const key = `${cell.region} ${cell.model} ${cell.endpoint}/${cell.api}/${cell.variant}`;
    const settled = e.reason?.includes(AMBIGUOUS_REASON) === true && cell.status !== 'error';
    byCell.set(key, {
      name: `${key} via ${observation.route ?? '-'} ${observation.modelId} (HTTP ${observation.httpStatus})`,
      observation,
      expected: settled ? 'error' : cell.status,
      final: cell.status,
    });
  }
  return [...byCell.values()];
}
