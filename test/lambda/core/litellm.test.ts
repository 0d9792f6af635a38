import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { liteLlmConfig, renderLiteLlm } from '../../../lambda/core/litellm';
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
});
