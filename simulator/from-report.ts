/**
 * A report (a real run included) turned into a simulator scenario, so a team can replay the
 * Bedrock surface of that day offline. Only what the report proves is carried over: an api is
 * served where its `basic` cell was `supported`, on the route and ID that answered.
 */

import type { Api, CellResult, Endpoint, Report } from '../lambda/core/model';
import { DEFAULTS, GUARDRAIL_MESSAGES } from '../lambda/shared/names';
import { familyOfKey, SIM_FEATURES, stripProfile } from './surface';
import type { ApiSupport, GuardrailBehaviour, HostPresence, Scenario, ScenarioModel } from './types';

export function scenarioFromReport(report: Report, name: string, canary: string = DEFAULTS.canary): Scenario {
  const cellsBy = new Map<string, CellResult[]>();
  for (const c of report.cells) {
    const k = `${c.model}|${c.endpoint}`;
    cellsBy.set(k, [...(cellsBy.get(k) ?? []), c]);
  }

  const models: ScenarioModel[] = report.models.map((m) => {
    const runtime = presence(m.ids.runtime, cellsBy.get(`${m.key}|runtime`) ?? [], 'runtime');
    // Known on runtime only through a profile: ListFoundationModels did not list it that day.
    const listed = m.sources.includes('foundation-models');
    const mantle = presence(m.ids.mantle, cellsBy.get(`${m.key}|mantle`) ?? [], 'mantle');
    return {
      key: m.key,
      provider: m.provider,
      family: familyOfKey(m.key),
      ...(runtime ? { runtime: listed ? runtime : { ...runtime, listed: false } } : {}),
      ...(mantle ? { mantle } : {}),
    };
  });

  const control = report.guardrailControls?.[0];
  return {
    name,
    description: `Replay of run ${report.runId} (${report.startedAt}, ${report.regions.join(', ')}), made by bedrock-matrix scenario --from. Only cells the run saw as supported are served.`,
    guardrailBehaviour: guardrailBehaviour(report.cells),
    guardrails: [
      {
        id:
          control?.guardrailId && /^[a-z0-9]+$/i.test(control.guardrailId) ? control.guardrailId : 'gr-probe',
        versions: [
          control?.guardrailVersion && /^\d+$/.test(control.guardrailVersion)
            ? control.guardrailVersion
            : '1',
        ],
        words: [canary],
        blockedInputMessage: GUARDRAIL_MESSAGES.input,
        blockedOutputMessage: GUARDRAIL_MESSAGES.output,
      },
    ],
    models,
  };
}

function presence(
  id: string | undefined,
  cells: readonly CellResult[],
  endpoint: Endpoint,
): HostPresence | undefined {
  if (!id) return undefined;
  const apis: Partial<Record<Api, ApiSupport>> = {};
  let denied = false;
  for (const basic of cells.filter((c) => c.variant === 'basic')) {
    if (basic.status === 'no-access') denied = true;
    if (basic.status !== 'supported') continue;
    const features = SIM_FEATURES.filter((f) =>
      cells.some((c) => c.api === basic.api && c.variant === f && c.status === 'supported'),
    );
    const route = basic.evidence.route;
    apis[basic.api] = { ...(route ? { routes: [route] } : {}), features };
  }
  if (endpoint === 'mantle') return { id, apis, ...(denied ? { access: 'denied' as const } : {}) };
  // A runtime ID with a geography prefix is an inference profile: the model itself is then
  // profile-only, exactly what made the run pick the profile.
  const bare = stripProfile(id);
  return bare === id
    ? { id, apis, ...(denied ? { access: 'denied' as const } : {}) }
    : { id: bare, onDemand: false, profiles: [id], apis, ...(denied ? { access: 'denied' as const } : {}) };
}

/** Per endpoint x api, what most guardrail cells saw (ties read as `ignored`: the cautious reading). */
function guardrailBehaviour(cells: readonly CellResult[]): Scenario['guardrailBehaviour'] {
  const tally = new Map<string, { enforced: number; ignored: number }>();
  for (const c of cells) {
    if (c.variant !== 'guardrail' || (c.status !== 'enforced' && c.status !== 'ignored')) continue;
    const k = `${c.endpoint}|${c.api}`;
    const t = tally.get(k) ?? { enforced: 0, ignored: 0 };
    t[c.status] += 1;
    tally.set(k, t);
  }
  const out: Partial<Record<Endpoint, Partial<Record<Api, GuardrailBehaviour>>>> = {};
  for (const [k, t] of tally) {
    const [endpoint, api] = k.split('|') as [Endpoint, Api];
    out[endpoint] = { ...out[endpoint], [api]: t.enforced > t.ignored ? 'enforced' : 'ignored' };
  }
  return out;
}
