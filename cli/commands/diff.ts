/**
 * `bedrock-matrix diff`: what changed between two runs, from two report files or from the store
 * (`--region` with `--since TIME` for confirmed changes, or `--runs A,B` to compare two runs).
 */

import { isMissingTable } from '../../lambda/adapters/store';
import { diffReports } from '../../lambda/core/diff';
import type { Change, Report, Scope } from '../../lambda/core/model';
import type { StoredRun } from '../../lambda/core/ports';
import { assembleReport } from '../../lambda/engine/report';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { renderChanges } from '../changes-view';
import { checkEndpointOverrides } from '../endpoint-overrides';
import { readReportFile } from '../files';
import type { Io } from '../io';
import { parseFormat, parseRegions, UsageError } from '../options';
import type { StackFlag } from '../stack-outputs';
import { openStore } from '../store';

export interface DiffFlags {
  readonly region?: string;
  readonly since?: string;
  readonly runs?: string;
  readonly table?: string;
  readonly stack?: StackFlag;
  readonly format?: string;
}

export async function runDiff(reports: readonly string[], flags: DiffFlags, io: Io): Promise<number> {
  const format = parseFormat(flags.format);
  if (format !== 'table' && format !== 'json' && format !== 'markdown')
    throw new UsageError(`--format: "${format}" is not available for diff (use table, json or markdown)`);
  const view = (changes: readonly Change[], title: string) => {
    io.stdout.write(renderChanges(changes, format, title));
    return 0;
  };

  if (reports.length > 0) {
    if (reports.length !== 2)
      throw new UsageError(`diff takes two report files (old, new), got ${reports.length}`);
    if (flags.region || flags.since || flags.runs)
      throw new UsageError('give either two report files or --region with --since/--runs, not both');
    const [a, b] = await Promise.all(reports.map(readReportFile));
    return view(diffReports(a as Report, b as Report), `${reports[0]} -> ${reports[1]}`);
  }

  if (!flags.region && !flags.since && !flags.runs)
    throw new UsageError(
      'diff needs two report files (old, new), or --region with --since TIME or --runs A,B',
    );
  const [region] = parseRegions(flags.region ? [flags.region] : []);
  if (!region) throw new UsageError('--region is required');
  if (Boolean(flags.since) === Boolean(flags.runs))
    throw new UsageError('give exactly one of --since TIME or --runs A,B');
  // Every flag is checked before the store is opened (which checks the credentials).
  const since = flags.since ? new Date(flags.since) : undefined;
  if (since && Number.isNaN(since.getTime()))
    throw new UsageError(`--since: "${flags.since}" is not a time (use ISO 8601, e.g. 2026-11-25T00:00:00Z)`);
  const ids = (flags.runs ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!since && ids.length !== 2)
    throw new UsageError(`--runs: "${flags.runs}" must be two run IDs separated by a comma`);
  checkEndpointOverrides(io.env, ['dynamodb']);
  const table = flags.table ?? 'bedrock-matrix';
  const store = await openStore(io.env, region, table, {
    create: false,
    stack: flags.stack,
  });
  const fromStore = <T>(read: Promise<T>): Promise<T> =>
    read.catch((err: unknown) => {
      if (isMissingTable(err))
        throw new UsageError(
          `--table: DynamoDB table "${table}" does not exist in ${region}${storeWhere(io.env)} (deploy the stack there, or name the table with --table)`,
        );
      throw err;
    });

  const scope: Scope = { account: await fromStore(store.account()), region };
  if (since) {
    const changes = await fromStore(store.changesSince(scope, since.toISOString()));
    return view(changes, `confirmed changes in ${region} since ${since.toISOString()}`);
  }

  const [a, b] = await fromStore(Promise.all(ids.map((id) => store.loadRun(scope, id))));
  ids.forEach((id, i) => {
    if (![a, b][i])
      throw new UsageError(
        `--runs: run "${id}" is not in the store for ${region} (expired, or another region?)`,
      );
  });
  return view(
    diffReports(toReport(a as StoredRun), toReport(b as StoredRun)),
    `runs ${ids[0]} -> ${ids[1]} in ${region}`,
  );
}

/** Where the store was looked for, when it is not the region's own DynamoDB. */
function storeWhere(env: NodeJS.ProcessEnv): string {
  const override = env[ENDPOINT_OVERRIDE_ENV.dynamodb];
  return override ? ` (at ${override})` : '';
}

/** A stored run as a report, through the one report assembly the probe uses. */
function toReport(stored: StoredRun): Report {
  const { run } = stored;
  return assembleReport({
    runId: run.runId,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? run.startedAt,
    source: run.source ?? 'aws',
    runs: [
      {
        region: run.region,
        models: stored.models,
        cells: stored.cells,
        guardrailControl: null,
        probesSent: run.probesSent,
        partial: run.partial,
      },
    ],
    changes: stored.changes,
  });
}
