/** File helpers for commands: read errors become one-line UsageErrors naming the file. */
import { readFile, writeFile } from 'node:fs/promises';
import type { Report } from '../lambda/core/model';
import { parseReport, ReportFormatError } from '../lambda/core/render/json';
import type { Io } from './io';
import { UsageError } from './options';

export async function readReportFile(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read report "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  try {
    return parseReport(text, path);
  } catch (err) {
    if (err instanceof ReportFormatError) throw new UsageError(err.message);
    throw err;
  }
}

/** Writes to `out` when given (saying where on stderr), else to stdout. */
export async function emit(io: Io, text: string, out: string | undefined, what: string): Promise<void> {
  if (!out) {
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  try {
    await writeFile(out, text);
  } catch (err) {
    throw new UsageError(
      `--out: cannot write "${out}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  io.stderr.write(`bedrock-matrix: wrote ${what} to ${out}\n`);
}
