/** `bedrock-matrix report --in FILE --format F`: re-render a saved JSON report. */
import { render } from '../../lambda/core/render';
import { checkOutputPath, emit, readReportFile } from '../files';
import type { Io } from '../io';
import { parseFormat } from '../options';

export interface ReportFlags {
  readonly in: string;
  readonly format?: string;
  readonly out?: string;
  readonly color?: boolean;
}

export async function runReport(flags: ReportFlags, io: Io): Promise<number> {
  const format = parseFormat(flags.format);
  await checkOutputPath('--out', flags.out);
  const report = await readReportFile(flags.in);
  const color = format === 'table' && (flags.color ?? true) && !flags.out && Boolean(io.stdout.isTTY);
  await emit(
    io,
    render(report, format, { color, ...(io.stdout.columns ? { width: io.stdout.columns } : {}) }),
    flags.out,
    `${format} report`,
  );
  return 0;
}
