import { describe, expect, it } from 'vitest';
import { GUARDRAIL_SIGNALS, guardrailVerdict } from '../../../lambda/core/guardrail-verdict';
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
    expect(verdict).toEqual({
      kind: 'enforced',
      signals: ['bedrock-guardrails- id', '0 input tokens'],
      decidedBy: 'bedrock-guardrails- id (decisive)',
      overruled: [],
    });
  });

  it("a guardrail's own message is recognised, whoever configured it", () => {
    // Prepare
    const obs = chat({ guardrail: { intervened: null, text: '  blocked BY example corp. ' } });

    // Act
    const verdict = guardrailVerdict(obs, { blockedMessages: MESSAGES });

    // Assess
    expect(verdict).toEqual({
      kind: 'enforced',
      signals: ['configured blocked message'],
      decidedBy: 'configured blocked message (weak)',
      overruled: [],
    });
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
      decidedBy: '86 input tokens billed (decisive)',
      overruled: [],
    });
  });

  it('an explicit NONE outweighs the configured message in the answer (wording is weak)', () => {
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
      kind: 'ignored',
      signals: ['amazon-bedrock-guardrailAction NONE'],
      decidedBy: 'amazon-bedrock-guardrailAction NONE (decisive)',
      overruled: ['configured blocked message (weak)'],
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
    expect(verdict).toEqual({
      kind: 'enforced',
      signals: ['stop reason guardrail_intervened'],
      decidedBy: 'stop reason guardrail_intervened (decisive)',
      overruled: [],
    });
  });

  it('nothing to judge by is no verdict', () => {
    // Act
    const verdict = guardrailVerdict(chat({}), { blockedMessages: [] });

    // Assess
    expect(verdict).toEqual({ kind: 'none' });
  });
});

describe('guardrailVerdict: the strongest signal decides', () => {
  const markerless = ['chat', 'responses', 'messages'] as const;

  it.each(markerless)(
    '%s: 0 input tokens (decisive) outweigh an answer that is not the configured message (weak)',
    (api) => {
      // Prepare
      const obs = chat({
        api,
        inputTokens: 0,
        guardrail: { intervened: null, text: 'Request refused by policy.' },
      });

      // Act
      const verdict = guardrailVerdict(obs, { blockedMessages: MESSAGES });

      // Assess
      expect(verdict).toEqual({
        kind: 'enforced',
        signals: ['0 input tokens'],
        decidedBy: '0 input tokens (decisive)',
        overruled: ['answer is not the configured blocked message (weak)'],
      });
    },
  );

  it.each(markerless)(
    '%s: a billed prompt (decisive) outweighs the configured message in the answer (weak)',
    (api) => {
      // Prepare
      const obs = chat({
        api,
        inputTokens: 12,
        guardrail: { intervened: null, text: MESSAGES[0] as string },
      });

      // Act
      const verdict = guardrailVerdict(obs, { blockedMessages: MESSAGES });

      // Assess
      expect(verdict).toMatchObject({
        kind: 'ignored',
        decidedBy: '12 input tokens billed (decisive)',
        overruled: ['configured blocked message (weak)'],
      });
    },
  );

  it('Converse: a plain stop reason (strong) outweighs the configured message (weak)', () => {
    // Prepare
    const obs = chat({
      api: 'converse',
      route: null,
      body: { stopReason: 'end_turn' },
      guardrail: { intervened: false, text: MESSAGES[1] as string },
    });

    // Act
    const verdict = guardrailVerdict(obs, { blockedMessages: MESSAGES });

    // Assess
    expect(verdict).toMatchObject({ kind: 'ignored', decidedBy: 'stop reason end_turn (strong)' });
  });

  it('two decisive signals to the contrary are no verdict, both named', () => {
    // Prepare: InvokeModel says NONE at the top and INTERVENED in its trace
    const obs = chat({
      api: 'invoke',
      route: null,
      body: {
        'amazon-bedrock-guardrailAction': 'NONE',
        'amazon-bedrock-trace': { guardrails: { input: { x: { action: 'BLOCKED' } } } },
      },
    });

    // Act
    const verdict = guardrailVerdict(obs, { blockedMessages: [] });

    // Assess
    expect(verdict).toEqual({
      kind: 'disagree',
      blocked: ['guardrail trace intervened'],
      passed: ['amazon-bedrock-guardrailAction NONE'],
      strength: 'decisive',
    });
  });

  it('the table rates only the answer wording weak', () => {
    // Act
    const weak = Object.entries(GUARDRAIL_SIGNALS)
      .filter(([, s]) => s.strength === 'weak')
      .map(([k]) => k);

    // Assess
    expect(weak.sort()).toEqual(['blockedMessage', 'notBlockedMessage']);
  });
});
