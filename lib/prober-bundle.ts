/**
 * How the prober is bundled, defined once: the stack's NodejsFunction (prober-function.ts), the
 * bundled-Lambda tests (test/support/bundled-handler.ts) and the benchmark (bench/) build the same
 * bundle, so what they measure is what is deployed. Plain data, no CDK import: bench and tests load
 * it without aws-cdk-lib.
 */

/** CommonJS dependencies inside an ESM bundle still call require(). */
export const REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export const PROBER_BUNDLE = {
  /** The Lambda runtime's Node.js major (Runtime.NODEJS_24_X in bundled-function.ts). */
  target: 'node24',
  format: 'esm',
  mainFields: ['module', 'main'],
  // Not minified and no source map: names and the `// lambda/...` module comments keep stack
  // traces readable, where a full source map cost ~60 MB RSS on the first trace (docs/cdk.md).
  minify: false,
  sourceMap: false,
} as const;

/**
 * The same options in esbuild's own API (`build()`), for a bundle built outside CDK and run on this
 * machine's Node.js: the target is the running Node.js when it is older than the Lambda's.
 */
export const proberEsbuildOptions = (nodeVersion: string = process.versions.node) => {
  const major = Number(nodeVersion.split('.')[0]);
  const lambdaMajor = Number(PROBER_BUNDLE.target.replace('node', ''));
  return {
    bundle: true,
    platform: 'node' as const,
    format: PROBER_BUNDLE.format,
    target: `node${Math.min(major, lambdaMajor)}`,
    mainFields: [...PROBER_BUNDLE.mainFields],
    minify: PROBER_BUNDLE.minify,
    sourcemap: PROBER_BUNDLE.sourceMap,
    banner: { js: REQUIRE_BANNER },
  };
};
