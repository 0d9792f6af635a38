/** File helpers for commands: read and write errors become one-line UsageErrors naming the file. */
import { open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Report } from '../lambda/core/model';
import { parseReport, ReportFormatError } from '../lambda/core/report-file';
import { scrubDeep, scrubOutput } from '../lambda/core/scrub';
import type { Io } from './io';
import { UsageError } from './options';

const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);

/**
 * Report text in whatever encoding a user's tools wrote it: UTF-8 with or without a byte-order
 * mark, or UTF-16 LE/BE with one (Windows PowerShell's `>` and `Out-File` write UTF-16 LE with a
 * BOM, `Set-Content -Encoding utf8` a UTF-8 BOM). Anything else fails with a line naming the file.
 */
export function decodeReportText(bytes: Uint8Array, path: string): string {
  const [b0, b1, b2] = bytes;
  try {
    if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf)
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
    if (b0 === 0xff && b1 === 0xfe)
      return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    if (b0 === 0xfe && b1 === 0xff)
      return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
  } catch {
    throw new UsageError(
      `cannot read report "${path}": its byte-order mark promises Unicode, but the bytes are not`,
    );
  }
  // JSON text opens with ASCII; a NUL beside it is UTF-16 whose byte-order mark was lost.
  if (bytes.length >= 2 && (b0 === 0 || b1 === 0))
    throw new UsageError(
      `cannot read report "${path}": looks like UTF-16 without a byte-order mark; save it as UTF-8`,
    );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new UsageError(
      `cannot read report "${path}": not UTF-8 or UTF-16 text (byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at}); save it as UTF-8`,
    );
  }
}

/**
 * Offset of the byte that starts the first bad UTF-8 sequence (a stray continuation byte, or a
 * lead byte without its continuations): what a user looks for in a hex editor.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  // Only the stricter rules (overlong forms, surrogates) failed: point at the start.
  return 0;
}

/** A report file, parsed and scrubbed: a file may come from anywhere and is rendered again. */
export async function readReportFile(path: string): Promise<Report> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new UsageError(`cannot read report "${path}": ${code(err)}`);
  }
  const text = decodeReportText(bytes, path);
  try {
    return scrubDeep(parseReport(text, path));
  } catch (err) {
    if (err instanceof ReportFormatError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * Fails with one line naming `path` unless a file can be written there: called before any probe
 * or store write, so a bad `--out` costs nothing. An existing file is opened for writing without
 * truncating it; for a new one the file is created and removed at once, so nothing is left behind.
 */
export async function checkOutputPath(flag: string, path: string | undefined): Promise<void> {
  if (!path) return;
  const fail = (why: string): never => {
    throw new UsageError(`${flag}: cannot write "${path}": ${why}`);
  };
  const existing = await stat(path).catch((err: NodeJS.ErrnoException) =>
    err.code === 'ENOENT' ? null : fail(code(err)),
  );
  if (existing?.isDirectory()) fail('it is a directory');
  if (existing) {
    const handle = await open(path, 'r+').catch((err) => fail(code(err)));
    await handle.close();
    return;
  }
  const dir = dirname(resolve(path));
  const parent = await stat(dir).catch((err) => fail(`${code(err)} (directory "${dir}")`));
  if (!parent.isDirectory()) fail(`"${dir}" is not a directory`);
  const handle = await open(path, 'wx').catch((err) => fail(code(err)));
  await handle.close();
  await unlink(path).catch(() => {});
}

/** Writes to `out` when given (saying where on stderr), else to stdout; scrubbed either way. */
export async function emit(io: Io, text: string, out: string | undefined, what: string): Promise<void> {
  const clean = scrubOutput(text);
  if (!out) {
    io.stdout.write(clean.endsWith('\n') ? clean : `${clean}\n`);
    return;
  }
  try {
    await writeFile(out, clean);
  } catch (err) {
    throw new UsageError(`--out: cannot write "${out}": ${code(err)}`);
  }
  io.stderr.write(`bedrock-matrix: wrote ${what} to ${out}\n`);
}
