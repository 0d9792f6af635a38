import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { GUARDRAIL_MESSAGES } from '../../lambda/shared/names';
import {
  PROBE_GUARDRAIL_BLOCKED_INPUT,
  PROBE_GUARDRAIL_BLOCKED_OUTPUT,
  ProbeGuardrail,
  type ProbeGuardrailProps,
} from '../../lib/probe-guardrail';
import { testApp } from '../support/cdk';

const synth = (canary: string, more: Partial<ProbeGuardrailProps> = {}): Template => {
  const stack = new Stack(testApp(), 'Test', { env: { region: 'us-east-1' } });
  new ProbeGuardrail(stack, 'ProbeGuardrail', { canary, ...more });
  return Template.fromStack(stack);
};

/** Logical ID and description of the one guardrail version of a template. */
const versionOf = (t: Template): { id: string; description: unknown } => {
  const [id, resource] = Object.entries(t.findResources('AWS::Bedrock::GuardrailVersion'))[0] ?? [];
  return { id: id ?? '', description: resource?.Properties.Description };
};

describe('ProbeGuardrail', () => {
  it('blocks the canary phrase with the free word filter alone, with recognisable messages', () => {
    // Prepare
    const canary = 'BMX-CANARY-TEST01';

    // Act
    const template = synth(canary);

    // Assess
    template.resourceCountIs('AWS::Bedrock::Guardrail', 1);
    template.hasResourceProperties('AWS::Bedrock::Guardrail', {
      Name: 'bedrock-matrix-probe',
      BlockedInputMessaging: '[bedrock-matrix] blocked by probe guardrail (input)',
      BlockedOutputsMessaging: '[bedrock-matrix] blocked by probe guardrail (output)',
      WordPolicyConfig: { WordsConfig: [{ Text: canary }] },
    });
    // No paid policy: a content filter bills every guarded probe per text unit.
    const [guardrail] = Object.values(template.findResources('AWS::Bedrock::Guardrail'));
    expect(Object.keys(guardrail?.Properties ?? {}).filter((k) => k.endsWith('PolicyConfig'))).toEqual([
      'WordPolicyConfig',
    ]);
    expect(PROBE_GUARDRAIL_BLOCKED_INPUT).toBe(GUARDRAIL_MESSAGES.input);
    expect(PROBE_GUARDRAIL_BLOCKED_OUTPUT).toBe(GUARDRAIL_MESSAGES.output);
  });

  it('pins a numeric version of that guardrail', () => {
    // Prepare
    const canary = 'BMX-CANARY-TEST01';

    // Act
    const template = synth(canary);

    // Assess
    const guardrailId = Object.keys(template.findResources('AWS::Bedrock::Guardrail'))[0];
    template.hasResourceProperties('AWS::Bedrock::GuardrailVersion', {
      GuardrailIdentifier: { 'Fn::GetAtt': [guardrailId, 'GuardrailId'] },
      Description: Match.stringLikeRegexp('^bedrock-matrix probe policy [0-9a-f]{12}$'),
    });
  });

  it.each<[string, string, Partial<ProbeGuardrailProps>]>([
    ['the canary', 'BMX-CANARY-BBBBBB', {}],
    ['the blocked-input message', 'BMX-CANARY-AAAAAA', { blockedInputMessaging: 'input refused' }],
    ['the blocked-output message', 'BMX-CANARY-AAAAAA', { blockedOutputsMessaging: 'answer refused' }],
    [
      'a content filter',
      'BMX-CANARY-AAAAAA',
      { contentFilters: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] },
    ],
  ])(
    'replaces the version when %s changes, so the prober never keeps a stale policy',
    (_what, canary, more) => {
      // Prepare
      const before = versionOf(synth('BMX-CANARY-AAAAAA'));

      // Act
      const after = versionOf(synth(canary, more));

      // Assess
      expect(after.id).not.toBe(before.id);
      expect(after.description).not.toEqual(before.description);
    },
  );

  it('keeps the version of an unchanged definition, so a redeploy does not churn versions', () => {
    // Act
    const first = versionOf(synth('BMX-CANARY-AAAAAA'));
    const second = versionOf(synth('BMX-CANARY-AAAAAA'));

    // Assess
    expect(second).toEqual(first);
  });

  it('adds the content filters it is given, for a team that wants a paid policy probed too', () => {
    // Act
    const template = synth('BMX-CANARY-TEST01', {
      contentFilters: [{ type: 'VIOLENCE', inputStrength: 'MEDIUM', outputStrength: 'MEDIUM' }],
    });

    // Assess
    template.hasResourceProperties('AWS::Bedrock::Guardrail', {
      WordPolicyConfig: { WordsConfig: [{ Text: 'BMX-CANARY-TEST01' }] },
      ContentPolicyConfig: {
        FiltersConfig: [{ Type: 'VIOLENCE', InputStrength: 'MEDIUM', OutputStrength: 'MEDIUM' }],
      },
    });
  });
});
