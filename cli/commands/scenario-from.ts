/** `bedrock-matrix scenario --from REPORT.json`: replay a day's Bedrock surface offline. */
import { basename } from 'node:path';
import { scenarioFromReport } from '../../simulator/from-report';
import { parseScenario, ScenarioError } from '../../simulator/scenario';
import { checkOutputPath, emit, readReportFile } from '../files';
import type { Io } from '../io';
import { parseCanary, UsageError } from '../options';

export interface ScenarioFromFlags {
  readonly from: string;
  readonly out?: string;
  readonly name?: string;
  readonly canary?: string;
}

export async function runScenarioFrom(flags: ScenarioFromFlags, io: Io): Promise<number> {
  await checkOutputPath('--out', flags.out);
  const report = await readReportFile(flags.from);
  const name = flags.name ?? `replay-${basename(flags.from).replace(/\.json$/i, '')}`;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name))
    throw new UsageError(`--name: "${name}" must be 1-64 of A-Z a-z 0-9 . _ -`);
  const scenario = scenarioFromReport(report, name, parseCanary(flags.canary));
  // The simulator's own validator is the judge: a scenario this command writes must load.
  try {
    parseScenario(scenario, name);
  } catch (err) {
    if (err instanceof ScenarioError)
      throw new Error(`the scenario made from ${flags.from} does not validate: ${err.message}`);
    throw err;
  }
  await emit(io, `${JSON.stringify(scenario, null, 2)}\n`, flags.out, `scenario "${name}"`);
  return 0;
}
