import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { buildCli, currentBuild } from '../../scripts/build-cli.mjs';

interface Metafile {
  readonly outputs: Record<
    string,
    {
      readonly imports: { path: string; kind: string; external?: boolean }[];
      readonly inputs: Record<string, unknown>;
    }
  >;
}

/** The package a bundled input file belongs to (`node_modules/@scope/name/...`), if any. */
const packageOf = (input: string): string | undefined =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];

/**
 * Every package a chunk loads before its code runs, bundled into it or imported from outside:
 * its static imports, followed through chunks.
 */
const staticPackages = (metafile: Metafile, entry: string): Set<string> => {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const input of Object.keys(metafile.outputs[output]?.inputs ?? {})) {
      const name = packageOf(input);
      if (name) packages.add(name);
    }
    for (const i of metafile.outputs[output]?.imports ?? []) {
      if (i.kind !== 'import-statement') continue; // a dynamic import() loads only when its command runs
      if (i.external) packages.add(i.path);
      else visit(i.path);
    }
  };
  visit(entry);
  return packages;
};

describe('scripts/build-cli.mjs: the CLI starts from a build, not from TypeScript', () => {
  it('builds an entry that loads no SDK before a command runs, and bin uses that build', {
    timeout: 60_000,
  }, async () => {
    // Act
    const { entry, metafile } = (await buildCli()) as { entry: string; metafile: Metafile };

    // Assess: --help and flag errors load commander and the CLI's own code, never an SDK.
    const key = Object.keys(metafile.outputs).find((o) => entry.endsWith(o));
    expect(key).toBeDefined();
    const loaded = [...staticPackages(metafile, key as string)];
    expect(loaded.filter((p) => /^(@aws-sdk|@smithy|openai|@anthropic-ai|@aws\/)/.test(p))).toEqual([]);
    expect(loaded).toContain('commander');
    expect(currentBuild()).toBe(entry);
  });
});
