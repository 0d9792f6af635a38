import { describe, expect, it } from 'vitest';
import { appliesTo, enforcedLine, markEnforced } from '../../../lambda/core/enforced';
import {
  type CellResult,
  type EnforcedGuardrail,
  emptyEvidence,
  type ModelEntry,
} from '../../../lambda/core/model';

const NOVA: ModelEntry = {
  key: 'amazon.nova-micro',
  provider: 'Amazon',
  ids: { runtime: 'amazon.nova-micro-v1:0' },
  sources: ['foundation-models'],
};
const ACCOUNT: EnforcedGuardrail = {
  region: 'us-east-1',
  guardrailId: 'gr-org',
  guardrailVersion: '2',
  owner: 'ACCOUNT',
  includedModels: [],
  excludedModels: [],
};

const cell = (variant: CellResult['variant']): CellResult => ({
  region: 'us-east-1',
  model: NOVA.key,
  endpoint: 'runtime',
  api: 'converse',
  variant,
  status: variant === 'guardrail' ? 'enforced' : 'supported',
  evidence: emptyEvidence({
    reason: variant === 'guardrail' ? 'enforced: stop reason guardrail_intervened' : null,
  }),
});

describe('enforced guardrails', () => {
  it('cover every model unless lists narrow them; ARNs match by their model ID', () => {
    // Prepare
    const included = {
      ...ACCOUNT,
      includedModels: ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0'],
    };
    const excluded = { ...ACCOUNT, excludedModels: ['amazon.nova-micro-v1:0'] };
    const other = { ...ACCOUNT, includedModels: ['anthropic.claude-opus-4-7'] };

    // Act
    const covered = [ACCOUNT, included, excluded, other].map((g) => appliesTo(g, NOVA));

    // Assess
    expect(covered).toEqual([true, true, false, false]);
  });

  it('guardrail cells of covered models say so in evidence and reason; other cells stay as they were', () => {
    // Prepare
    const basic = cell('basic');

    // Act
    const [b, g] = markEnforced([basic, cell('guardrail')], [NOVA], [ACCOUNT]);

    // Assess
    expect(b).toBe(basic);
    expect(g?.evidence.enforcedGuardrails).toEqual(['gr-org:2 (account)']);
    expect(g?.evidence.reason).toBe(
      'enforced: stop reason guardrail_intervened (enforced guardrail gr-org:2 (account) also applies)',
    );
  });

  it('one line names them per region, and no line when none applies', () => {
    // Act
    const line = enforcedLine([ACCOUNT]);
    const none = enforcedLine([]);

    // Assess
    expect(line).toBe(
      'Enforced guardrails apply to every call, so guardrail cells may show their verdict: us-east-1: gr-org:2 (account)',
    );
    expect(none).toBeNull();
  });
});
