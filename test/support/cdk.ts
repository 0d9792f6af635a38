/** Set-up shared by the CDK construct tests (test/lib, test/bin). */
import { App, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';

/**
 * An App for construct tests in which no stack bundles its functions and the CDK's built-in
 * CloudFormation validation stays off: a template then takes milliseconds instead of an esbuild run
 * per function, and no worker pays the ~3 s start of the validation engine (a WebAssembly module).
 * Both are tested where they are the point: the deployed bundle run under faults
 * (test/faults/bundled-handler.test.ts) and the real `cdk synth` of every stack, validation included
 * (test/bin/app.test.ts).
 */
export const testApp = (context: Readonly<Record<string, unknown>> = {}): App =>
  new App({ context: { [BUNDLING_STACKS]: [], ...context }, builtinCloudFormationValidation: false });

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
