#!/usr/bin/env node
// The CLI runs from dist/, built by esbuild at `npm ci` (the `prepare` script) and again here
// when a source file changed since (scripts/build-cli.mjs): a start then loads compiled
// JavaScript, not ~150 TypeScript files through tsx. Without esbuild (a production-only install)
// it falls back to running the TypeScript through tsx.
import { pathToFileURL } from 'node:url';
import { buildCli, currentBuild } from '../scripts/build-cli.mjs';

// The AWS SDK warns on every run under Node 20 that releases after January 2027 need Node 22;
// the README says so once, and the CLI's output stays readable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const load = async () => {
  let entry = currentBuild();
  if (!entry) {
    try {
      entry = (await buildCli()).entry;
    } catch (err) {
      if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
      const { register } = await import('tsx/esm/api');
      register();
      return import('../cli/main.ts');
    }
  }
  return import(pathToFileURL(entry).href);
};

const { main } = await load();
process.exitCode = await main(process.argv.slice(2));
