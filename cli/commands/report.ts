/**
 * `bedrock-matrix report`: render a saved JSON report (`--in FILE`) or the stored confirmed
 * matrix (`--store dynamodb --region R [--region ...]`) in any format, without probing.
 */
import { isMissingTable } from '../../lambda/adapters/dynamodb-store';
import { render } from '../../lambda/core/render';
import { readStoredRegion, type StoredRegion, storedReport } from '../../lambda/core/stored-report';
import { checkOutputPath, emit, readReportFile } from '../files';
import type { Io } from '../io';
import { parseFormat, parseRegions, parseStore, UsageError } from '../options';
import { openStore } from '../store';

export interface ReportFlags {
  readonly in?: string;
  readonly format?: string;
  readonly out?: string;
  readonly color?: boolean;
  readonly store?: string;
  readonly region?: string[];
  readonly table?: string;
}

export function parseTable(value: string | undefined): string {
  const table = value ?? 'bedrock-matrix';
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table))
    throw new UsageError(`--table: "${table}" is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)`);
  return table;
}

export async function runReport(flags: ReportFlags, io: Io): Promise<number> {
  const format = parseFormat(flags.format);
  const store = parseStore(flags.store);
  if (flags.in && store === 'dynamodb')
    throw new UsageError('give either --in FILE or --store dynamodb, not both');
  if (!flags.in && store !== 'dynamodb')
    throw new UsageError('report needs --in FILE (a saved report) or --store dynamodb --region R');
  await checkOutputPath('--out', flags.out);
  const report = flags.in ? await readReportFile(flags.in) : await readStore(flags, io);
  const color = format === 'table' && (flags.color ?? true) && !flags.out && Boolean(io.stdout.isTTY);
  await emit(
    io,
    render(report, format, { color, ...(io.stdout.columns ? { width: io.stdout.columns } : {}) }),
    flags.out,
    `${format} report`,
  );
  return 0;
}

async function readStore(flags: ReportFlags, io: Io) {
  const regions = parseRegions(flags.region);
  const table = parseTable(flags.table);
  const stored: StoredRegion[] = [];
  for (const region of regions) {
    const store = await openStore(io.env, region, table, { create: false });
    try {
      stored.push(await readStoredRegion(store, region));
    } catch (err) {
      if (isMissingTable(err)) throw new UsageError(`--table: table "${table}" does not exist in ${region}`);
      throw err;
    }
  }
  for (const s of stored) {
    if (!s.latestRun) io.stderr.write(`bedrock-matrix: ${s.region}: the store holds no run yet\n`);
  }
  return storedReport(stored);
}
