import { describe, expect, it } from 'vitest';
import { type CellResult, emptyEvidence } from '../../../lambda/core/model';
import { problemLine, runProblems } from '../../../lambda/core/run-problems';
import {
  isBrokenServingPath,
  markBrokenServingPaths,
  repeatedNote,
  repeatedServerError,
} from '../../../lambda/core/serving-path';

// obra/lace#355: on mantle, one model's create answered 500 on every try while others answered.
const broken = (over: Partial<CellResult> = {}): CellResult => ({
  region: 'us-west-2',
  model: 'anthropic.claude-haiku-4-5',
  endpoint: 'mantle',
  api: 'messages',
  variant: 'basic',
  status: 'error',
  evidence: emptyEvidence({
    httpStatus: 500,
    latencyMs: 40,
    errorType: 'api_error',
    message: 'Internal server error',
    reason: `service error (HTTP 500): Internal server error${repeatedNote(3)}`,
  }),
  ...over,
});
const served = (model: string, over: Partial<CellResult> = {}): CellResult => ({
  ...broken(),
  model,
  status: 'supported',
  evidence: emptyEvidence({ httpStatus: 200, latencyMs: 30 }),
  ...over,
});

describe('repeatedServerError', () => {
  it.each([
    [[500, 500, 500], true],
    [[500, 500], true],
    [[500], false],
    [[500, 503, 500], false],
    [[503, 503, 503], false],
    [[500, 200], false],
  ] as const)('%j -> %s', (statuses, expected) => {
    // Act / Assess
    expect(repeatedServerError(statuses)).toBe(expected);
  });
});

describe('markBrokenServingPaths', () => {
  it('a 500 on every try while the host serves another model is a broken serving path, still error', () => {
    // Prepare
    const cells = [broken(), served('anthropic.claude-opus-4-7')];

    // Act
    const [cell] = markBrokenServingPaths(cells);

    // Assess
    expect(cell?.status).toBe('error');
    expect(cell?.evidence.reason).toBe(
      'broken serving path: HTTP 500 on every one of 3 tries while bedrock-mantle serves other models (service error (HTTP 500): Internal server error)',
    );
    expect(isBrokenServingPath(cell?.evidence ?? emptyEvidence())).toBe(true);
  });

  it('stays a plain service error when no other model on that host answered (the host may be down)', () => {
    // Prepare: the only 2xx is on runtime, or of the same model
    const cells = [
      broken(),
      served('anthropic.claude-opus-4-7', { endpoint: 'runtime' }),
      served('anthropic.claude-haiku-4-5', { api: 'chat' }),
    ];

    // Act
    const [cell] = markBrokenServingPaths(cells);

    // Assess
    expect(cell).toEqual(broken());
  });

  it('a 500 that did not repeat on every try is transient, whatever the host does', () => {
    // Prepare
    const once = broken({
      evidence: emptyEvidence({ httpStatus: 500, reason: 'service error (HTTP 500): Internal server error' }),
    });

    // Act
    const [cell] = markBrokenServingPaths([once, served('anthropic.claude-opus-4-7')]);

    // Assess
    expect(cell).toEqual(once);
  });

  it('run problems name each broken model once, with its apis', () => {
    // Prepare
    const cells = markBrokenServingPaths([
      broken(),
      broken({ api: 'chat' }),
      served('anthropic.claude-opus-4-7'),
    ]);

    // Act
    const lines = runProblems({ region: 'us-west-2', cells, catalogProblems: [] }).map(problemLine);

    // Assess
    expect(lines).toEqual([
      'us-west-2 mantle: broken serving path: anthropic.claude-haiku-4-5 answers HTTP 500 on every try (chat, messages) while the host serves other models',
    ]);
  });
});
