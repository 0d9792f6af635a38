/** `bedrock-matrix simulate`: the local Bedrock, for anyone to point their own tools at. */
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { runSimulate } from '../../simulator/main';
import type { Io } from '../io';
import { parsePort } from '../options';

export interface SimulateFlags {
  readonly scenario?: string;
  readonly runtimePort?: string;
  readonly mantlePort?: string;
  readonly controlPort?: string;
  readonly replay?: string;
}

export async function runSimulateCommand(flags: SimulateFlags, io: Io): Promise<number> {
  return runSimulate(
    {
      ...(flags.scenario ? { scenario: flags.scenario } : {}),
      ...(flags.replay !== undefined ? { replay: flags.replay } : {}),
      runtimePort: parsePort('--runtime-port', flags.runtimePort),
      mantlePort: parsePort('--mantle-port', flags.mantlePort),
      controlPort: parsePort('--control-port', flags.controlPort),
    },
    // stdout stays the one JSON line scripts parse; the lines a person pastes go to stderr.
    { stdout: io.stdout, stderr: io.stderr, onReady: (sim) => io.stderr.write(exportLines(sim.urls)) },
  );
}

/** The shell lines that point bedrock-matrix (probe, demo --aws, report --store) at the simulator. */
export const exportLines = (urls: {
  readonly runtime: string;
  readonly mantle: string;
  readonly control: string;
}): string =>
  [
    '# paste into the shell that runs bedrock-matrix against this simulator:',
    `export ${ENDPOINT_OVERRIDE_ENV.runtime}=${urls.runtime}`,
    `export ${ENDPOINT_OVERRIDE_ENV.mantle}=${urls.mantle}`,
    `export ${ENDPOINT_OVERRIDE_ENV.control}=${urls.control}`,
    '',
  ].join('\n');
