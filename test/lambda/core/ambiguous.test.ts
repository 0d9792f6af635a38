import { describe, expect, it } from 'vitest';
import { settleAmbiguous, settleAmbiguousCells } from '../../../lambda/core/ambiguous';
import { AMBIGUOUS_REASON } from '../../../lambda/core/classify';
import { type CellResult, emptyEvidence } from '../../../lambda/core/model';
import type { Catalogs } from '../../../lambda/core/resolve';

const MODEL = 'anthropic.claude-sonnet-4-6';
const PROFILE = 'us.anthropic.claude-sonnet-4-6';

const cell = (over: Partial<CellResult> & Pick<CellResult, 'api' | 'status'>, http: number, id = PROFILE) =>
  ({
    region: 'us-east-1',
    model: MODEL,
    endpoint: 'runtime',
    variant: 'basic',
    ...over,
    evidence: emptyEvidence({
      httpStatus: http,
      modelId: id,
      reason: over.status === 'error' ? `${AMBIGUOUS_REASON} on /openai/v1: The model doesn't exist` : null,
    }),
  }) as CellResult;

const chat404 = cell({ api: 'chat', status: 'error' }, 404);
const listed: Catalogs = {
  mantle: [],
  foundationModels: [{ modelId: 'anthropic.claude-sonnet-4-6-v1:0' }],
  inferenceProfiles: [{ inferenceProfileId: PROFILE }],
};
const unlisted: Catalogs = { mantle: [], foundationModels: [], inferenceProfiles: [] };

describe('settleAmbiguous: the runtime /openai/v1 404 decided by the run', () => {
  it('is unsupported when Converse answered 2xx with the same model ID in the same run', () => {
    // Prepare
    const converse = cell({ api: 'converse', status: 'supported' }, 200);

    // Act
    const settled = settleAmbiguous(chat404, [chat404, converse], unlisted);

    // Assess
    expect(settled.status).toBe('unsupported');
    expect(settled.evidence.reason).toContain(`${PROFILE} answered runtime converse`);
    expect(settled.evidence.reason).toContain(AMBIGUOUS_REASON);
  });

  it('is unsupported when no sibling answered but a runtime catalog lists the ID', () => {
    // Act
    const settled = settleAmbiguous(chat404, [chat404], listed);

    // Assess
    expect(settled.status).toBe('unsupported');
    expect(settled.evidence.reason).toContain('listed by ListInferenceProfiles');
  });

  it('is not-found when both runtime catalogs answered and neither lists the ID', () => {
    // Act
    const settled = settleAmbiguous(chat404, [chat404], unlisted);

    // Assess
    expect(settled.status).toBe('not-found');
    expect(settled.evidence.reason).toContain('in neither runtime catalog');
  });

  it('stays error when a runtime catalog failed and no sibling answered', () => {
    // Prepare
    const failed: Catalogs = { ...unlisted, inferenceProfiles: null };

    // Act
    const settled = settleAmbiguous(chat404, [chat404], failed);

    // Assess
    expect(settled.status).toBe('error');
    expect(settled.evidence.reason).toContain('a runtime catalog failed');
  });

  it('leaves every other cell untouched, a failing sibling decides nothing', () => {
    // Prepare
    const plain404 = { ...cell({ api: 'invoke', status: 'not-found' }, 404) };
    const converse400 = cell({ api: 'converse', status: 'unsupported' }, 400);

    // Act
    const [a, b, c] = settleAmbiguousCells([chat404, plain404, converse400], unlisted);

    // Assess
    expect(a?.status).toBe('not-found');
    expect(b).toBe(plain404);
    expect(c).toBe(converse400);
  });
});
