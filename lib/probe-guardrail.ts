import { createHash } from 'node:crypto';
import { Stack } from 'aws-cdk-lib';
import { CfnGuardrail, type CfnGuardrailProps, CfnGuardrailVersion } from 'aws-cdk-lib/aws-bedrock';
import { Construct } from 'constructs';
import { GUARDRAIL_MESSAGES } from '../lambda/shared/names';
import { checkSetting } from './props';

/** Blocked messages of the probe Guardrail; the prober recognises an `enforced` cell by them. */
export const PROBE_GUARDRAIL_BLOCKED_INPUT: string = GUARDRAIL_MESSAGES.input;
export const PROBE_GUARDRAIL_BLOCKED_OUTPUT: string = GUARDRAIL_MESSAGES.output;

/** Content filter of the probe Guardrail (docs/bedrock-wire.md "Guardrail resources"). */
export interface ProbeContentFilter {
  /** One of HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT (PROMPT_ATTACK needs output NONE). */
  readonly type: string;
  readonly inputStrength: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
  readonly outputStrength: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
}

export interface ProbeGuardrailProps {
  /** The canary phrase the word filter blocks (free and deterministic); checked as the `canary` setting. */
  readonly canary: string;
  /**
   * Guardrail name, unique per account and region.
   * @default 'bedrock-matrix-probe'
   */
  readonly guardrailName?: string;
  /**
   * Content filters, for a probe Guardrail that also exercises a paid policy type. Every guarded
   * probe is then billed per text unit (about $3.70 a month in us-east-1 at the default settings)
   * although the free word filter is what blocks the canary, so the default has none.
   * @default none: the word filter alone, which is free
   */
  readonly contentFilters?: readonly ProbeContentFilter[];
  /**
   * Message returned when the input is blocked; the prober recognises an `enforced` cell by it.
   * @default GUARDRAIL_MESSAGES.input
   */
  readonly blockedInputMessaging?: string;
  /**
   * Message that replaces a blocked model answer.
   * @default GUARDRAIL_MESSAGES.output
   */
  readonly blockedOutputsMessaging?: string;
}

/**
 * The Guardrail that `guardrail` cells attach: a word filter for the canary phrase (free: no paid
 * policy unless asked), and a pinned numeric version (probes never use DRAFT, which changes under them).
 */
export class ProbeGuardrail extends Construct {
  readonly guardrail: CfnGuardrail;
  readonly version: CfnGuardrailVersion;
  readonly guardrailId: string;
  readonly guardrailArn: string;
  readonly guardrailVersion: string;
  readonly canary: string;
  /** Hash of the whole guardrail definition; changes with any property. */
  readonly fingerprint: string;

  constructor(scope: Construct, id: string, props: ProbeGuardrailProps) {
    super(scope, id);
    checkSetting('ProbeGuardrail', 'canary', props.canary);
    this.canary = props.canary;
    const contentFilters = props.contentFilters ?? [];
    const definition: CfnGuardrailProps = {
      name: props.guardrailName ?? 'bedrock-matrix-probe',
      description: `bedrock-matrix probe guardrail (${Stack.of(this).stackName}); blocks the canary phrase`,
      blockedInputMessaging: props.blockedInputMessaging ?? PROBE_GUARDRAIL_BLOCKED_INPUT,
      blockedOutputsMessaging: props.blockedOutputsMessaging ?? PROBE_GUARDRAIL_BLOCKED_OUTPUT,
      wordPolicyConfig: { wordsConfig: [{ text: props.canary }] },
      ...(contentFilters.length > 0
        ? {
            contentPolicyConfig: {
              filtersConfig: contentFilters.map((f) => ({
                type: f.type,
                inputStrength: f.inputStrength,
                outputStrength: f.outputStrength,
              })),
            },
          }
        : {}),
    };
    this.guardrail = new CfnGuardrail(this, 'Guardrail', definition);
    this.fingerprint = guardrailFingerprint(definition);
    // A GuardrailVersion is an immutable snapshot of the DRAFT. The fingerprint of the whole
    // definition (messages included) is in its logical ID and description, so any edit creates a
    // new version instead of leaving the prober pinned to a snapshot the classifier no longer
    // matches.
    this.version = new CfnGuardrailVersion(this, `Version${this.fingerprint}`, {
      guardrailIdentifier: this.guardrail.attrGuardrailId,
      description: `bedrock-matrix probe policy ${this.fingerprint}`,
    });
    this.guardrailId = this.guardrail.attrGuardrailId;
    this.guardrailArn = this.guardrail.attrGuardrailArn;
    this.guardrailVersion = this.version.attrVersion;
  }
}

/**
 * A short hash of a guardrail definition. Keys are sorted so the hash follows the content, not
 * the order the properties were written in.
 */
export const guardrailFingerprint = (definition: CfnGuardrailProps): string =>
  createHash('sha256').update(stableJson(definition)).digest('hex').slice(0, 12);

const stableJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};
