import { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ORG_ENV } from '../../../lambda/shared/org-names';
import { readConfig } from '../../../lib/config';
import {
  MEMBER_GUARDRAIL_NAME,
  MemberStack,
  type MemberStackProps,
  synthMemberTemplate,
} from '../../../lib/org/member-stack';
import { testApp } from '../../support/cdk';
import type { FunctionProperties } from '../../support/templates';

/** The member stack's props for an organization with `fullMatrixAccounts`, from cdk.json's defaults. */
const propsWith = (fullMatrixAccounts: readonly string[]): MemberStackProps => {
  const {
    regions: _r,
    home: _h,
    alarmEmails: _a,
    sentinelPeriodMinutes: _s,
    ...settings
  } = readConfig(new Stack(testApp({ regions: 'us-east-1' }), 'Context'));
  return {
    ...settings,
    org: {
      home: { account: '123456789012', region: 'us-east-1' },
      probeAccounts: { 'us-east-1': '210987654321' },
      fullMatrixAccounts,
    },
    codeKey: 'member/abc.zip',
  };
};

type Condition = { 'Fn::Or'?: Condition[]; 'Fn::Equals'?: unknown[]; Condition?: string };

/** Every account an Fn::Or tree names, checking that no Fn::Or holds more than 10 conditions. */
const accountsOf = (c: Condition): string[] => {
  if (c['Fn::Or']) {
    expect(c['Fn::Or'].length).toBeGreaterThanOrEqual(2);
    expect(c['Fn::Or'].length).toBeLessThanOrEqual(10);
    return c['Fn::Or'].flatMap(accountsOf);
  }
  return [c['Fn::Equals']?.[1] as string];
};

describe('the member stack, synthesized on its own', () => {
  it('without full-matrix accounts: only the probe account measures region facts, and FULL_MATRIX is a plain 0', () => {
    // Act
    const t = synthMemberTemplate(propsWith([]), { validate: false });
    const fn = Object.values(
      t.Resources as Record<string, { Type: string; Properties: FunctionProperties }>,
    ).find((r) => r.Type === 'AWS::Lambda::Function');

    // Assess
    expect(t.Conditions).toEqual({
      ProbesRegionFacts: {
        'Fn::Equals': [
          { Ref: 'AWS::AccountId' },
          { 'Fn::FindInMap': ['ProbeAccounts', { Ref: 'AWS::Region' }, 'account'] },
        ],
      },
    });
    expect(fn?.Properties.Environment.Variables[ORG_ENV.fullMatrix]).toBe('0');
  });

  it('names 23 full-matrix accounts in nested Fn::Or of at most 10 conditions each (CloudFormation limit)', () => {
    // Prepare
    const accounts = Array.from({ length: 23 }, (_, i) => String(400000000000 + i));

    // Act
    const t = synthMemberTemplate(propsWith(accounts), { validate: false });
    const conditions = t.Conditions as Record<string, Condition>;

    // Assess
    expect(accountsOf(conditions.FullMatrixAccount as Condition)).toEqual(accounts);
  });

  it('keeps path metadata out even when the CDK CLI turns it on through CDK_CONTEXT_JSON', () => {
    // Prepare: what `cdk synth` passes the app.
    const before = process.env.CDK_CONTEXT_JSON;
    process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:enable-path-metadata': true });

    // Act
    let text: string;
    try {
      text = JSON.stringify(synthMemberTemplate(propsWith([]), { validate: false }));
    } finally {
      if (before === undefined) delete process.env.CDK_CONTEXT_JSON;
      else process.env.CDK_CONTEXT_JSON = before;
    }

    // Assess
    expect(text).not.toContain('aws:cdk:path');
    expect(text).not.toContain('CDKMetadata');
  });

  it('passes cdk-nag AwsSolutions with every acknowledgement reasoned, and names its Guardrail apart from a region stack', () => {
    // Prepare
    const app = testApp();
    const stack = new MemberStack(app, 'Member', propsWith(['456789012345']));

    // Act
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    const acknowledgements = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.values(m.data as Record<string, string>));

    // Assess
    expect(report.violations).toEqual([]);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const reason of acknowledgements) expect(reason.length).toBeGreaterThan(20);
    expect(stack.guardrail.guardrail.name).toBe(MEMBER_GUARDRAIL_NAME);
    expect(MEMBER_GUARDRAIL_NAME).not.toBe('bedrock-matrix-probe');
  });
});
