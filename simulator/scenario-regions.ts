/**
 * The scenario's `regions` and `defaultRegion`: how simulated regions differ. Region names are
 * checked as `--region` is (the settings spec), model keys against the scenario's own models.
 */
import { regionProblem } from '../lambda/shared/settings';
import type { Host, ScenarioModel, ScenarioRegion } from './types';
import type { Validator } from './validate';

/** A Bedrock region name, checked as the settings spec checks `--region`. */
export function parseRegion(v: Validator, value: unknown, path: string): string {
  const name = v.string(value, path);
  const problem = regionProblem(name);
  if (problem !== undefined) v.fail(path, problem, name);
  return name;
}

/** Hosts a region may lack: every Bedrock region has the runtime (docs/bedrock-wire.md "Regions"). */
const ABSENT_HOSTS: readonly Host[] = ['mantle'];

export function parseRegions(
  v: Validator,
  value: unknown,
  models: readonly ScenarioModel[],
): Record<string, ScenarioRegion> {
  const obj = v.object(value, 'regions', null);
  const keys = new Set(models.map((m) => m.key));
  const out: Record<string, ScenarioRegion> = {};
  for (const [name, spec] of Object.entries(obj)) {
    const path = `regions.${name}`;
    parseRegion(v, name, path);
    const r = v.object(spec, path, ['withoutModels', 'withoutHosts']);
    const withoutModels =
      r.withoutModels === undefined
        ? undefined
        : v.array(r.withoutModels, `${path}.withoutModels`).map((m, i) => {
            const key = v.string(m, `${path}.withoutModels[${i}]`);
            if (!keys.has(key))
              v.fail(`${path}.withoutModels[${i}]`, 'not a model key of this scenario', key);
            return key;
          });
    const withoutHosts =
      r.withoutHosts === undefined
        ? undefined
        : v
            .array(r.withoutHosts, `${path}.withoutHosts`)
            .map((h, i) => v.oneOf(h, `${path}.withoutHosts[${i}]`, ABSENT_HOSTS));
    if (withoutModels) v.unique(withoutModels, `${path}.withoutModels`, null);
    if (withoutHosts) v.unique(withoutHosts, `${path}.withoutHosts`, null);
    out[name] = {
      ...(withoutModels !== undefined && { withoutModels }),
      ...(withoutHosts !== undefined && { withoutHosts }),
    };
  }
  return out;
}
