import { describe, expect, it } from 'vitest';
import { buildAlert } from '../../../lambda/core/alert-message';
import { type Change, emptyEvidence } from '../../../lambda/core/model';
import { ACCESS_KEY_PREFIX, BEARER_PREFIX } from '../../support/planted-secrets';

const AT = '2026-11-25T11:03:00.000Z';

const guardrailLost: Change = {
  region: 'us-east-1',
  model: 'anthropic.claude-sonnet-4-6',
  endpoint: 'mantle',
  api: 'chat',
  variant: 'guardrail',
  from: 'enforced',
  to: 'ignored',
  kind: 'cell',
  at: AT,
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
const added: Change = {
  region: 'us-east-1',
  model: 'qwen.qwen3-next',
  endpoint: 'mantle',
  api: null,
  variant: null,
  from: null,
  to: null,
  kind: 'model-added',
  at: AT,
  evidence: emptyEvidence({ modelId: 'qwen.qwen3-next', reason: 'listed on mantle (mantle-models)' }),
};

describe('buildAlert', () => {
  it('names the region, count and highest severity in a valid SNS subject', () => {
    // Act
    const alert = buildAlert({
      region: 'us-east-1',
      runId: 'r1',
      changes: [added, chatGone, guardrailLost],
      at: AT,
    });

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
    const alert = buildAlert({
      region: 'us-east-1',
      runId: 'r1',
      changes: [added, chatGone, guardrailLost],
      at: AT,
    });
    const body = JSON.parse(alert.message) as Record<string, string>;

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
    const alert = buildAlert({ region: 'us-east-1', runId: 'r1', changes: [chatGone], at: AT });
    const body = JSON.parse(alert.message) as Record<string, string>;
    const machine = JSON.parse(body.sqs!);

    // Assess
    expect(body.lambda).toBe(body.sqs);
    expect(body.https).toBe(body.sqs);
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
    const alert = buildAlert({ region: 'us-east-1', runId: 'r1', changes: [leaky], at: AT });

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
    const alert = buildAlert({ region: 'us-east-1', runId: 'r1', changes: many, at: AT });

    // Assess
    expect(Buffer.byteLength(alert.message)).toBeLessThan(256 * 1024);
    const body = JSON.parse(alert.message) as Record<string, string>;
    expect(body.email).toMatch(/\.\.\. and \d+ more changes/);
    expect(JSON.parse(body.sqs!).truncated).toBe(true);
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
