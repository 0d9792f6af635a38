import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeClients, createProber } from '../../../lambda/adapters/probes';
import { declaredDisagreements } from '../../../lambda/core/declared';
import type { Report } from '../../../lambda/core/model';
import {
  type Api,
  type CellResult,
  type Endpoint,
  FEATURE_VARIANTS,
  type Variant,
} from '../../../lambda/core/model';
import { retirementNotices } from '../../../lambda/core/retirement';
import { assembleReport } from '../../../lambda/engine/report';
import type { RegionRun } from '../../../lambda/engine/run-region';
import { loadScenario } from '../../../simulator/scenario';
import type { Scenario } from '../../../simulator/types';
import { findCell } from '../../support/cells';
import { probeSimulator, SIM_CANARY } from '../../support/sim-run';
import { SIM_CREDENTIALS, simulatorEnv, type TestSimulator, withSimulator } from '../../support/simulator';

// The whole probe path with real parts: catalogs through @aws-sdk/client-bedrock and the openai
// SDK, probes through the AWS, openai and Anthropic SDKs over HTTP to the local simulator.

const cellOf = (run: RegionRun, model: string, endpoint: Endpoint, api: Api, variant?: Variant): CellResult =>
  findCell(run.cells, model, endpoint, api, variant);

describe('runRegion against the simulator (tiny scenario)', () => {
  let sim: TestSimulator;
  let run: RegionRun;

  beforeAll(async () => {
    // Prepare
    sim = await withSimulator('tiny');

    // Act
    run = await probeSimulator(sim);
  });
  afterAll(async () => sim?.close());

  it('reaches gpt-oss through a different ID on each host', () => {
    // Assess
    expect(cellOf(run, 'openai.gpt-oss-20b', 'mantle', 'chat').evidence).toMatchObject({
      modelId: 'openai.gpt-oss-20b',
      route: '/v1',
      httpStatus: 200,
    });
    expect(cellOf(run, 'openai.gpt-oss-20b', 'runtime', 'chat').evidence).toMatchObject({
      modelId: 'openai.gpt-oss-20b-1:0',
      route: '/openai/v1',
    });
    expect(cellOf(run, 'openai.gpt-oss-20b', 'runtime', 'converse').status).toBe('supported');
  });

  it('proves each feature variant where it works and refuses it where it does not', () => {
    // Assess
    for (const v of FEATURE_VARIANTS) {
      expect(cellOf(run, 'openai.gpt-oss-20b', 'mantle', 'responses', v).status, v).toBe('supported');
    }
    expect(cellOf(run, 'openai.gpt-oss-20b', 'mantle', 'chat', 'stream').status).toBe('supported');
    expect(cellOf(run, 'openai.gpt-oss-20b', 'runtime', 'converse', 'tools').status).toBe('supported');
    expect(cellOf(run, 'openai.gpt-oss-20b', 'runtime', 'invoke', 'stream').status).toBe('supported');
    // Runtime Responses are synchronous only (docs/bedrock-wire.md, hosts and paths).
    expect(cellOf(run, 'openai.gpt-oss-20b', 'runtime', 'responses', 'background').status).toBe(
      'unsupported',
    );
  });

  it('sees the guardrail enforced on runtime and ignored on mantle', () => {
    // Assess
    expect(cellOf(run, 'openai.gpt-oss-20b', 'runtime', 'converse', 'guardrail').status).toBe('enforced');
    expect(cellOf(run, 'openai.gpt-oss-20b', 'runtime', 'invoke', 'guardrail').status).toBe('enforced');
    expect(cellOf(run, 'openai.gpt-oss-20b', 'runtime', 'chat', 'guardrail').status).toBe('enforced');
    expect(cellOf(run, 'openai.gpt-oss-20b', 'mantle', 'chat', 'guardrail').status).toBe('ignored');
    expect(cellOf(run, 'openai.gpt-oss-20b', 'runtime', 'responses', 'guardrail').status).toBe('ignored');
    expect(run.guardrailControl?.status).toBe('enforced');
  });

  it('uses the inference profile for a profile-only model and says so', () => {
    // Assess
    const converse = cellOf(run, 'anthropic.claude-sonnet-4-6', 'runtime', 'converse');
    expect(converse.status).toBe('supported');
    expect(converse.evidence.modelId).toBe('us.anthropic.claude-sonnet-4-6');
    expect(cellOf(run, 'anthropic.claude-sonnet-4-6', 'mantle', 'messages').status).toBe('supported');
    expect(cellOf(run, 'anthropic.claude-sonnet-4-6', 'mantle', 'chat').status).toBe('unsupported');
  });

  it('finds a /openai/v1-only model after /v1 refuses it, keeping what was tried', () => {
    // Assess
    const responses = cellOf(run, 'openai.gpt-5.4', 'mantle', 'responses');
    expect(responses.status).toBe('supported');
    expect(responses.evidence.route).toBe('/openai/v1');
    expect(responses.evidence.tried?.[0]).toMatch(/^\/v1 openai\.gpt-5\.4: unsupported/);
  });

  it('tells access denied and legacy lock-out apart from a model that left the catalog', () => {
    // Assess
    expect(cellOf(run, 'meta.llama3-70b-instruct', 'runtime', 'converse').evidence.httpStatus).toBe(403);
    expect(cellOf(run, 'meta.llama3-70b-instruct', 'runtime', 'converse').status).toBe('no-access');
    expect(cellOf(run, 'anthropic.claude-3-haiku-20240307', 'runtime', 'converse').evidence.httpStatus).toBe(
      404,
    );
    expect(cellOf(run, 'anthropic.claude-3-haiku-20240307', 'runtime', 'converse').status).toBe('no-access');
    // End of life: ListFoundationModels no longer lists it, so no cell pretends to know it.
    expect(run.models.map((m) => m.key)).not.toContain('anthropic.claude-v2');
  });

  it('settles cells of a model absent from a host without spending a call', () => {
    // Assess
    const cell = cellOf(run, 'xai.grok-4.3', 'runtime', 'converse');
    expect(cell.status).toBe('not-found');
    expect(cell.evidence.httpStatus).toBeNull();
    expect(cell.evidence.reason).toMatch(/absent from ListFoundationModels/);
  });

  it('speaks the alternate request shape of chat, responses and messages on the wire', async () => {
    // Prepare
    const prober = createProber(
      createProbeClients({ region: sim.region, env: simulatorEnv(sim), credentials: SIM_CREDENTIALS }),
    );
    const alternate = (api: 'chat' | 'responses' | 'messages', modelId: string, route: string) =>
      prober({
        region: sim.region,
        endpoint: 'mantle',
        api,
        variant: 'basic',
        modelKey: modelId,
        modelId,
        route,
        family: null,
        maxTokens: 16,
        guardrail: null,
        canary: SIM_CANARY,
        shape: 'alternate',
      });

    // Act
    const answers = await Promise.all([
      alternate('chat', 'openai.gpt-oss-20b', '/v1'),
      alternate('responses', 'openai.gpt-oss-20b', '/v1'),
      alternate('messages', 'anthropic.claude-sonnet-4-6', '/anthropic/v1'),
    ]);

    // Assess
    expect(answers.map((a) => a.httpStatus)).toEqual([200, 200, 200]);
  });

  it('never lets a bearer token, signature or credential into a result', () => {
    // Assess
    const text = JSON.stringify({ cells: run.cells, control: run.guardrailControl, models: run.models });
    expect(text).not.toMatch(/bedrock-api-key-|X-Amz-Signature|Signature=|Credential=/);
    expect(text).not.toContain(SIM_CREDENTIALS.secretAccessKey);
    expect(text).not.toContain(sim.bearerToken.slice(16, 48));
  });
});

describe('runRegion under injected faults', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    const tiny = await loadScenario('tiny');
    const faulty: Scenario = {
      ...tiny,
      faults: [
        { type: 'throttle', count: 2, match: { host: 'mantle', api: 'chat', model: 'openai.gpt-oss-20b' } },
        {
          type: 'throttle',
          count: 50,
          match: { host: 'mantle', api: 'responses', model: 'openai.gpt-oss-20b' },
        },
        {
          type: 'server-error',
          status: 503,
          match: { host: 'runtime', api: 'converse', model: 'amazon.nova-micro-v1:0' },
        },
        // One model's serving path broken: 500 on every call while mantle serves gpt-oss (lace#355).
        { type: 'server-error', status: 500, match: { host: 'mantle', model: 'openai.gpt-5.4' } },
        {
          type: 'slow',
          delayMs: 20_000,
          match: { host: 'runtime', api: 'invoke', model: 'amazon.nova-micro-v1:0' },
        },
      ],
    };
    sim = await withSimulator(faulty);
  });
  afterAll(async () => sim?.close());

  it('completes with retried cells ending right and nothing hanging', async () => {
    // Act: a 1 s probe timeout against a host 20 s slow; the run resolving at all shows nothing hangs
    const run = await probeSimulator(sim, 1_000);

    // Assess
    expect(cellOf(run, 'openai.gpt-oss-20b', 'mantle', 'chat').status).toBe('supported');
    expect(cellOf(run, 'openai.gpt-oss-20b', 'mantle', 'responses').status).toBe('throttled');
    const converse = cellOf(run, 'amazon.nova-micro', 'runtime', 'converse');
    expect(converse.status).toBe('error');
    expect(converse.evidence.httpStatus).toBe(503);
    const invoke = cellOf(run, 'amazon.nova-micro', 'runtime', 'invoke');
    expect(invoke.status).toBe('error');
    expect(invoke.evidence.reason).toMatch(/time/i);
    // A 500 on every try while the host serves other models is its own reason; a 503 is not.
    const broken = cellOf(run, 'openai.gpt-5.4', 'mantle', 'responses');
    expect(broken.status).toBe('error');
    expect(broken.evidence.reason).toMatch(
      /^broken serving path: HTTP 500 on every one of 3 tries while bedrock-mantle serves other models/,
    );
    expect(converse.evidence.reason).toMatch(/^service error \(HTTP 503\)/);
  });
});

describe('runRegion keeps what the control plane declares', () => {
  let sim: TestSimulator;
  let report: Report;

  beforeAll(async () => {
    // Prepare: gpt-oss-20b enters LEGACY in 10 days and reaches end of life in 20; its catalog
    // entry says it does not stream, though it does.
    const tiny = await loadScenario('tiny');
    const retiring: Scenario = {
      ...tiny,
      models: tiny.models.map((m) =>
        m.key === 'openai.gpt-oss-20b' && m.runtime
          ? {
              ...m,
              runtime: { ...m.runtime, legacyTime: 'P10D', endOfLifeTime: 'P20D', declaredStreaming: false },
            }
          : m,
      ),
    };
    sim = await withSimulator(retiring);

    // Act
    const run = await probeSimulator(sim);
    const now = new Date().toISOString();
    report = assembleReport({
      runId: 'r1',
      startedAt: now,
      finishedAt: now,
      source: 'simulator',
      runs: [run],
    });
  });
  afterAll(async () => sim?.close());

  it('gives the report the lifecycle dates, so the retirement notices reach the reader', () => {
    // Act
    const notices = retirementNotices(report);

    // Assess
    expect(notices.map((n) => [n.model, n.kind, n.daysLeft])).toEqual([
      ['openai.gpt-oss-20b', 'legacy', 10],
      ['openai.gpt-oss-20b', 'end-of-life', 20],
    ]);
  });

  it('gives the report the declared streaming flag, so a disagreement with the measurement shows', () => {
    // Act
    const disagreements = declaredDisagreements(report);

    // Assess
    expect(disagreements).toContainEqual(
      expect.objectContaining({
        model: 'openai.gpt-oss-20b',
        topic: 'streaming',
        declared: 'responseStreamingSupported: false',
      }),
    );
  });
});
