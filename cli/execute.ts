/**
 * One CLI run over one or more regions: the same engine as the Lambda (run-region, monitor),
 * wired to real SDK clients that honour the endpoint overrides.
 */
import { randomBytes } from 'node:crypto';
import cliProgress from 'cli-progress';
import { controlPlaneClient } from '../lambda/adapters/aws-clients';
import { createProbeClients } from '../lambda/adapters/probes';
import { type Recorder, recordingProber } from '../lambda/adapters/recording';
import { regionProbing } from '../lambda/adapters/region-probing';
import type { Change, Report, RunProblem } from '../lambda/core/model';
import { problemLine, runProblems } from '../lambda/core/run-problems';
import { runPipeline } from '../lambda/engine/pipeline';
import { assembleReport } from '../lambda/engine/report';
import { NoModelMatches, type RegionRun } from '../lambda/engine/run-region';
import { isLocal, localCredentials } from './credentials';
import { BEDROCK_OVERRIDES } from './endpoint-overrides';
import type { Io } from './io';
import { UsageError } from './options';
import type { ProbeSettings } from './settings';
import { openStore } from './store';
import { cliVersion } from './version';

export interface ExecuteOptions {
  readonly regions: readonly string[];
  readonly settings: ProbeSettings;
  /** The environment the clients read (overrides, credentials); the CLI's own or the demo's. */
  readonly env: NodeJS.ProcessEnv;
  /** One region's own environment (the demo's simulated regions differ in their hosts). @default env */
  readonly envFor?: (region: string) => NodeJS.ProcessEnv;
  readonly runId?: string;
  /** `probe --record`: every raw exchange and observation of the run. @default none */
  readonly recorder?: Recorder;
  /** How often a background response is polled. @default the prober's (250 ms) */
  readonly backgroundPollMs?: number;
}

export interface Execution {
  readonly report: Report;
  /** Regions where no catalog answered, so nothing could be probed: the run failed there. */
  readonly failedRegions: readonly string[];
  /** A store step that failed, per region, named (the report still holds what was probed). */
  readonly storeFailures: readonly string[];
}

export const newRunId = (at: Date): string =>
  `${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;

export async function executeRuns(options: ExecuteOptions, io: Io): Promise<Execution> {
  const { settings, env } = options;
  const started = new Date();
  const runId = options.runId ?? newRunId(started);
  const simulated = isLocal(env, BEDROCK_OVERRIDES);
  const credentials = localCredentials(env, BEDROCK_OVERRIDES);
  const runs: RegionRun[] = [];
  const changes: Change[] = [];
  const failedRegions: string[] = [];
  const storeFailures: string[] = [];
  const problems: RunProblem[] = [];

  for (const region of options.regions) {
    const { recorder } = options;
    const regionEnv = options.envFor?.(region) ?? env;
    const clientOptions = {
      region,
      env: regionEnv,
      timeoutMs: settings.dependencyTimeoutMs,
      ...(credentials ? { credentials } : {}),
      ...(recorder && { recorder }),
    };
    const clients = createProbeClients({
      ...clientOptions,
      timeoutMs: settings.timeoutMs,
      maxAnswerMb: settings.maxAnswerMb,
    });
    const store =
      settings.store === 'dynamodb'
        ? await openStore(regionEnv, region, settings.table, {
            create: true,
            timeoutMs: settings.dependencyTimeoutMs,
            stack: settings.stack,
          })
        : null;
    // The store's scope is its table's account (one DescribeTable); without a store nothing is kept.
    const account = store ? await store.account() : '';
    const progress = startProgress(io, settings.quiet, region);
    const probing = regionProbing(
      clients,
      controlPlaneClient(clientOptions),
      {
        timeoutMs: settings.timeoutMs,
        ...(options.backgroundPollMs ? { backgroundPollMs: options.backgroundPollMs } : {}),
      },
      { dependencyTimeoutMs: settings.dependencyTimeoutMs },
    );
    const prober = recorder ? recordingProber(probing.prober, recorder) : probing.prober;
    try {
      const result = await runPipeline(
        {
          account,
          region,
          runId,
          startedAt: started.toISOString(),
          source: simulated ? 'simulator' : 'aws',
          confirmCount: settings.confirmCount,
          noticeDays: settings.noticeDays,
          // The CLI prints its changes: no other channel will take them out of an outbox.
          outbox: false,
          plan: settings.plan,
          limits: {
            ...settings.limits,
            probeTimeoutMs: settings.timeoutMs,
            mantleFirstCallTimeoutMs: settings.mantleFirstCallTimeoutMs,
          },
          canary: settings.canary,
        },
        {
          store,
          ...probing,
          prober,
          onProgress: progress.update,
        },
      );
      const run = result.run;
      if (!run) continue;
      runs.push(run);
      changes.push(...result.changes);
      if (result.storeFailure) storeFailures.push(`${region}: ${result.storeFailure}`);
      const found = runProblems({
        region,
        cells: run.cells,
        catalogProblems: run.problems,
        guardrailProblems: run.guardrailProblems ?? [],
      });
      problems.push(...found, ...(result.storeFailure ? [storeProblem(region, result.storeFailure)] : []));
      for (const p of found) io.stderr.write(`bedrock-matrix: ${problemLine(p)}\n`);
      if (run.models.length === 0 && run.problems.length > 0) failedRegions.push(region);
    } catch (err) {
      if (err instanceof NoModelMatches) throw new UsageError(err.message);
      throw err;
    } finally {
      progress.stop();
    }
  }

  const report = assembleReport({
    runId,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    source: simulated ? 'simulator' : 'aws',
    runs,
    changes,
    problems,
    noticeDays: settings.noticeDays,
    toolVersion: cliVersion(),
  });
  return { report, failedRegions, storeFailures };
}

const storeProblem = (region: string, message: string): RunProblem => ({ region, scope: 'store', message });

/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI, --quiet). */
function startProgress(io: Io, quiet: boolean, region: string) {
  if (quiet || !io.stderr.isTTY) return { update: undefined, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${region} [{bar}] {value}/{total} cells | {duration}s`,
      stream: io.stderr as unknown as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0);
  return {
    update: (done: number, total: number) => {
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
