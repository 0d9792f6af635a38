import { describe, expect, it } from 'vitest';
import { geographyPrefixes, modelKeyOf, profilePrefixOf, resolveModels } from '../../../lambda/core/resolve';

describe('modelKeyOf', () => {
  it.each([
    ['openai.gpt-oss-120b-1:0', 'openai.gpt-oss-120b'],
    ['amazon.nova-micro-v1:0', 'amazon.nova-micro'],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-3-5-sonnet-20240620'],
    ['us.anthropic.claude-sonnet-4-6', 'anthropic.claude-sonnet-4-6'],
    ['global.openai.gpt-5.6-sol', 'openai.gpt-5.6-sol'],
    ['openai.gpt-oss-120b', 'openai.gpt-oss-120b'],
    // A version suffix always carries a colon; `-v2` alone is part of the name.
    ['anthropic.claude-v2', 'anthropic.claude-v2'],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'anthropic.claude-haiku-4-5'],
    // Older Claude IDs keep their date: mantle never served them under a shorter name.
    ['anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-haiku-20240307'],
    // Geography prefixes are data: `sa.` (and one never seen) strip like `us.`.
    ['sa.anthropic.claude-sonnet-4-6', 'anthropic.claude-sonnet-4-6'],
    ['us-gov.anthropic.claude-sonnet-4-6', 'anthropic.claude-sonnet-4-6'],
    ['mx.moonshotai.kimi-k3', 'moonshotai.kimi-k3'],
    ['global.moonshotai.kimi-k3', 'moonshotai.kimi-k3'],
    ['openai.gpt-5.6-sol', 'openai.gpt-5.6-sol'],
    ['moonshotai.kimi-k2.5', 'moonshotai.kimi-k2.5'],
  ])('keys %s as %s, the ID mantle uses', (id, key) => {
    // Act / Assess
    expect(modelKeyOf(id)).toBe(key);
  });
});

describe('geographyPrefixes', () => {
  it('prefers the local geography and knows the Japanese and Australian profiles', () => {
    // Act / Assess
    expect(geographyPrefixes('us-west-2')).toEqual(['us']);
    expect(geographyPrefixes('eu-central-1')).toEqual(['eu']);
    expect(geographyPrefixes('ap-northeast-1')).toEqual(['jp', 'apac']);
    expect(geographyPrefixes('ap-south-1')).toEqual(['apac']);
  });
});

describe('profilePrefixOf', () => {
  it.each([
    ['us.anthropic.claude-sonnet-4-6', 'us'],
    ['sa.anthropic.claude-sonnet-4-6', 'sa'],
    ['us-gov.meta.llama3-70b-instruct-v1:0', 'us-gov'],
    ['global.openai.gpt-5.6-sol', 'global'],
    ['openai.gpt-5.6-sol', null],
    ['anthropic.claude-sonnet-4-6', null],
    ['a1b2c3d4e5f6', null],
  ])('%s has the prefix %s', (id, prefix) => {
    // Act / Assess
    expect(profilePrefixOf(id)).toBe(prefix);
  });
});

describe('resolveModels: geography prefixes from ListInferenceProfiles', () => {
  it('sa-east-1 reaches a profile-only model through its sa. profile', () => {
    // Prepare
    const catalogs = {
      mantle: [],
      foundationModels: [
        {
          modelId: 'anthropic.claude-sonnet-4-6',
          providerName: 'Anthropic',
          inferenceTypesSupported: ['INFERENCE_PROFILE'],
        },
      ],
      inferenceProfiles: [
        { inferenceProfileId: 'sa.anthropic.claude-sonnet-4-6' },
        { inferenceProfileId: 'global.anthropic.claude-sonnet-4-6' },
      ],
    };

    // Act
    const [sonnet] = resolveModels('sa-east-1', catalogs);

    // Assess
    expect(sonnet?.runtimeCandidates).toEqual([
      'sa.anthropic.claude-sonnet-4-6',
      'global.anthropic.claude-sonnet-4-6',
    ]);
  });

  it('a prefix no region names is tried after the known geography and before global.', () => {
    // Prepare
    const catalogs = {
      mantle: null,
      foundationModels: [],
      inferenceProfiles: [
        { inferenceProfileId: 'global.moonshotai.kimi-k3' },
        { inferenceProfileId: 'mx.moonshotai.kimi-k3' },
        { inferenceProfileId: 'us.moonshotai.kimi-k3' },
      ],
    };

    // Act
    const [kimi] = resolveModels('us-east-1', catalogs);

    // Assess
    expect(kimi?.key).toBe('moonshotai.kimi-k3');
    expect(kimi?.runtimeCandidates).toEqual([
      'us.moonshotai.kimi-k3',
      'mx.moonshotai.kimi-k3',
      'global.moonshotai.kimi-k3',
    ]);
  });
});

describe('resolveModels', () => {
  it('joins the three catalogs into one model per key with the ID that reaches it on each host', () => {
    // Prepare
    const catalogs = {
      mantle: ['openai.gpt-oss-120b', 'anthropic.claude-haiku-4-5', 'openai.gpt-5.6-sol'],
      foundationModels: [
        {
          modelId: 'openai.gpt-oss-120b-1:0',
          providerName: 'OpenAI',
          inferenceTypesSupported: ['ON_DEMAND'],
        },
        {
          modelId: 'anthropic.claude-sonnet-4-6',
          providerName: 'Anthropic',
          inferenceTypesSupported: ['INFERENCE_PROFILE'],
        },
        { modelId: 'amazon.nova-micro-v1:0', providerName: 'Amazon', inferenceTypesSupported: ['ON_DEMAND'] },
      ],
      inferenceProfiles: [
        { inferenceProfileId: 'us.anthropic.claude-sonnet-4-6' },
        { inferenceProfileId: 'eu.anthropic.claude-sonnet-4-6' },
        { inferenceProfileId: 'global.openai.gpt-5.6-sol' },
        { inferenceProfileId: 'us.amazon.nova-micro-v1:0' },
      ],
    };

    // Act
    const models = resolveModels('us-east-1', catalogs);
    const byKey = new Map(models.map((m) => [m.key, m]));

    // Assess
    expect(byKey.get('openai.gpt-oss-120b')?.ids).toEqual({
      runtime: 'openai.gpt-oss-120b-1:0',
      mantle: 'openai.gpt-oss-120b',
    });
    const sonnet = byKey.get('anthropic.claude-sonnet-4-6');
    expect(sonnet?.ids).toEqual({ runtime: 'us.anthropic.claude-sonnet-4-6' });
    expect(sonnet?.absent.mantle).toBe('absent from mantle /v1/models in us-east-1');
    expect(sonnet?.sources).toEqual(['foundation-models', 'inference-profiles']);
    expect(byKey.get('openai.gpt-5.6-sol')?.runtimeCandidates).toEqual(['global.openai.gpt-5.6-sol']);
    // On-demand first, then the geography's profile: the alternative before "unsupported".
    expect(byKey.get('amazon.nova-micro')?.runtimeCandidates).toEqual([
      'amazon.nova-micro-v1:0',
      'us.amazon.nova-micro-v1:0',
    ]);
    expect(byKey.get('anthropic.claude-haiku-4-5')?.absent.runtime).toMatch(
      /absent from ListFoundationModels/,
    );
  });

  it('says a catalog was unavailable rather than calling its models absent', () => {
    // Prepare
    const catalogs = {
      mantle: null,
      foundationModels: [{ modelId: 'amazon.nova-micro-v1:0' }],
      inferenceProfiles: [],
    };

    // Act
    const [nova] = resolveModels('eu-west-1', catalogs);

    // Assess
    expect(nova?.absent.mantle).toBe('mantle catalog unavailable');
    expect(nova?.provider).toBe('amazon');
  });
});
