/** Set-up shared by the CDK construct tests (test/lib, test/bin). */
import { App, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** A plain inline function standing in for the prober, so a test needs no esbuild bundling. */
export const standInFunction = (scope: Construct, id: string): LambdaFunction =>
  new LambdaFunction(scope, id, {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => {};'),
  });

/** The dashboard body of `stack`'s template as JSON, every token written as `TOKEN`. */
export const dashboardBody = <T>(stack: Stack, dashboardBodyProperty: unknown): T =>
  JSON.parse(
    (Stack.of(stack).resolve(dashboardBodyProperty) as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
      .join(''),
  ) as T;

/**
 * An app whose stacks skip asset bundling (CDK's `aws:cdk:bundling-stacks` context, what `cdk synth
 * --exclusively` uses), so a test of the whole stack's template takes seconds, not an esbuild run per function.
 */
export const unbundledApp = (context: Record<string, unknown> = {}): App =>
  new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
