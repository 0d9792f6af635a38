import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { liteLlmConfig, renderLiteLlm } from '../../../lambda/core/litellm';
import type { Api, CellResult, Report } from '../../../lambda/core/model';
import { buildSampleReport } from '../../support/sample-report';

// A LiteLLM proxy model_list must route each model only to a path measured to work.

const schema = JSON.parse(
  readFileSync(new URL('../../../schema/litellm-model-list.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

describe('LiteLLM model_list', () => {
  it('is a valid model_list (schema written from the LiteLLM proxy config docs)', () => {
    // Act
    const doc = JSON.parse(renderLiteLlm(buildSampleReport()));

    // Assess
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    expect(doc.model_list.length).toBeGreaterThan(40);
  });

  it('routes each model to its preferred measured path, region-qualified when there are several regions', () => {
    // Act
    const { model_list } = liteLlmConfig(buildSampleReport());

    // Assess
    const byName = new Map(model_list.map((d) => [d.model_name, d]));
    expect(byName.get('us-east-1/openai.gpt-oss-120b')?.litellm_params).toEqual({
      model: 'bedrock/converse/openai.gpt-oss-120b-1:0',
      aws_region_name: 'us-east-1',
    });
    // Mantle-only model: Chat on the route that worked, with the mantle key from the environment.
    const qwen = byName.get('us-east-1/qwen.qwen3-coder-30b-a3b')?.litellm_params;
    expect(qwen?.model).toBe('bedrock_mantle/qwen.qwen3-coder-30b-a3b');
    expect(qwen?.api_key).toBe('os.environ/BEDROCK_MANTLE_API_KEY');
    expect(qwen?.api_base).toMatch(/^https:\/\/bedrock-mantle\.us-east-1\.api\.aws\/(openai\/)?v1$/);
  });

  it('leaves out a model with no supported path at all', () => {
    // Prepare: every cell of one model turned unsupported.
    const base = buildSampleReport();
    const report = {
      ...base,
      regions: ['us-east-1'],
      cells: base.cells
        .filter((c) => c.region === 'us-east-1')
        .map((c) => (c.model === 'openai.gpt-oss-20b' ? { ...c, status: 'unsupported' as const } : c)),
    };

    // Act
    const names = liteLlmConfig(report).model_list.map((d) => d.model_name);

    // Assess
    expect(names).not.toContain('openai.gpt-oss-20b');
    expect(names).toContain('openai.gpt-oss-120b');
  });

  // What LiteLLM's bedrock_mantle provider reads (docs/bedrock-wire.md, "LiteLLM"): Responses
  // support from model_info `mode` / `supported_endpoints`, the `/openai/v1` prefix from
  // `use_openai_responses_path`; `api_base` alone decides neither.
  it('exports a model whose only mantle api is Responses as a Responses model on the route that worked', () => {
    // Prepare: a mantle-only model that refuses Chat and answers Responses on /openai/v1.
    const report = mantleOnly({ chat: null, responses: '/openai/v1' });

    // Act
    const [entry] = liteLlmConfig(report).model_list;

    // Assess
    expect(entry).toEqual({
      model_name: MODEL,
      litellm_params: {
        model: `bedrock_mantle/${MODEL}`,
        api_base: 'https://bedrock-mantle.us-east-1.api.aws/openai/v1',
        api_key: 'os.environ/BEDROCK_MANTLE_API_KEY',
        aws_region_name: 'us-east-1',
      },
      model_info: {
        id: `us-east-1/${MODEL}/mantle/responses`,
        mode: 'responses',
        supported_endpoints: ['/v1/responses'],
        use_openai_responses_path: true,
      },
    });
  });

  it('lists every mantle api that works, keeps chat mode and the /v1 default where that route worked', () => {
    // Prepare
    const report = mantleOnly({ chat: '/v1', responses: '/v1', messages: '/anthropic/v1' });

    // Act
    const [entry] = liteLlmConfig(report).model_list;

    // Assess
    expect(entry?.litellm_params.api_base).toBe('https://bedrock-mantle.us-east-1.api.aws/v1');
    expect(entry?.model_info).toEqual({
      id: `us-east-1/${MODEL}/mantle/chat`,
      mode: 'chat',
      supported_endpoints: ['/v1/chat/completions', '/v1/responses', '/v1/messages'],
    });
  });

  it('flags /openai/v1 for a chat model served there, so Responses calls take the same prefix', () => {
    // Prepare
    const report = mantleOnly({ chat: '/openai/v1', responses: '/openai/v1' });

    // Act
    const [entry] = liteLlmConfig(report).model_list;

    // Assess
    expect(entry?.model_info).toMatchObject({ mode: 'chat', use_openai_responses_path: true });
    expect(validate(liteLlmConfig(report)), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('a runtime route says chat mode and no mantle flags', () => {
    // Act
    const { model_list } = liteLlmConfig(buildSampleReport());

    // Assess
    const converse = model_list.find((d) => d.litellm_params.model.startsWith('bedrock/converse/'));
    expect(converse?.model_info).toEqual({ id: expect.stringMatching(/\/runtime\/converse$/), mode: 'chat' });
  });
});

const MODEL = 'qwen.qwen3-coder-30b-a3b';

/** The sample's us-east-1 cells of one mantle-only model, its mantle apis supported on the given routes. */
function mantleOnly(routes: Partial<Record<Api, string | null>>): Report {
  const base = buildSampleReport();
  const cells = base.cells
    .filter((c) => c.region === 'us-east-1' && c.model === MODEL && c.variant === 'basic')
    .map((c): CellResult => {
      const route = c.endpoint === 'mantle' ? routes[c.api] : undefined;
      if (!route) return { ...c, status: 'unsupported' };
      return { ...c, status: 'supported', evidence: { ...c.evidence, route, modelId: MODEL } };
    });
  return { ...base, regions: ['us-east-1'], cells };
}
