/**
 * Measures what one scheduled run of the deployed prober uses, on the local simulator: the real
 * Lambda handler (createHandler) with the stack's own settings, the real SDK probes, the store's
 * real write path over an in-memory table that counts DynamoDB request units, and the log lines
 * it writes, captured (a region's prober sends no metric, alert or event: the home does). Two runs: the first is the baseline a
 * fresh deploy makes once; the second, one schedule period later with nothing changed, is what
 * every later run costs.
 */
import { controlPlaneClient } from '../lambda/adapters/aws-clients';
import { createProbeClients } from '../lambda/adapters/probes';
import { regionProbing } from '../lambda/adapters/region-probing';
import { MemoryTable } from '../lambda/adapters/store/memory-table';
import { TableStore } from '../lambda/adapters/store/table-store';
import { readProberConfig } from '../lambda/config';
import type { Observation } from '../lambda/core/model';
import type { Prober } from '../lambda/engine/probe-port';
import { createHandler } from '../lambda/handler';
import { createLogger } from '../lambda/logger';
import { ENDPOINT_OVERRIDE_ENV, ENV } from '../lambda/shared/names';
import { TABLE } from '../lambda/shared/table-schema';
import { PROBER_ENV_SETTINGS } from '../lib/config';
import { loadScenario } from '../simulator/scenario';
import { startSimulator } from '../simulator/server';
import { countingTable, type RunMeasurement } from './measurement';

/** The simulator checks the SigV4 shape only, never the secret. */
const CREDENTIALS = { accessKeyId: 'AKIDCOSTMODEL', secretAccessKey: 'cost-model-secret' };
const REGION = 'us-east-1';

export interface MeasureOptions {
  /** The prober's environment as the template sets it (tokens as null): its settings. */
  readonly proberEnvironment: Readonly<Record<string, string | null>>;
  /** @default 'today' */
  readonly scenario?: string;
  /**
   * Minutes between two scheduled runs: the steady run starts one period after the baseline, so
   * what it rewrites (the cells last written a day ago, lambda/core/diff.ts) is what a deployed
   * run rewrites.
   * @default 60
   */
  readonly periodMinutes?: number;
}

export async function measureRun(opts: MeasureOptions): Promise<RunMeasurement> {
  const scenario = await loadScenario(opts.scenario ?? 'today');
  const periodMinutes = opts.periodMinutes ?? 60;
  const guardrail = scenario.guardrails[0];
  if (!guardrail) throw new Error(`scenario ${scenario.name} has no guardrail to probe with`);
  // Only the settings of the spec: where the table lives (name, region, account) is no setting.
  const variables = new Set<string>(PROBER_ENV_SETTINGS.map((k) => ENV[k]));
  const settings = Object.fromEntries(
    Object.entries(opts.proberEnvironment).flatMap(([k, v]) =>
      v === null || !variables.has(k) ? [] : [[k, v]],
    ),
  );
  const config = readProberConfig({
    ...settings,
    AWS_REGION: REGION,
    [ENV.tableName]: 'cost-model',
    [ENV.account]: '000000000000',
    [ENV.guardrailId]: guardrail.id,
    [ENV.guardrailVersion]: guardrail.versions[0] ?? '1',
  });

  const sim = await startSimulator({ scenario });
  try {
    const env = {
      [ENDPOINT_OVERRIDE_ENV.runtime]: sim.urls.runtime,
      [ENDPOINT_OVERRIDE_ENV.mantle]: sim.urls.mantle,
      [ENDPOINT_OVERRIDE_ENV.control]: sim.urls.control,
    };
    const clientOptions = { region: REGION, env, credentials: CREDENTIALS };
    const probing = regionProbing(
      createProbeClients({ ...clientOptions, timeoutMs: config.probeTimeoutMs ?? 20_000 }),
      controlPlaneClient(clientOptions),
    );
    const { table, usage } = countingTable(new MemoryTable(), TABLE.ttlAttribute);
    const store = new TableStore(table, { historyTtlDays: config.historyTtlDays, putConcurrency: 8 });

    let counting = false;
    const seen = {
      calls: 0,
      tokens: {} as Record<string, { input: number; output: number }>,
      textUnits: 0,
      logBytes: 0,
    };
    const observe = (modelKey: string, o: Observation, guarded: boolean) => {
      if (!counting) return;
      seen.calls += 1;
      const t = seen.tokens[modelKey] ?? { input: 0, output: 0 };
      seen.tokens[modelKey] = {
        input: t.input + (o.inputTokens ?? 0),
        output: t.output + (o.outputTokens ?? 0),
      };
      if (guarded && o.guardrail?.intervened === true) seen.textUnits += 1;
      if (guarded && o.guardrail?.intervened === false) seen.textUnits += 2;
    };
    const prober: Prober = async (req, signal) => {
      const o = await probing.prober(req, signal);
      observe(req.modelKey, o, req.guardrail !== null);
      return o;
    };
    const handler = createHandler({
      config,
      store,
      ...probing,
      prober,
      applyGuardrail: async (g, canary) => {
        const o = await probing.applyGuardrail(g, canary);
        if (counting) seen.textUnits += 1;
        return o;
      },
      log: createLogger((line) => {
        if (counting) seen.logBytes += Buffer.byteLength(line) + 1;
      }),
      // The simulator answers at once; keep the deployed retry counts, not their waits.
      probeLimits: { backoffBaseMs: 10, backoffMaxMs: 40, modelPacingMs: 0 },
    });
    const context = (id: string) => ({ awsRequestId: id, getRemainingTimeInMillis: () => 600_000 });
    const hour = Date.UTC(2026, 11, 1, 0, 0, 0);
    await handler({ scheduledTime: new Date(hour).toISOString() }, context('baseline'));
    Object.assign(usage, { writeUnits: 0, readUnits: 0, expiringBytes: 0, lastingBytes: 0 });
    counting = true;
    const outcome = await handler(
      { scheduledTime: new Date(hour + periodMinutes * 60_000).toISOString() },
      context('steady'),
    );

    return {
      measuredAt: new Date().toISOString(),
      scenario: scenario.name,
      settings,
      periodMinutes,
      calls: seen.calls,
      probesSent: outcome.probesSent,
      tokens: Object.fromEntries(Object.entries(seen.tokens).sort(([a], [b]) => a.localeCompare(b))),
      guardrailTextUnits: seen.textUnits,
      writeUnits: usage.writeUnits,
      readUnits: usage.readUnits,
      expiringBytes: usage.expiringBytes,
      lastingBytes: usage.lastingBytes,
      // Lambda adds its own START, END and REPORT lines (about 350 bytes) to every invocation.
      logBytes: seen.logBytes + 350,
    };
  } finally {
    await sim.close();
  }
}
