import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEMBER_CODE_FILE, memberBundle } from '../../../lib/org/member-code';

// Runs esbuild (a child process, ~2 s): the one test of the real member bundle; the app tests use
// the stand-in an app that bundles no stack gets.
describe('the member code bundle', () => {
  it("builds the member code with the prober's esbuild options once per process, in a directory named by its hash", () => {
    // Act
    const first = memberBundle();
    const again = memberBundle();
    const code = readFileSync(join(first.dir, MEMBER_CODE_FILE), 'utf8');

    // Assess
    expect(again).toBe(first);
    expect(first.bundled).toBe(true);
    expect(first.dir).toContain(first.sha256.slice(0, 32));
    expect(code).toContain("import { createRequire } from 'node:module'");
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
    // The AWS SDK is inside, as in the region stacks' bundle.
    expect(code).toContain('@aws-sdk/client-bedrock');
    expect(existsSync(memberBundle({ bundle: false }).dir)).toBe(true);
  });
});
