/**
 * The version of bedrock-matrix that made a report: package.json's, so a report can be traced to
 * a release (the CLI adds the git commit it runs from, see cli/version.ts). The JSON import is
 * inlined by esbuild into the Lambda bundle and read by tsx in the CLI: no file is read at run time.
 */
import pkg from '../../package.json' with { type: 'json' };

export const PACKAGE_VERSION: string = pkg.version;
