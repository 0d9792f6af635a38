import { describe, expect, it } from 'vitest';
import { guardrailVerdict } from '../../../lambda/core/guardrail-verdict';
import type { Observation } from '../../../lambda/core/model';
import { observation } from '../../support/observation';

const MESSAGES = ['Blocked by Example Corp.', 'Withheld by Example Corp.'];

const chat = (over: Partial<Observation>): Observation =>
  observation({
    api: 'chat',
    variant: 'guardrail',
    route: '/openai/v1',
    modelId: 'openai.gpt-oss-120b-1:0',
    ...over,
  });

describe('guardrailVerdict: every signal, none assumed', () => {
  it('a block recognised by its id and zero tokens needs no configured message', () => {
    // Prepare
    const obs = chat({
      responseId: 'bedrock-guardrails-1',
      inputTokens: 0,
      guardrail: { intervened: null, text: 'Nope.' },
    });

    // Act
    const verdict = guardrailVerdict(obs, { blockedMessages: [] });

    // Assess
    expect(verdict).toEqual({ kind: 'enforced', signals: ['bedrock-guardrails- id', '0 input tokens'] });
  });

  it("a guardrail's own message is recognised, whoever configured it", () => {
    // Prepare
    const obs = chat({ guardrail: { intervened: null, text: '  blocked BY example corp. ' } });

    // Act
    const verdict = guardrailVerdict(obs, { blockedMessages: MESSAGES });

    // Assess
    expect(verdict).toEqual({ kind: 'enforced', signals: ['configured blocked message'] });
  });

  it('a billed prompt and a model answer read as ignored on Chat', () => {
    // Prepare
    const obs = chat({
      endpoint: 'mantle',
      responseId: 'chatcmpl-1',
      inputTokens: 86,
      guardrail: { intervened: null, text: "I can't." },
    });

    // Act
    const verdict = guardrailVerdict(obs, { blockedMessages: MESSAGES });

    // Assess
    expect(verdict).toEqual({
      kind: 'ignored',
      signals: ['86 input tokens billed', 'answer is not the configured blocked message'],
    });
  });

  it('an explicit NONE with the configured message in the answer is a disagreement', () => {
    // Prepare
    const obs = chat({
      api: 'invoke',
      body: { 'amazon-bedrock-guardrailAction': 'NONE' },
      guardrail: { intervened: false, text: MESSAGES[0] as string },
    });

    // Act
    const verdict = guardrailVerdict(obs, { blockedMessages: MESSAGES });

    // Assess
    expect(verdict).toEqual({
      kind: 'disagree',
      blocked: ['configured blocked message'],
      passed: ['amazon-bedrock-guardrailAction NONE'],
    });
  });

  it('Converse: guardrail_intervened decides even when the text is not the configured message', () => {
    // Prepare
    const obs = chat({
      api: 'converse',
      route: null,
      body: { stopReason: 'guardrail_intervened' },
      guardrail: { intervened: true, text: 'Some other text' },
    });

    // Act
    const verdict = guardrailVerdict(obs, { blockedMessages: MESSAGES });

    // Assess
    expect(verdict).toEqual({ kind: 'enforced', signals: ['stop reason guardrail_intervened'] });
  });

  it('nothing to judge by is no verdict', () => {
    // Act
    const verdict = guardrailVerdict(chat({}), { blockedMessages: [] });

    // Assess
    expect(verdict).toEqual({ kind: 'none' });
  });
});
