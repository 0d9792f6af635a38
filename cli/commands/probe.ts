/** `bedrock-matrix probe`: the matrix of real Bedrock (or wherever the endpoint overrides point). */
import { render } from '../../lambda/core/render';
import { checkEndpointOverrides } from '../endpoint-overrides';
import { executeRuns } from '../execute';
import { checkOutputPath, emit } from '../files';
import type { Io } from '../io';
import { parseRegions } from '../options';
import { type ProbeFlags, probeSettings, withEnvironment } from '../settings';

export interface ProbeCommandFlags extends ProbeFlags {
  readonly region?: string[];
}

export async function runProbe(flags: ProbeCommandFlags, io: Io): Promise<number> {
  const regions = parseRegions(flags.region);
  const settings = probeSettings(withEnvironment(flags, io.env));
  // Before the first probe or store write: a bad path or override found later wastes the run.
  await checkOutputPath('--out', settings.out);
  checkEndpointOverrides(io.env);
  const { report, failedRegions } = await executeRuns({ regions, settings, env: io.env }, io);
  await emit(io, renderFor(report, settings, io), settings.out, `${settings.format} report`);
  if (failedRegions.length === 0) return 0;
  // Exit 0 would tell a script an empty matrix is the answer; nothing was probed there.
  io.stderr.write(
    `bedrock-matrix: run failed: no catalog answered in ${failedRegions.join(', ')}, nothing was probed\n`,
  );
  return 1;
}

export function renderFor(
  report: Parameters<typeof render>[0],
  settings: { format: Parameters<typeof render>[1]; color: boolean; out: string | undefined },
  io: Io,
): string {
  const toTerminal = !settings.out && Boolean(io.stdout.isTTY);
  return render(report, settings.format, {
    color: settings.format === 'table' && settings.color && toTerminal,
    ...(toTerminal && io.stdout.columns ? { width: io.stdout.columns } : {}),
  });
}
