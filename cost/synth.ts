/**
 * Synthesizes the CDK app as `cdk synth` would (cdk.json's context, then `-c` overrides), without
 * bundling any Lambda code and without the CDK's built-in CloudFormation validation: the cost model
 * reads resources and settings, never the code, and skipping esbuild and the validation engine's
 * start (~3 s) keeps a synth to about a second. `cdk synth` itself still validates.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { buildApp } from '../lib/app';
import { PROJECT_ROOT } from '../lib/bundled-function';
import type { CloudFormationTemplate } from './template';

export interface SynthesizedStack {
  readonly stackName: string;
  readonly region: string;
  readonly template: CloudFormationTemplate;
}

/** The app's stacks, in the app's order. */
export function synthStacks(overrides: Readonly<Record<string, string>> = {}): SynthesizedStack[] {
  const cdkJson = JSON.parse(readFileSync(`${PROJECT_ROOT}cdk.json`, 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({
    context: { ...cdkJson.context, ...overrides, [BUNDLING_STACKS]: [] },
    builtinCloudFormationValidation: false,
  });
  const assembly = buildApp(app).synth();
  return assembly.stacks.map((s) => ({
    stackName: s.stackName,
    region: s.environment.region,
    template: s.template as CloudFormationTemplate,
  }));
}
