import { fileURLToPath } from 'node:url';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PROBER_BUNDLE, REQUIRE_BANNER } from './prober-bundle';

/** Repository root, resolved from this file so synthesis works from any working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * What every function of this repository shares: a TypeScript entry of this repository bundled by
 * esbuild from the repository's lock file, on Node.js 24 and arm64.
 */
export const bundledFunctionProps = (
  entry: string,
): Required<
  Pick<
    NodejsFunctionProps,
    'entry' | 'handler' | 'projectRoot' | 'depsLockFilePath' | 'runtime' | 'architecture'
  >
> => ({
  entry,
  handler: 'handler',
  projectRoot: PROJECT_ROOT,
  depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
  runtime: Runtime.NODEJS_24_X,
  architecture: Architecture.ARM_64,
});

/** ESM bundling for Node.js 24 (prober-bundle.ts); `options` adds minification, source maps, SDK bundling. */
export const esmBundling = (options: BundlingOptions): BundlingOptions => ({
  ...options,
  target: PROBER_BUNDLE.target,
  format: OutputFormat.ESM,
  mainFields: [...PROBER_BUNDLE.mainFields],
  banner: REQUIRE_BANNER,
});

/**
 * A function's own log group (`LogGroup`) and role (`Role`), the role allowed to write to that log
 * group only: AWSLambdaBasicExecutionRole may write to any log group in the account.
 */
export const ownLogGroupAndRole = (
  scope: Construct,
  props: { readonly retention: RetentionDays; readonly roleDescription: string },
): { readonly logGroup: LogGroup; readonly role: Role } => {
  const logGroup = new LogGroup(scope, 'LogGroup', {
    retention: props.retention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new Role(scope, 'Role', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
  });
  logGroup.grantWrite(role);
  return { logGroup, role };
};
