/** `bedrock-matrix probe`: the matrix of real Bedrock (or wherever the endpoint overrides point). */
import type { Recorder } from '../../lambda/adapters/recording';
import { render } from '../../lambda/core/render';
import { BEDROCK_OVERRIDES, checkEndpointOverrides, checkOverridesComplete } from '../endpoint-overrides';
import type { executeRuns } from '../execute';
import { checkOutputPath, emit } from '../files';
import { type Io, tableWidth } from '../io';
import { parseRegions, UsageError } from '../options';
import { type ProbeFlags, probeSettings, withEnvironment } from '../settings';

export interface ProbeCommandFlags extends ProbeFlags {
  readonly region?: string[];
  /** `--record DIR`: write every raw exchange of the run there, redacted. */
  readonly record?: string;
}

export async function runProbe(flags: ProbeCommandFlags, io: Io): Promise<number> {
  const regions = parseRegions(flags.region);
  const settings = probeSettings(withEnvironment(flags, io.env));
  // Before the first probe or store write: a bad path or override found later wastes the run.
  await checkOutputPath('--out', settings.out);
  checkEndpointOverrides(io.env);
  checkOverridesComplete(io.env);
  // The last check before work: a run without usable credentials would only print SDK traces,
  // an empty report and "no catalog answered". Imported once the flags are good: the SDKs take
  // seconds to load, a bad flag answers at once.
  const { checkCredentials, localCredentials } = await import('../credentials');
  await checkCredentials(localCredentials(io.env, BEDROCK_OVERRIDES), io.env);
  const recorder = flags.record === undefined ? undefined : await openRecorder(flags.record);
  let execution: Awaited<ReturnType<typeof executeRuns>>;
  try {
    const { executeRuns } = await import('../execute');
    execution = await executeRuns({ regions, settings, env: io.env, ...(recorder && { recorder }) }, io);
  } catch (err) {
    // Keep what was recorded up to the failure: it is the evidence of what went wrong.
    await recorder?.close().catch(() => {});
    throw err;
  }
  const { report, failedRegions, storeFailures } = execution;
  await recorder?.close(report);
  await emit(io, renderFor(report, settings, io), settings.out, `${settings.format} report`);
  if (storeFailures.length > 0) {
    // The report above holds every probed cell; what did not reach the store is named here.
    for (const f of storeFailures) io.stderr.write(`bedrock-matrix: run failed: ${f}\n`);
    return 1;
  }
  if (failedRegions.length === 0) return 0;
  // Exit 0 would tell a script an empty matrix is the answer; nothing was probed there.
  io.stderr.write(
    `bedrock-matrix: run failed: no catalog answered in ${failedRegions.join(', ')}, nothing was probed\n`,
  );
  return 1;
}

/** A directory that cannot take a recording is bad input: exit 2 before any probe. */
async function openRecorder(dir: string): Promise<Recorder> {
  if (dir.trim() === '') throw new UsageError('--record needs a directory');
  try {
    const { directoryRecorder } = await import('../../lambda/adapters/recording');
    return await directoryRecorder(dir);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function renderFor(
  report: Parameters<typeof render>[0],
  settings: {
    format: Parameters<typeof render>[1];
    color: boolean;
    out: string | undefined;
    wide?: boolean | undefined;
  },
  io: Io,
): string {
  const toTerminal = !settings.out && Boolean(io.stdout.isTTY);
  const width = tableWidth(io, settings);
  return render(report, settings.format, {
    color: settings.format === 'table' && settings.color && toTerminal,
    ...(width === undefined ? {} : { width }),
  });
}
