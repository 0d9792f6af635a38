/**
 * The prober Lambda as it is deployed: lambda/index.ts bundled by esbuild with the options of
 * lib/prober-function.ts (ESM, SDK bundled, the require banner), then invoked in a Node process of
 * its own with the environment the stack sets, the way the Lambda runtime imports and calls it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { proberEsbuildOptions } from '../../lib/prober-bundle';

/**
 * A Lambda entry bundled with the NodejsFunction's options (lib/prober-bundle.ts), on this
 * machine's Node.js. @default the prober (lambda/index.ts); `home/index.ts` is the home's function.
 */
export async function bundleProber(entry = 'index.ts'): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'bmx-bundle-')), 'index.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL(`../../lambda/${entry}`, import.meta.url))],
    outfile,
    ...proberEsbuildOptions(),
    logLevel: 'error',
  });
  return outfile;
}

export interface Invocation {
  readonly ok: boolean;
  /** The handler's result, or the thrown error's message. */
  readonly result: Record<string, unknown> | string;
  /** The function's log lines (stdout). */
  readonly logs: readonly string[];
  readonly ms: number;
}

/** One invocation in a fresh process (a cold container) with `env` as the function's environment. */
export function invokeBundled(
  bundle: string,
  env: Record<string, string>,
  event: Record<string, unknown>,
  remainingMs = 120_000,
): Promise<Invocation> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    const started = Date.now();
    const context = { awsRequestId: 'req-' + process.pid, getRemainingTimeInMillis: () => ${remainingMs} - (Date.now() - started) };
    try {
      const result = await handler(${JSON.stringify(event)}, context);
      process.stdout.write('\\nRESULT ' + JSON.stringify({ ok: true, result }) + '\\n');
    } catch (err) {
      process.stdout.write('\\nRESULT ' + JSON.stringify({ ok: false, result: err.message }) + '\\n');
    }`;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', () => {
      const lines = out.split('\n').filter(Boolean);
      const last = lines.find((l) => l.startsWith('RESULT '));
      if (!last) return reject(new Error(`bundled handler printed no result: ${out.slice(-500)}`));
      const { ok, result } = JSON.parse(last.slice('RESULT '.length)) as Pick<Invocation, 'ok' | 'result'>;
      resolve({ ok, result, logs: lines.filter((l) => !l.startsWith('RESULT ')), ms: Date.now() - started });
    });
  });
}
