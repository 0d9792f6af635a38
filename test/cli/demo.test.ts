import { beforeAll, describe, expect, it } from 'vitest';
import type { Api, CellResult, Endpoint, Report, Variant } from '../../lambda/core/model';
import { parseReport } from '../../lambda/core/report-file';
import { findCell } from '../support/cells';
import { argv, runCli } from './support';

// The lab report of 2026-05-01 and its full re-run, reproduced from the may-2026 scenario through
// the CLI a user runs: every finding of tests T01-T14, plus what its spot check missed.

const cell = (report: Report, model: string, endpoint: Endpoint, api: Api, variant?: Variant): CellResult =>
  findCell(report.cells, model, endpoint, api, variant);

describe('bedrock-matrix demo --scenario may-2026', () => {
  let report: Report;
  let stderr: string;

  beforeAll(async () => {
    // Act
    const result = await runCli(argv`demo --scenario may-2026 --format json`);
    expect(result.code).toBe(0);
    stderr = result.stderr;
    report = parseReport(result.stdout, 'stdout');
  });

  it('says the results are simulated', () => {
    // Assess
    expect(report.source).toBe('simulator');
    expect(stderr).toContain('not real AWS');
  });

  it('T01-T05: Responses basic, streaming, stateful, tools and background on gpt-oss (mantle)', () => {
    // Assess
    for (const variant of ['basic', 'stream', 'stateful', 'tools', 'background'] as const) {
      expect(cell(report, 'openai.gpt-oss-120b', 'mantle', 'responses', variant).status, variant).toBe(
        'supported',
      );
    }
  });

  it('T06-T07: Chat Completions on both hosts, each with its own model ID', () => {
    // Assess
    const mantle = cell(report, 'openai.gpt-oss-120b', 'mantle', 'chat');
    const runtime = cell(report, 'openai.gpt-oss-120b', 'runtime', 'chat');
    expect([mantle.status, runtime.status]).toEqual(['supported', 'supported']);
    expect(mantle.evidence.modelId).toBe('openai.gpt-oss-120b');
    expect(runtime.evidence.modelId).toBe('openai.gpt-oss-120b-1:0');
  });

  it('T08-T10: the Guardrail is enforced on runtime and ignored (billed) on mantle', () => {
    // Assess
    expect(cell(report, 'openai.gpt-oss-120b', 'runtime', 'converse', 'guardrail').status).toBe('enforced');
    expect(cell(report, 'openai.gpt-oss-120b', 'runtime', 'chat', 'guardrail').status).toBe('enforced');
    const mantle = cell(report, 'openai.gpt-oss-120b', 'mantle', 'chat', 'guardrail');
    expect(mantle.status).toBe('ignored');
    expect(mantle.evidence.outputTokens).toBeGreaterThan(0);
    expect(report.guardrailControls?.[0]?.status).toBe('enforced');
  });

  it('T11-T12: Claude Sonnet 4.6 is absent from mantle and reached on runtime only through the us. profile', () => {
    // Assess
    const model = report.models.find((m) => m.key === 'anthropic.claude-sonnet-4-6');
    expect(model?.ids).toEqual({ runtime: 'us.anthropic.claude-sonnet-4-6' });
    expect(cell(report, 'anthropic.claude-sonnet-4-6', 'mantle', 'messages').status).toBe('not-found');
    expect(cell(report, 'anthropic.claude-sonnet-4-6', 'runtime', 'converse').evidence.modelId).toBe(
      'us.anthropic.claude-sonnet-4-6',
    );
  });

  it('T13-T14: Anthropic models on mantle answer Messages only', () => {
    // Assess
    const anthropicOnMantle = report.models.filter((m) => m.key.startsWith('anthropic.') && m.ids.mantle);
    expect(anthropicOnMantle.length).toBe(2);
    for (const m of anthropicOnMantle) {
      expect(cell(report, m.key, 'mantle', 'messages').status).toBe('supported');
      expect(cell(report, m.key, 'mantle', 'chat').status).toBe('unsupported');
      expect(cell(report, m.key, 'mantle', 'responses').status).toBe('unsupported');
    }
  });

  it('shows Chat Completions open on 38 of the 40 mantle models, which the spot check missed', () => {
    // Assess
    const onMantle = report.models.filter((m) => m.ids.mantle);
    const chat = onMantle.map((m) => cell(report, m.key, 'mantle', 'chat'));
    expect(onMantle).toHaveLength(40);
    expect(chat.filter((c) => c.status === 'supported')).toHaveLength(38);
    expect(report.summary.byEndpointApi['mantle/chat']?.basic.supported).toBe(38);
  });
});

describe('bedrock-matrix demo (today)', () => {
  it('names the LEGACY model whose end of life falls within the notice window, in days and by date', async () => {
    // Act
    const wide = await runCli(argv`demo --models anthropic.claude-3-haiku* --format markdown --quiet`);
    const narrow = await runCli(argv`demo --models anthropic.claude-3-haiku* --notice-days 10 --quiet`);

    // Assess
    expect(wide.code).toBe(0);
    expect(wide.stdout).toContain('### Retirement notices (1)');
    expect(wide.stdout).toMatch(
      /anthropic\.claude-3-haiku-20240307 reaches end of life and stops answering on \d{4}-\d{2}-\d{2} \(in 25 days; now LEGACY\)/,
    );
    expect(narrow.code).toBe(0);
    expect(narrow.stdout).not.toContain('Retirement notices');
  });
});
