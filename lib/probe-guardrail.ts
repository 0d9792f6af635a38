import { createHash } from 'node:crypto';
import { Stack } from 'aws-cdk-lib';
import { CfnGuardrail, CfnGuardrailVersion } from 'aws-cdk-lib/aws-bedrock';
import { Construct } from 'constructs';
import { GUARDRAIL_MESSAGES } from '../lambda/shared/names';

/** Blocked messages of the probe Guardrail; the prober recognises an `enforced` cell by them. */
export const PROBE_GUARDRAIL_BLOCKED_INPUT: string = GUARDRAIL_MESSAGES.input;
export const PROBE_GUARDRAIL_BLOCKED_OUTPUT: string = GUARDRAIL_MESSAGES.output;

/** Content filter of the probe Guardrail (BEDROCK-FACTS §5.1). */
export interface ProbeContentFilter {
  /** One of HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT (PROMPT_ATTACK needs output NONE). */
  readonly type: string;
  readonly inputStrength: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
  readonly outputStrength: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
}

export interface ProbeGuardrailProps {
  /** The canary phrase the word filter blocks (free and deterministic, facts §7.4). */
  readonly canary: string;
  /**
   * Guardrail name, unique per account and region.
   * @default 'bedrock-matrix-probe'
   */
  readonly guardrailName?: string;
  /**
   * Content filters, so the probe Guardrail also exercises a paid policy type.
   * @default VIOLENCE at MEDIUM on input and output
   */
  readonly contentFilters?: readonly ProbeContentFilter[];
}

/**
 * The Guardrail that `guardrail` cells attach: a word filter for the canary phrase plus a content
 * filter, and a pinned numeric version (probes never use DRAFT, which changes under them).
 */
export class ProbeGuardrail extends Construct {
  readonly guardrail: CfnGuardrail;
  readonly version: CfnGuardrailVersion;
  readonly guardrailId: string;
  readonly guardrailArn: string;
  readonly guardrailVersion: string;
  readonly canary: string;

  constructor(scope: Construct, id: string, props: ProbeGuardrailProps) {
    super(scope, id);
    this.canary = props.canary;
    const contentFilters = props.contentFilters ?? [
      { type: 'VIOLENCE', inputStrength: 'MEDIUM', outputStrength: 'MEDIUM' },
    ];
    this.guardrail = new CfnGuardrail(this, 'Guardrail', {
      name: props.guardrailName ?? 'bedrock-matrix-probe',
      description: `bedrock-matrix probe guardrail (${Stack.of(this).stackName}); blocks the canary phrase`,
      blockedInputMessaging: PROBE_GUARDRAIL_BLOCKED_INPUT,
      blockedOutputsMessaging: PROBE_GUARDRAIL_BLOCKED_OUTPUT,
      wordPolicyConfig: { wordsConfig: [{ text: props.canary }] },
      contentPolicyConfig: {
        filtersConfig: contentFilters.map((f) => ({
          type: f.type,
          inputStrength: f.inputStrength,
          outputStrength: f.outputStrength,
        })),
      },
    });
    // A GuardrailVersion is an immutable snapshot: fold the policy into its description so a
    // policy change replaces the version instead of leaving the prober pinned to the old one.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ canary: props.canary, contentFilters }))
      .digest('hex')
      .slice(0, 12);
    this.version = new CfnGuardrailVersion(this, 'Version', {
      guardrailIdentifier: this.guardrail.attrGuardrailId,
      description: `bedrock-matrix probe policy ${fingerprint}`,
    });
    this.guardrailId = this.guardrail.attrGuardrailId;
    this.guardrailArn = this.guardrail.attrGuardrailArn;
    this.guardrailVersion = this.version.attrVersion;
  }
}
