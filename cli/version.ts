/**
 * `--version` and the version a CLI report records: package.json's version, plus the git commit
 * when the CLI runs from a clone (`0.1.0+3e8f328`; `-dirty` when the tree has changes), so a report
 * names the code that made it. No clone (an installed package): the package version alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_VERSION } from '../lambda/shared/version';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

let cached: string | undefined;

/** Asked once per process; git answers in milliseconds, and a missing git is just no commit. */
export function cliVersion(): string {
  cached ??= withCommit(PACKAGE_VERSION, gitCommit());
  return cached;
}

export const withCommit = (version: string, commit: string | undefined): string =>
  commit ? `${version}+${commit}` : version;

function gitCommit(): string | undefined {
  if (!existsSync(join(ROOT, '.git'))) return undefined;
  const git = (args: string[]): string =>
    execFileSync('git', ['-C', ROOT, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2000,
    }).trim();
  try {
    const commit = git(['rev-parse', '--short', 'HEAD']);
    return git(['status', '--porcelain', '--untracked-files=no']) === '' ? commit : `${commit}-dirty`;
  } catch {
    return undefined;
  }
}
