import { describe, expect, it } from 'vitest';
import { classify } from '../../../../lambda/core/classify';
import type { ProbeRequest } from '../../../../lambda/engine/probe-port';
import { DEFAULTS } from '../../../../lambda/shared/names';
import { useEnvelopeProber } from '../../../support/envelope-prober';
import { GOLDEN_CONTEXT } from '../../../support/golden';

// A host (or a proxy before it) answering megabytes to a 16-token probe: reading stops past the
// limit (1 MB here) on every client, and the cell is `error`, whatever the status says.

const KB = 'x'.repeat(1024);

const wire = useEnvelopeProber({ maxAnswerMb: 1 });

const request = (over: Pick<ProbeRequest, 'endpoint' | 'api' | 'variant' | 'route'>): ProbeRequest => ({
  region: 'us-east-1',
  modelKey: 'openai.gpt-oss-120b',
  modelId: 'openai.gpt-oss-120b',
  family: null,
  maxTokens: 16,
  guardrail: null,
  canary: DEFAULTS.canary,
  ...over,
});

const CASES = [
  ['mantle chat (fetch)', { endpoint: 'mantle', api: 'chat', variant: 'basic', route: '/v1' }],
  [
    'mantle messages (fetch)',
    { endpoint: 'mantle', api: 'messages', variant: 'basic', route: '/anthropic/v1' },
  ],
  ['runtime converse (AWS SDK)', { endpoint: 'runtime', api: 'converse', variant: 'basic', route: null }],
  [
    'runtime converse stream (AWS SDK)',
    { endpoint: 'runtime', api: 'converse', variant: 'stream', route: null },
  ],
] as const;

describe('an answer larger than the limit', () => {
  it.each(CASES)('%s: 3 MB streamed without a length is error "answer larger than 1 MB"', async (_, over) => {
    // Prepare
    wire.server.answer({ status: 200, body: `{"pad":"${KB}`, repeat: 3 * 1024 });

    // Act
    const obs = await wire.probe(request(over), new AbortController().signal);
    const { status, evidence } = classify(obs, GOLDEN_CONTEXT);

    // Assess
    expect(status).toBe('error');
    expect(evidence.reason).toBe('answer not read: answer larger than 1 MB');
    expect(evidence.httpStatus).toBe(200);
  });

  it.each(CASES)('%s: a declared Content-Length of 3 MB is refused before reading', async (_, over) => {
    // Prepare
    wire.server.answer({
      status: 200,
      headers: { 'content-length': String(3 * 1024 * 1024 + 8) },
      body: `{"pad":"${KB}`,
      repeat: 3 * 1024,
    });

    // Act
    const obs = await wire.probe(request(over), new AbortController().signal);

    // Assess
    expect(classify(obs, GOLDEN_CONTEXT).evidence.reason).toBe('answer not read: answer larger than 1 MB');
  });

  it('a huge 404 is error, never not-found (its body was not read)', async () => {
    // Prepare
    wire.server.answer({ status: 404, body: `{"message":"${KB}`, repeat: 3 * 1024 });

    // Act
    const obs = await wire.probe(request(CASES[0][1]), new AbortController().signal);
    const { status, evidence } = classify(obs, GOLDEN_CONTEXT);

    // Assess
    expect(status).toBe('error');
    expect(evidence.httpStatus).toBe(404);
    expect(evidence.reason).toBe('answer not read: answer larger than 1 MB');
  });
});
