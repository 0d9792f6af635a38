import { describe, expect, it } from 'vitest';
import { buildAlert } from '../../../lambda/core/alert-message';
import { type Change, emptyEvidence } from '../../../lambda/core/model';
import { cellChange, modelChange } from '../../support/changes';
import { ACCESS_KEY_PREFIX, BEARER_PREFIX } from '../../support/planted-secrets';

const AT = '2026-11-25T11:03:00.000Z';

const guardrailLost: Change = {
  ...cellChange({
    model: 'anthropic.claude-sonnet-4-6',
    variant: 'guardrail',
    from: 'enforced',
    to: 'ignored',
    at: AT,
  }),
  evidence: emptyEvidence({
    httpStatus: 200,
    route: '/v1',
    modelId: 'anthropic.claude-sonnet-4-6',
    outputTokens: 9,
    requestId: 'req-123',
    reason: 'answer carried no intervention marker',
  }),
};
const chatGone: Change = {
  region: 'us-east-1',
  model: 'openai.gpt-oss-120b',
  endpoint: 'mantle',
  api: 'responses',
  variant: 'basic',
  from: 'supported',
  to: 'unsupported',
  kind: 'cell',
  at: AT,
  evidence: emptyEvidence({
    httpStatus: 400,
    errorType: 'invalid_request_error',
    message: "The model does not support the '/v1/responses' API",
    route: '/openai/v1',
    modelId: 'openai.gpt-oss-120b',
  }),
};
const added = modelChange({
  model: 'qwen.qwen3-next',
  at: AT,
  evidence: emptyEvidence({ modelId: 'qwen.qwen3-next', reason: 'listed on mantle (mantle-models)' }),
});

/** The alert of a us-east-1 run `r1` confirmed at AT. */
const alertOf = (changes: readonly Change[]) =>
  buildAlert({ region: 'us-east-1', runId: 'r1', changes, at: AT });
const bodiesOf = (changes: readonly Change[]) =>
  JSON.parse(alertOf(changes).message) as Record<string, string>;

describe('buildAlert', () => {
  it('names the region, count and highest severity in a valid SNS subject', () => {
    // Act
    const alert = alertOf([added, chatGone, guardrailLost]);

    // Assess
    expect(alert.subject).toBe('bedrock-matrix: 3 changes in us-east-1 (HIGH)');
    expect(alert.subject).toMatch(/^[\x20-\x7e]{1,100}$/);
    expect(alert.messageStructure).toBe('json');
    expect(alert.attributes).toEqual({
      region: { DataType: 'String', StringValue: 'us-east-1' },
      severity: { DataType: 'String', StringValue: 'high' },
      changeCount: { DataType: 'Number', StringValue: '3' },
    });
  });

  it('writes a readable text body: one block per change with from, to, evidence, when, and what to do', () => {
    // Act
    const body = bodiesOf([added, chatGone, guardrailLost]);

    // Assess
    expect(Object.keys(body).sort()).toEqual(['default', 'email', 'https', 'lambda', 'sqs']);
    expect(body.email).toBe(body.default);
    const text = body.email!;
    // Most severe first.
    expect(
      text.indexOf('[HIGH] anthropic.claude-sonnet-4-6 mantle/chat/guardrail: enforced -> ignored'),
    ).toBeGreaterThan(0);
    expect(text.indexOf('[HIGH]')).toBeLessThan(text.indexOf('[MEDIUM]'));
    expect(text.indexOf('[MEDIUM]')).toBeLessThan(
      text.indexOf('[LOW] model added on mantle: qwen.qwen3-next'),
    );
    expect(text).toContain('  change:   supported -> unsupported');
    expect(text).toContain(
      '  evidence: HTTP 400, error type invalid_request_error, route /openai/v1, model ID openai.gpt-oss-120b',
    );
    expect(text).toContain("  message:  The model does not support the '/v1/responses' API");
    expect(text).toContain(`  when:     ${AT}`);
    expect(text).toMatch(/\nWhat to do: a Guardrail no longer stops requests/);
  });

  it('gives machines a JSON body with the changes and their severity', () => {
    // Act
    const alert = alertOf([chatGone]);
    const body = JSON.parse(alert.message) as Record<string, string>;
    const machine = JSON.parse(body.sqs!);

    // Assess
    expect(body.lambda).toBe(body.sqs);
    expect(machine).toMatchObject({
      schemaVersion: 1,
      type: 'bedrock-matrix.changes',
      region: 'us-east-1',
      runId: 'r1',
      severity: 'medium',
      changeCount: 1,
      truncated: false,
      changes: [{ model: 'openai.gpt-oss-120b', from: 'supported', to: 'unsupported', severity: 'medium' }],
    });
    expect(alert.subject).toBe('bedrock-matrix: 1 change in us-east-1 (MEDIUM)');
  });

  it('never lets a planted secret in evidence reach the message or subject', () => {
    // Prepare
    const token = `${BEARER_PREFIX}YmVkcm9jay5hbWF6b25hd3MuY29tLz9YLUFtei1TaWduYXR1cmU9YWJj`;
    const leaky: Change = {
      ...chatGone,
      evidence: emptyEvidence({
        httpStatus: 403,
        message: `rejected Authorization: Bearer ${token} X-Amz-Signature=0123456789abcdef0123456789abcdef`,
        reason: `credential ${ACCESS_KEY_PREFIX}IOSFODNN7EXAMPLE in ${token}`,
      }),
    };

    // Act
    const alert = alertOf([leaky]);

    // Assess
    const all = `${alert.subject}\n${alert.message}`;
    expect(all).not.toContain('bedrock-api-key-');
    expect(all).not.toContain('0123456789abcdef0123456789abcdef');
    expect(all).not.toContain(`${ACCESS_KEY_PREFIX}IOSFODNN7EXAMPLE`);
    expect(all).toContain('[redacted]');
  });

  it('stays under the SNS size limit for a huge change list, saying how many were left out', () => {
    // Prepare
    const many: Change[] = Array.from({ length: 3000 }, (_, i) => ({
      ...chatGone,
      model: `openai.model-${i}`,
      evidence: emptyEvidence({ message: 'x'.repeat(280) }),
    }));

    // Act
    const alert = alertOf(many);

    // Assess
    expect(Buffer.byteLength(alert.message)).toBeLessThan(256 * 1024);
    const body = JSON.parse(alert.message) as Record<string, string>;
    expect(body.email).toMatch(/\.\.\. and \d+ more changes/);
    expect(JSON.parse(body.sqs!).truncated).toBe(true);
    const chat = JSON.parse(body.https!);
    expect(chat.content.description.length).toBeLessThanOrEqual(3500);
    expect(chat.content.description).toMatch(/… and \d+ more: see the email alert/);
    expect(alert.attributes.changeCount?.StringValue).toBe('3000');
  });

  it('rejects a malformed region and an empty change list', () => {
    // Act / Assess
    expect(() => buildAlert({ region: 'US East\n1', runId: 'r1', changes: [chatGone], at: AT })).toThrow(
      'alert region must look like an AWS region, got "US East\\n1"',
    );
    expect(() => buildAlert({ region: 'us-east-1', runId: 'r1', changes: [], at: AT })).toThrow(
      'no changes to alert for run r1',
    );
  });
});

describe('the https body: an AWS Chatbot custom notification for Slack and Teams', () => {
  it('is the documented schema (version 1.0, source custom, client-markdown), most severe first', () => {
    // Act
    const body = bodiesOf([added, chatGone, guardrailLost]);
    const chat = JSON.parse(body.https!);

    // Assess
    expect(chat).toEqual({
      version: '1.0',
      source: 'custom',
      id: 'r1:us-east-1',
      content: {
        textType: 'client-markdown',
        title: '🚨 bedrock-matrix: 3 changes in us-east-1 (HIGH)',
        description: [
          '• *HIGH* `anthropic.claude-sonnet-4-6 mantle/chat/guardrail: enforced -> ignored`',
          '   `HTTP 200, route /v1, model ID anthropic.claude-sonnet-4-6, request req-123, answer carried no intervention marker`',
          '• *MEDIUM* `openai.gpt-oss-120b mantle/responses/basic: supported -> unsupported`',
          "   `HTTP 400, error type invalid_request_error, route /openai/v1, model ID openai.gpt-oss-120b, The model does not support the '/v1/responses' API`",
          '• *LOW* `model added on mantle: qwen.qwen3-next`',
          '   `model ID qwen.qwen3-next, listed on mantle (mantle-models)`',
        ].join('\n'),
        nextSteps: [
          expect.stringMatching(/^a Guardrail no longer stops requests/),
          `Details: bedrock-matrix diff --region us-east-1 --since ${AT}`,
        ],
        keywords: ['bedrock-matrix', 'us-east-1', 'high'],
      },
      metadata: {
        threadId: 'bedrock-matrix-us-east-1',
        summary: 'bedrock-matrix: 3 changes in us-east-1 (HIGH)',
        eventType: 'bedrock-matrix.changes',
        additionalContext: {
          region: 'us-east-1',
          runId: 'r1',
          severity: 'high',
          changeCount: '3',
          confirmedAt: AT,
        },
      },
    });
  });

  it('keeps a backtick or line break in evidence from breaking out of its code span', () => {
    // Prepare
    const odd: Change = { ...chatGone, evidence: emptyEvidence({ message: 'bad `input`\nsecond line' }) };

    // Act
    const chat = JSON.parse(bodiesOf([odd]).https!);

    // Assess
    expect(chat.content.description).toContain("`bad 'input' second line`");
    expect(chat.content.description.split('\n')).toHaveLength(2);
  });
});

describe('every kind of change renders in every body', () => {
  const base = {
    region: 'us-east-1',
    model: 'acme.model-x',
    api: null,
    variant: null,
    from: null,
    to: null,
    at: AT,
  };
  const kinds: [string, Change, string][] = [
    [
      'model-removed',
      { ...base, endpoint: 'runtime', kind: 'model-removed' },
      '[MEDIUM] model removed from runtime: acme.model-x',
    ],
    [
      'endpoint-appeared',
      { ...base, endpoint: 'mantle', kind: 'endpoint-appeared' },
      '[LOW] bedrock-mantle endpoint appeared in us-east-1',
    ],
    [
      'endpoint-disappeared',
      { ...base, endpoint: 'mantle', kind: 'endpoint-disappeared' },
      '[MEDIUM] bedrock-mantle endpoint disappeared from us-east-1',
    ],
    [
      'retirement-notice',
      {
        ...base,
        endpoint: 'runtime',
        kind: 'retirement-notice',
        evidence: emptyEvidence({
          reason: 'acme.model-x reaches end of life and stops answering on 2026-12-21',
        }),
      },
      '[LOW] retirement notice for acme.model-x',
    ],
    // Built as data: a kind from a newer version must still read as itself.
    [
      'a kind this version does not know',
      {
        ...base,
        endpoint: 'runtime',
        api: 'converse',
        kind: 'quota-changed',
        to: 'supported',
      } as unknown as Change,
      '[LOW] acme.model-x: quota-changed on runtime/converse: - -> supported',
    ],
  ];

  it.each(kinds)(
    '%s: a readable line in the text, the Chatbot and the JSON bodies',
    (_name, change, line) => {
      // Act
      const body = bodiesOf([change]);

      // Assess
      expect(body.email).toContain(line);
      const headline = line.replace(/^\[[A-Z]+\] /, '');
      expect(JSON.parse(body.https!).content.description).toContain(`\`${headline}\``);
      expect(JSON.parse(body.sqs!).changes[0].kind).toBe(change.kind);
    },
  );

  it('carries the retirement notice text as the reason', () => {
    // Act
    const body = bodiesOf([kinds[3]![1]]);

    // Assess
    expect(body.email).toContain(
      '  reason:   acme.model-x reaches end of life and stops answering on 2026-12-21',
    );
    expect(JSON.parse(body.https!).content.title).toBe('ℹ️ bedrock-matrix: 1 change in us-east-1 (LOW)');
  });

  it('tells the reader of a retirement notice to move off the model, not that no action is needed', () => {
    // Act
    const body = bodiesOf([kinds[3]![1]]);

    // Assess
    expect(body.email).toContain(
      'What to do: move callers of the model above to a successor before that date',
    );
    expect(JSON.parse(body.https!).content.nextSteps[0]).toMatch(/^move callers of the model/);
    expect(body.email).not.toContain('No action is needed');
  });
});

describe('buildAlert with enforced guardrails', () => {
  it("says in one line that an account guardrail applies to every call of the alert's region", () => {
    // Prepare
    const report = {
      schemaVersion: 1,
      runId: 'run-1',
      startedAt: AT,
      finishedAt: AT,
      partial: false,
      regions: ['us-east-1', 'eu-west-1'],
      models: [],
      cells: [],
      changes: [],
      summary: { cells: 0, models: 0, probesSent: 0, byStatus: {}, byEndpointApi: {} },
      enforcedGuardrails: [
        {
          region: 'us-east-1',
          guardrailId: 'gr-org',
          guardrailVersion: '3',
          owner: 'ACCOUNT',
          includedModels: [],
          excludedModels: [],
        },
        {
          region: 'eu-west-1',
          guardrailId: 'gr-eu',
          guardrailVersion: '1',
          owner: 'ACCOUNT',
          includedModels: [],
          excludedModels: [],
        },
      ],
    } as const;

    // Act
    const alert = buildAlert({
      region: 'us-east-1',
      runId: 'run-1',
      changes: [guardrailLost],
      report,
      at: AT,
    });
    const without = buildAlert({ region: 'us-east-1', runId: 'run-1', changes: [guardrailLost], at: AT });

    // Assess
    const text = (JSON.parse(alert.message) as Record<string, string>).email ?? '';
    expect(text).toContain(
      'Note: Enforced guardrails apply to every call, so guardrail cells may show their verdict: us-east-1: gr-org:3 (account)',
    );
    expect(text).not.toContain('gr-eu');
    expect((JSON.parse(without.message) as Record<string, string>).email).not.toContain(
      'Enforced guardrails',
    );
  });
});
