import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { PROJECT_ROOT } from '../bundled-function';
import { PROBER_BUNDLE, proberEsbuildOptions } from '../prober-bundle';

/** The member function's code: a directory holding `index.mjs` (handler `index.handler`). */
export interface MemberBundle {
  /** Directory named by the content's hash, holding only `index.mjs`. */
  readonly dir: string;
  /** SHA-256 of `index.mjs`. */
  readonly sha256: string;
  /** False when synthesis skips bundling (construct tests): `index.mjs` is a stand-in that throws. */
  readonly bundled: boolean;
}

/** The file Lambda loads for handler `index.handler` of an ESM bundle. */
export const MEMBER_CODE_FILE = 'index.mjs';

const built = new Map<string, MemberBundle>();

/**
 * The member function's bundle: `entry` (the prober's `lambda/index.ts`) built by esbuild with the
 * prober's own options (lib/prober-bundle.ts), so a member runs what a region stack's
 * NodejsFunction runs. Built once per process and entry, whatever the number of code stacks that
 * publish it, and written to a directory named by its hash, so the same code is the same asset
 * (and the same S3 key) in every region. With `bundle: false` (an app that bundles no stack: the
 * construct tests) a small stand-in is written instead.
 */
export const memberBundle = (
  props: { readonly entry?: string; readonly bundle?: boolean } = {},
): MemberBundle => {
  const entry = props.entry ?? `${PROJECT_ROOT}lambda/index.ts`;
  const bundle = props.bundle ?? true;
  const cacheKey = `${bundle}:${entry}`;
  const cached = built.get(cacheKey);
  if (cached) return cached;
  const code = bundle ? buildCode(entry) : Buffer.from(STAND_IN);
  const sha256 = createHash('sha256').update(code).digest('hex');
  const dir = join(tmpdir(), `bedrock-matrix-member-${sha256.slice(0, 32)}`);
  if (!existsSync(join(dir, MEMBER_CODE_FILE))) {
    // Written beside and renamed, so a parallel synth never sees half a file.
    mkdirSync(dir, { recursive: true });
    const partial = join(dir, `.${process.pid}.partial`);
    writeFileSync(partial, code);
    renameSync(partial, join(dir, MEMBER_CODE_FILE));
  }
  const result: MemberBundle = { dir, sha256, bundled: bundle };
  built.set(cacheKey, result);
  return result;
};

const buildCode = (entry: string): Buffer => {
  const output = buildSync({
    ...proberEsbuildOptions(`${PROBER_BUNDLE.target.replace('node', '')}.0.0`),
    entryPoints: [entry],
    outfile: MEMBER_CODE_FILE,
    // Paths in the bundle's module comments are relative to the repository, the same on any machine.
    absWorkingDir: PROJECT_ROOT,
    write: false,
    logLevel: 'warning',
  });
  const file = output.outputFiles[0];
  if (!file) throw new Error(`esbuild wrote no output for ${entry}`);
  return Buffer.from(file.contents);
};

const STAND_IN = `// bedrock-matrix: bundling was skipped at synth time; this is not the member code.
export const handler = async () => {
  throw new Error('bedrock-matrix member: synthesized without bundling (stand-in code)');
};
`;
