/**
 * `bedrock-matrix report`: render saved JSON reports (`--in FILE`, repeatable) or the stored
 * confirmed matrix (`--store dynamodb --region R [--region ...]`) in any format, without probing;
 * `--view regions` shows the same data as models x regions per endpoint/api.
 */
import { isMissingTable } from '../../lambda/adapters/store';
import type { Report } from '../../lambda/core/model';
import { render } from '../../lambda/core/render';
import { renderRegionView } from '../../lambda/core/render/regions';
import { readStoredRegion, type StoredRegion, storedReport } from '../../lambda/core/stored-report';
import { checkOutputPath, emit, readReportFile } from '../files';
import { type Io, tableWidth } from '../io';
import {
  parseFormat,
  parseRegions,
  parseSettingAs,
  parseStore,
  parseView,
  UsageError,
  type View,
} from '../options';
import { regionViewFormat } from '../region-view-format';
import { mergeReports } from '../report-files';
import type { StackFlag } from '../stack-outputs';
import { openStore } from '../store';

/** The whole stored change history: the regions view dates each first "supported" from it. */
const ALL_HISTORY = '1970-01-01T00:00:00.000Z';

export interface ReportFlags {
  /** One or more report files (repeat `--in`). */
  readonly in?: readonly string[];
  readonly format?: string;
  readonly view?: string;
  readonly out?: string;
  readonly color?: boolean;
  /** `--wide`: the table's full view, whatever the terminal's width. */
  readonly wide?: boolean;
  readonly store?: string;
  readonly region?: string[];
  readonly table?: string;
  readonly stack?: StackFlag;
  readonly noticeDays?: string;
}

export function parseTable(value: string | undefined): string {
  const table = value ?? 'bedrock-matrix';
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table))
    throw new UsageError(`--table: "${table}" is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)`);
  return table;
}

export async function runReport(flags: ReportFlags, io: Io): Promise<number> {
  const format = parseFormat(flags.format);
  const view = parseView(flags.view);
  const regionFormat = view === 'regions' ? regionViewFormat(format, '--view regions') : null;
  const store = parseStore(flags.store);
  const files = flags.in ?? [];
  if (files.length > 0 && store === 'dynamodb')
    throw new UsageError('give either --in FILE or --store dynamodb, not both');
  if (files.length === 0 && store !== 'dynamodb')
    throw new UsageError('report needs --in FILE (a saved report) or --store dynamodb --region R');
  await checkOutputPath('--out', flags.out);
  const noticeDays =
    flags.noticeDays === undefined
      ? undefined
      : parseSettingAs('noticeDays', '--notice-days', flags.noticeDays);
  const read = files.length > 0 ? await readFiles(files, io) : await readStore(flags, io, view);
  const report = noticeDays === undefined ? read : { ...read, noticeDays: noticeDays as number };
  if (regionFormat) {
    await emit(io, renderRegionView(report, regionFormat), flags.out, `${format} regions view`);
    return 0;
  }
  const color = format === 'table' && (flags.color ?? true) && !flags.out && Boolean(io.stdout.isTTY);
  await emit(
    io,
    render(report, format, { color, ...widthOf(tableWidth(io, flags)) }),
    flags.out,
    `${format} report`,
  );
  return 0;
}

const widthOf = (width: number | undefined) => (width === undefined ? {} : { width });

/** One file as it is; several as one report, each region from the newest file that has it. */
async function readFiles(paths: readonly string[], io: Io): Promise<Report> {
  const reports = await Promise.all(paths.map(readReportFile));
  if (reports.length === 1) return reports[0] as Report;
  const { report, replaced } = mergeReports(reports);
  for (const r of replaced)
    io.stderr.write(
      `bedrock-matrix: ${r.region}: using ${paths[r.kept]}, the newer of the files that hold it\n`,
    );
  return report;
}

async function readStore(flags: ReportFlags, io: Io, view: View) {
  const regions = parseRegions(flags.region);
  const table = parseTable(flags.table);
  const stored: StoredRegion[] = [];
  for (const region of regions) {
    const store = await openStore(io.env, region, table, { create: false, stack: flags.stack });
    try {
      const scope = { account: await store.account(), region };
      stored.push(
        await readStoredRegion(store, scope, view === 'regions' ? { changesSince: ALL_HISTORY } : {}),
      );
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
