/**
 * Golden wire fixtures: each is a real envelope (status, headers, body) with its public source.
 * It is served verbatim on loopback and read by the real SDKs through the real probe adapters,
 * so the test covers what reaches classify as well as classify itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ClassifyContext, classify } from '../../../lambda/core/classify';
import type { ProbeRequest } from '../../../lambda/engine/probe-port';
import { DEFAULTS } from '../../../lambda/shared/names';
import { useEnvelopeProber } from '../../support/envelope-prober';
import type { Envelope } from '../../support/envelope-server';
import { type ClassifyExpectation, expectClassified, GOLDEN_CONTEXT } from '../../support/golden';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'classify', 'wire');

interface WireFixture {
  readonly name: string;
  readonly source: string;
  readonly request: Pick<ProbeRequest, 'endpoint' | 'api' | 'variant' | 'route' | 'modelId' | 'family'>;
  readonly response: Envelope;
  readonly context?: ClassifyContext;
  readonly expected: ClassifyExpectation;
}

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(join(DIR, file), 'utf8')) as WireFixture] as const);

describe('golden wire fixtures through the real SDKs', () => {
  const wire = useEnvelopeProber();

  it('every fixture names a public https source and an expected status', () => {
    // Prepare: the fixture folder

    // Act
    const sources = fixtures.map(([, f]) => f.source);

    // Assess
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
    for (const s of sources) expect(s).toMatch(/^https:\/\//);
  });

  it.each(fixtures)('%s', async (_file, f) => {
    // Prepare
    wire.server.answer(f.response);
    const request: ProbeRequest = {
      region: 'us-east-1',
      modelKey: f.request.modelId,
      maxTokens: 16,
      guardrail: f.request.variant === 'guardrail' ? { id: 'gr-example', version: '1' } : null,
      canary: DEFAULTS.canary,
      ...f.request,
    };

    // Act
    const obs = await wire.probe(request, new AbortController().signal);
    const classified = classify(obs, f.context ?? GOLDEN_CONTEXT);

    // Assess
    expect(wire.server.paths.length, 'the probe reached the fixture server').toBeGreaterThan(0);
    expectClassified(f.name, obs, classified, f.expected);
    expect(classified.evidence.httpStatus).toBe(f.response.status);
  });
});
