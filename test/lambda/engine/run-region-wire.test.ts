/**
 * The misreadings of issue 10, each expressed as a scenario and probed with the real SDKs against
 * the simulator through runRegion, so each test shows the status a user now sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIamDenial } from '../../../lambda/core/classify';
import { assembleReport } from '../../../lambda/engine/report';
import type { RegionRun } from '../../../lambda/engine/run-region';
import { loadScenario } from '../../../simulator/scenario';
import type { Scenario } from '../../../simulator/types';
import { findCell } from '../../support/cells';
import { probeSimulator } from '../../support/sim-run';
import { type TestSimulator, withSimulator } from '../../support/simulator';

const USER_BLOCKED = 'Example Corp policy: this request cannot be processed.';

/** The probe path as run-region.test.ts runs it, with 3 s per call. */
const probe = (sim: TestSimulator, guardrailId?: string): Promise<RegionRun> =>
  probeSimulator(sim, 3_000, guardrailId);

/** tiny.json with Nova denied by the prober's own IAM role and an account-level guardrail. */
async function wireScenario(): Promise<Scenario> {
  const tiny = await loadScenario('tiny');
  return {
    ...tiny,
    enforcedGuardrails: [{ guardrailId: 'gr-org', guardrailVersion: '3', excludedModels: ['xai.grok-4.3'] }],
    models: tiny.models.map((m) =>
      m.key === 'amazon.nova-micro-v1:0' && m.runtime
        ? { ...m, runtime: { ...m.runtime, access: 'iam-denied' } }
        : m,
    ),
  };
}

describe('issue 10 misreadings, probed through the real SDKs', () => {
  let sim: TestSimulator;
  let run: RegionRun;
  let userRun: RegionRun;
  beforeAll(async () => {
    // Prepare
    sim = await withSimulator(await wireScenario());

    // Act
    run = await probe(sim);
    userRun = await probe(sim, 'gr-user');
  });
  afterAll(async () => sim?.close());

  it('runtime /openai/v1 404 model_not_found for a model Converse reaches is unsupported, not not-found', () => {
    // Assess
    const chat = findCell(run.cells, 'anthropic.claude-sonnet-4-6', 'runtime', 'chat');
    expect(chat.status).toBe('unsupported');
    expect(chat.evidence.httpStatus).toBe(404);
    expect(chat.evidence.reason).toContain('answered runtime');
    expect(findCell(run.cells, 'anthropic.claude-sonnet-4-6', 'runtime', 'converse').status).toBe(
      'supported',
    );
  });

  it('an IAM denial of the prober role is no-access naming bedrock:InvokeModel, for the metric to count', () => {
    // Assess
    const converse = findCell(run.cells, 'amazon.nova-micro', 'runtime', 'converse');
    expect(converse.status).toBe('no-access');
    expect(converse.evidence.reason).toMatch(/^IAM denied: bedrock:InvokeModel/);
    expect(isIamDenial(converse.evidence)).toBe(true);
    expect(isIamDenial(findCell(run.cells, 'meta.llama3-70b-instruct', 'runtime', 'converse').evidence)).toBe(
      false,
    );
  });

  it("--guardrail-id with a guardrail that is not the stack's: blocks are enforced on every api where it applies", () => {
    // Assess
    for (const api of ['converse', 'invoke', 'chat'] as const) {
      const cell = findCell(userRun.cells, 'openai.gpt-oss-20b', 'runtime', api, 'guardrail');
      expect(cell.status, api).toBe('enforced');
    }
    const chat = findCell(userRun.cells, 'openai.gpt-oss-20b', 'runtime', 'chat', 'guardrail');
    expect(chat.evidence.reason).toContain(
      'enforced: bedrock-guardrails- id, 0 input tokens, configured blocked message',
    );
    expect(
      findCell(userRun.cells, 'anthropic.claude-sonnet-4-6', 'runtime', 'messages', 'guardrail').status,
    ).toBe('enforced');
    expect(findCell(userRun.cells, 'openai.gpt-oss-20b', 'runtime', 'responses', 'guardrail').status).toBe(
      'ignored',
    );
    expect(findCell(userRun.cells, 'openai.gpt-oss-20b', 'mantle', 'chat', 'guardrail').status).toBe(
      'ignored',
    );
    expect(userRun.guardrailControl?.status).toBe('enforced');
  });

  it('the user guardrail really answered with its own message, not the stack one', () => {
    // Assess: the simulator served gr-user's messages through GetGuardrail and in the block
    const getGuardrail = sim.world.calls.filter(
      (c) => c.host === 'control' && c.path === '/guardrails/gr-user',
    );
    expect(getGuardrail.length).toBeGreaterThan(0);
    const converse = findCell(userRun.cells, 'openai.gpt-oss-20b', 'runtime', 'converse', 'guardrail');
    expect(converse.evidence.guardrailSignals).toContain('configured blocked message');
    expect(USER_BLOCKED).not.toContain('bedrock-matrix');
  });

  it('an enforced account guardrail is listed for the run and recorded on the guardrail cells it covers', () => {
    // Act
    const report = assembleReport({
      runId: 'r1',
      startedAt: '2026-12-01T00:00:00Z',
      finishedAt: '2026-12-01T00:01:00Z',
      source: 'simulator',
      runs: [run],
    });

    // Assess
    expect(report.enforcedGuardrails).toEqual([
      {
        region: sim.region,
        guardrailId: 'gr-org',
        guardrailVersion: '3',
        owner: 'ACCOUNT',
        includedModels: [],
        excludedModels: ['xai.grok-4.3'],
      },
    ]);
    const cell = findCell(run.cells, 'openai.gpt-oss-20b', 'runtime', 'converse', 'guardrail');
    expect(cell.evidence.enforcedGuardrails).toEqual(['gr-org:3 (account)']);
    expect(cell.evidence.reason).toContain('enforced guardrail gr-org:3 (account) also applies');
    expect(
      findCell(run.cells, 'openai.gpt-oss-20b', 'runtime', 'converse').evidence.enforcedGuardrails,
    ).toBeUndefined();
  });
});
