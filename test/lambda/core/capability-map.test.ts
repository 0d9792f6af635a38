import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { capabilityMap, renderCapabilities } from '../../../lambda/core/capability-map';
import { buildSampleReport, SAMPLE_RUN_ID } from '../../support/sample-report';

// The capability map is for machines (gateways, routers): it must validate against the schema
// the repository publishes, and say exactly what the matrix measured.

const schema = JSON.parse(
  readFileSync(new URL('../../../schema/capabilities-v1.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

describe('capability map', () => {
  it('validates against schema/capabilities-v1.json', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const doc = JSON.parse(renderCapabilities(report));

    // Assess
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    expect(Object.keys(doc.regions)).toEqual(['us-east-1', 'us-west-2']);
  });

  it('says per api: supported, route, model ID, features, guardrail verdict and the evidence link', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const map = capabilityMap(report);

    // Assess
    const chat = map.regions['us-east-1']?.models['openai.gpt-oss-120b']?.endpoints.mantle?.apis.chat;
    expect(chat).toMatchObject({
      status: 'supported',
      supported: true,
      baseUrl: 'https://bedrock-mantle.us-east-1.api.aws',
      modelId: 'openai.gpt-oss-120b',
      features: { stream: 'supported', tools: 'supported' },
      guardrail: 'ignored',
      since: null,
      evidence: { runId: SAMPLE_RUN_ID, cellId: 'us-east-1|openai.gpt-oss-120b|mantle|chat|basic' },
    });
    const converse =
      map.regions['us-east-1']?.models['openai.gpt-oss-120b']?.endpoints.runtime?.apis.converse;
    expect(converse).toMatchObject({ supported: true, guardrail: 'enforced' });
    const unsupported =
      map.regions['us-east-1']?.models['mistral.voxtral-mini-3b']?.endpoints.mantle?.apis.chat;
    expect(unsupported).toMatchObject({ status: 'unsupported', supported: false });
  });

  it('carries since and the evidence run from a stored cell', () => {
    // Prepare
    const base = buildSampleReport();
    const [first, ...rest] = base.cells;
    const report = {
      ...base,
      cells: [{ ...first!, since: '2026-04-01T00:00:00.000Z', runId: 'older-run' }, ...rest],
    };

    // Act
    const doc = JSON.parse(renderCapabilities(report));

    // Assess
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    const api = doc.regions[first!.region].models[first!.model].endpoints[first!.endpoint].apis[first!.api];
    expect(api.since).toBe('2026-04-01T00:00:00.000Z');
    expect(api.evidence.runId).toBe('older-run');
  });

  it('a document with a status outside the vocabulary fails the schema', () => {
    // Prepare
    const doc = JSON.parse(renderCapabilities(buildSampleReport()));
    doc.regions['us-east-1'].models['openai.gpt-oss-120b'].endpoints.mantle.apis.chat.status = 'maybe';

    // Act
    const ok = validate(doc);

    // Assess
    expect(ok).toBe(false);
  });
});
