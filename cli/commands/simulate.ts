/** `bedrock-matrix simulate`: the local Bedrock, for anyone to point their own tools at. */
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
    { stdout: io.stdout, stderr: io.stderr },
  );
}
