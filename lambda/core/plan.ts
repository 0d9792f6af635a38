/**
 * Plan step (pure): which cells to probe, with the alternatives to try before a refusal is believed.
 * Basic cells come first; feature and guardrail variants only follow a `supported` basic cell.
 */
import { routesFor } from './endpoints';
import {
  API_VARIANTS,
  APIS,
  type Api,
  type CellKey,
  ENDPOINT_APIS,
  ENDPOINTS,
  type FeatureVariant,
  type InvokeFamily,
  type ProbeGuardrail,
  type Status,
} from './model';
import type { ResolvedModel } from './resolve';

export interface PlanConfig {
  /** @default all apis */
  readonly apis?: readonly Api[];
  /** Model-key globs to include (`*`, `?`); empty = all. */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** Feature variants to plan after a supported basic cell. @default all the api expresses */
  readonly features?: readonly FeatureVariant[];
  /** null = no guardrail configured: guardrail cells are skipped with that reason. */
  readonly guardrail: ProbeGuardrail | null;
}

export interface ProbeTask extends CellKey {
  /** IDs to try in order (runtime: on-demand, then profiles). Empty when `decided`. */
  readonly modelIds: readonly string[];
  /** Route prefixes to try in order; [null] for converse/invoke. */
  readonly routes: readonly (string | null)[];
  readonly family: InvokeFamily | null;
  /** Settled without a call: absent from the catalog, no known body, excluded. */
  readonly decided?: { readonly status: Status; readonly reason: string };
}

export function invokeFamilyOf(key: string): InvokeFamily | null {
  if (key.startsWith('anthropic.')) return 'anthropic';
  if (key.startsWith('openai.gpt-oss')) return 'gpt-oss';
  if (key.startsWith('amazon.nova')) return 'nova';
  if (key.startsWith('meta.')) return 'meta';
  if (key.startsWith('mistral.')) return 'mistral';
  return null;
}

export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

export function modelFilter(
  include: readonly string[] = [],
  exclude: readonly string[] = [],
): (key: string) => boolean {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return (key) => (inc.length === 0 || inc.some((r) => r.test(key))) && !exc.some((r) => r.test(key));
}

export function planBasic(region: string, models: readonly ResolvedModel[], config: PlanConfig): ProbeTask[] {
  const apis = config.apis ?? APIS;
  const wanted = modelFilter(config.include, config.exclude);
  const tasks: ProbeTask[] = [];
  for (const model of models) {
    if (!wanted(model.key)) continue;
    for (const endpoint of ENDPOINTS) {
      for (const api of ENDPOINT_APIS[endpoint]) {
        if (!apis.includes(api)) continue;
        const key: CellKey = { region, model: model.key, endpoint, api, variant: 'basic' };
        const family = api === 'invoke' ? invokeFamilyOf(model.key) : null;
        const modelIds =
          endpoint === 'runtime' ? model.runtimeCandidates : model.ids.mantle ? [model.ids.mantle] : [];
        const absent = model.absent[endpoint];
        let decided: ProbeTask['decided'];
        if (modelIds.length === 0) {
          // A failed catalog listing is transient; a model simply not listed is a fact.
          const unavailable = absent?.includes('unavailable') ?? false;
          decided = {
            status: unavailable ? 'error' : 'not-found',
            reason: absent ?? 'no ID reaches the model',
          };
        } else if (api === 'invoke' && family === null) {
          decided = {
            status: 'skipped',
            reason: `no known InvokeModel request body for provider ${model.provider}`,
          };
        }
        tasks.push({
          ...key,
          modelIds,
          routes: routesFor(endpoint, api),
          family,
          ...(decided ? { decided } : {}),
        });
      }
    }
  }
  return tasks;
}

/** The follow-up cells of one `supported` basic cell, pinned to the route and ID that worked. */
export function planFollowUps(
  basic: ProbeTask,
  worked: { readonly route: string | null; readonly modelId: string },
  config: PlanConfig,
): ProbeTask[] {
  const features = (config.features ?? API_VARIANTS[basic.api]).filter((f) =>
    API_VARIANTS[basic.api].includes(f),
  );
  const pinned = { modelIds: [worked.modelId], routes: [worked.route], family: basic.family };
  const tasks: ProbeTask[] = features.map((variant) => ({ ...basic, ...pinned, variant }));
  tasks.push({
    ...basic,
    ...pinned,
    variant: 'guardrail',
    ...(config.guardrail ? {} : { decided: { status: 'skipped', reason: 'no probe guardrail configured' } }),
  });
  return tasks;
}
