import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ClassifyContext, classify, isIamDenial } from '../../../lambda/core/classify';
import { emptyEvidence, type Observation, STATUSES } from '../../../lambda/core/model';
import { isAuthFailure, refusalKind } from '../../../lambda/core/wire-text';
import { type ClassifyExpectation, expectClassified } from '../../support/golden';
import { observation } from '../../support/observation';

const FIXTURE_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'classify');

/** The probe Guardrail's configured messages, as the stack deploys them. */
const CTX: ClassifyContext = {
  blockedMessages: [
    'Sorry, the bedrock-matrix probe guardrail blocked this input.',
    'Sorry, the bedrock-matrix probe guardrail blocked this output.',
  ],
};

interface Fixture {
  readonly file: string;
  readonly name: string;
  readonly source: string;
  readonly observation: Observation;
  readonly context?: ClassifyContext;
  readonly expected: ClassifyExpectation;
}

const loadFixtures = (): Fixture[] =>
  readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as Omit<Fixture, 'file'>),
    }));

const fixtures = loadFixtures();

const base = observation;

describe('golden fixtures', () => {
  it('the fixture folder holds well-formed fixtures for every status classify can produce', () => {
    // Prepare
    // Every status but `skipped`: only the engine skips a cell, classify never does.
    const produced = STATUSES.filter((s) => s !== 'skipped');

    // Act
    const statuses = new Set(fixtures.map((f) => f.expected.status));

    // Assess
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
    for (const f of fixtures) {
      expect(f.name, f.file).toBeTruthy();
      expect(f.source, f.file).toBeTruthy();
      expect(STATUSES, f.file).toContain(f.expected.status);
    }
    expect([...statuses].sort()).toEqual([...produced].sort());
  });

  it.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, f) => {
    // Prepare
    const ctx = f.context ?? CTX;

    // Act
    const classified = classify(f.observation, ctx);
    const { evidence } = classified;

    // Assess
    expectClassified(f.name, f.observation, classified, f.expected);
    expect(evidence.httpStatus).toBe(f.observation.httpStatus);
    expect(evidence.modelId).toBe(f.observation.modelId);
  });
});

describe('classify rules', () => {
  it('distinguishes the misleading 401 "is not enabled" (wrong route) from 403 "Model access is not enabled"', () => {
    // Prepare
    const wrongRoute = base({
      endpoint: 'mantle',
      api: 'chat',
      route: '/v1',
      httpStatus: 401,
      message: 'Model x is not enabled',
    });
    const noAccess = { ...wrongRoute, httpStatus: 403, message: 'Model access is not enabled' };

    // Act
    const a = classify(wrongRoute, CTX);
    const b = classify(noAccess, CTX);

    // Assess
    expect([a.status, refusalKind(wrongRoute)]).toEqual(['unsupported', 'wrong-route']);
    expect([b.status, refusalKind(noAccess)]).toEqual(['no-access', null]);
  });

  it('never calls an authentication failure no-access or unsupported', () => {
    // Prepare
    const shapes: Observation[] = [
      base({ httpStatus: 401, errorCode: 'invalid_api_key', message: 'Invalid bearer token' }),
      base({
        httpStatus: 403,
        errorName: 'AccessDeniedException',
        body: { Message: 'Invalid API Key format: Must start with pre-defined prefix' },
      }),
      base({ httpStatus: 403, message: 'Authentication failed: Please make sure your API Key is valid.' }),
      base({
        httpStatus: 403,
        errorName: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      }),
      base({ httpStatus: 401, message: 'Unauthorized' }),
    ];

    // Act
    const results = shapes.map((o) => classify(o, CTX));

    // Assess
    for (const r of results) {
      expect(r.status).toBe('error');
      expect(r.evidence.reason).toMatch(/^authentication failed/);
    }
    expect(shapes.every(isAuthFailure)).toBe(true);
  });

  it('a 200 that stopped on the token limit with no text is still supported', () => {
    // Prepare
    const obs = base({
      outputTokens: 16,
      body: { stopReason: 'max_tokens', output: { message: { content: [] } } },
    });

    // Act
    const { status } = classify(obs, CTX);

    // Assess
    expect(status).toBe('supported');
  });

  it('a feature 400 is unsupported but the same 400 on basic is an unknown shape (error)', () => {
    // Prepare
    const refusal = {
      httpStatus: 400,
      errorName: 'invalid_request_error',
      message: 'Background mode is not supported.',
    };
    const feature = base({ api: 'responses', variant: 'background', ...refusal });
    const basic = base({ api: 'responses', variant: 'basic', ...refusal });

    // Act
    const f = classify(feature, CTX);
    const b = classify(basic, CTX);

    // Assess
    expect(f.status).toBe('unsupported');
    expect(f.evidence.reason).toContain('Background mode is not supported.');
    expect(b.status).toBe('error');
    expect(b.evidence.errorType).toBe('invalid_request_error');
  });

  it('a failed feature check gives unsupported with the check detail as reason', () => {
    // Prepare
    const obs = base({ variant: 'stream', check: { passed: false, detail: 'no contentBlockDelta event' } });

    // Act
    const { status, evidence } = classify(obs, CTX);

    // Assess
    expect(status).toBe('unsupported');
    expect(evidence.reason).toContain('no contentBlockDelta event');
  });

  it('matches blocked messages trimmed and case-insensitively, and an empty configured message matches nothing', () => {
    // Prepare: Chat has no marker, so the text is what speaks
    const obs = base({
      api: 'chat',
      variant: 'guardrail',
      guardrail: { intervened: null, text: 'Here you go: the canary.' },
    });
    const blockedText = base({
      api: 'chat',
      variant: 'guardrail',
      guardrail: { intervened: null, text: '\n  BLOCKED BY POLICY  \n' },
    });
    const ctx: ClassifyContext = { blockedMessages: ['', '   ', ' Blocked by policy '] };

    // Act
    const answered = classify(obs, ctx);
    const blocked = classify(blockedText, ctx);

    // Assess
    expect(answered.status).toBe('ignored');
    expect(blocked.status).toBe('enforced');
  });

  it('says how many output tokens an ignored guardrail cost', () => {
    // Prepare
    const obs = base({
      endpoint: 'mantle',
      api: 'chat',
      variant: 'guardrail',
      outputTokens: 9,
      guardrail: { intervened: null, text: 'ok' },
    });

    // Act
    const { status, evidence } = classify(obs, CTX);

    // Assess
    expect(status).toBe('ignored');
    expect(evidence.reason).toContain('9 output tokens billed');
    expect(evidence.outputTokens).toBe(9);
  });

  it('copies the measurements and nulls what the observation lacks', () => {
    // Prepare
    const full = base({
      latencyMs: 812,
      ttfbMs: 300,
      inputTokens: 10,
      outputTokens: 4,
      requestId: 'abc-1',
      responseId: 'resp_9',
      route: '/v1',
    });
    const bare = base({});

    // Act
    const a = classify(full, CTX).evidence;
    const b = classify(bare, CTX).evidence;

    // Assess
    expect(a).toMatchObject({
      latencyMs: 812,
      ttfbMs: 300,
      inputTokens: 10,
      outputTokens: 4,
      requestId: 'abc-1',
      responseIdPrefix: 'resp_',
      route: '/v1',
    });
    expect(b).toEqual(emptyEvidence({ httpStatus: 200, modelId: 'amazon.nova-micro-v1:0' }));
  });

  it('keeps the evidence message short: 300 characters with an ellipsis', () => {
    // Prepare
    const obs = base({
      httpStatus: 400,
      errorName: 'ValidationException',
      message: `Malformed input request: ${'y '.repeat(1000)}`,
    });

    // Act
    const { evidence } = classify(obs, CTX);

    // Assess
    expect(evidence.message).toHaveLength(300);
    expect(evidence.message?.endsWith('…')).toBe(true);
  });

  it('is pure: frozen input, same answer twice', () => {
    // Prepare
    const obs = Object.freeze(
      base({
        variant: 'guardrail',
        body: Object.freeze({ stopReason: 'guardrail_intervened' }),
        outputTokens: 0,
      }),
    );

    // Act
    const first = classify(obs, CTX);
    const second = classify(obs, CTX);

    // Assess
    expect(first).toEqual(second);
    expect(first.status).toBe('enforced');
  });
});

describe('isIamDenial', () => {
  it("is true for the prober role's IAM denial and false for model access and Marketplace denials", () => {
    // Prepare
    const denial = (message: string) =>
      classify(base({ httpStatus: 403, errorName: 'AccessDeniedException', message }), CTX).evidence;
    const iam = denial(
      'User: arn:aws:sts::123456789012:assumed-role/p/fn is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:x because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action',
    );
    const access = denial("You don't have access to the model with the specified model ID.");
    const marketplace = denial(
      'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.',
    );

    // Act
    const flags = [iam, access, marketplace].map(isIamDenial);

    // Assess
    expect(flags).toEqual([true, false, false]);
    expect(iam.reason).toMatch(/^IAM denied: bedrock:InvokeModelWithResponseStream: /);
    expect(marketplace.reason).toMatch(/^not subscribed/);
  });
});
