import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { GUARDRAIL_MESSAGES } from '../../lambda/shared/names';
import {
  PROBE_GUARDRAIL_BLOCKED_INPUT,
  PROBE_GUARDRAIL_BLOCKED_OUTPUT,
  ProbeGuardrail,
} from '../../lib/probe-guardrail';

const synth = (canary: string): Template => {
  const stack = new Stack(new App(), 'Test', { env: { region: 'us-east-1' } });
  new ProbeGuardrail(stack, 'ProbeGuardrail', { canary });
  return Template.fromStack(stack);
};

describe('ProbeGuardrail', () => {
  it('blocks the canary phrase with a word filter and a content filter, with recognisable messages', () => {
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
      ContentPolicyConfig: {
        FiltersConfig: [{ Type: 'VIOLENCE', InputStrength: 'MEDIUM', OutputStrength: 'MEDIUM' }],
      },
    });
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

  it('replaces the version when the canary changes, so the prober never keeps a stale policy', () => {
    // Prepare
    const description = (t: Template): unknown =>
      Object.values(t.findResources('AWS::Bedrock::GuardrailVersion'))[0]?.Properties.Description;

    // Act
    const first = description(synth('BMX-CANARY-AAAAAA'));
    const second = description(synth('BMX-CANARY-BBBBBB'));

    // Assess
    expect(first).not.toEqual(second);
  });
});
