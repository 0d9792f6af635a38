/**
 * `--format litellm`: a LiteLLM proxy `model_list` that routes each model to an endpoint and api
 * measured to work (a `basic` cell that is `supported`). Config shape and provider prefixes from
 * the LiteLLM docs (https://docs.litellm.ai/docs/proxy/configs,
 * https://docs.litellm.ai/docs/providers/bedrock, https://docs.litellm.ai/docs/providers/bedrock_mantle);
 * see docs/bedrock-wire.md. The output is JSON, which LiteLLM's YAML config loader reads as YAML.
 */
import { publicBaseUrl } from './endpoints';
import type { Api, CellResult, Endpoint, Report } from './model';
import { reportRegions } from './render/common';

export interface LiteLlmDeployment {
  readonly model_name: string;
  readonly litellm_params: {
    readonly model: string;
    readonly aws_region_name: string;
    readonly api_base?: string;
    readonly api_key?: string;
  };
  readonly model_info: { readonly id: string };
}

export interface LiteLlmConfig {
  readonly model_list: readonly LiteLlmDeployment[];
}

/**
 * Which measured path LiteLLM can drive, in order of preference, and the model string for it.
 * Runtime Responses and runtime Messages have no LiteLLM route we could confirm: never listed.
 */
const ROUTES: readonly {
  readonly endpoint: Endpoint;
  readonly api: Api;
  readonly model: (id: string) => string;
  /** LiteLLM needs the mantle base URL with the route that worked. */
  readonly apiBase: boolean;
}[] = [
  { endpoint: 'runtime', api: 'converse', model: (id) => `bedrock/converse/${id}`, apiBase: false },
  { endpoint: 'mantle', api: 'chat', model: (id) => `bedrock_mantle/${id}`, apiBase: true },
  { endpoint: 'mantle', api: 'responses', model: (id) => `bedrock_mantle/${id}`, apiBase: true },
  { endpoint: 'mantle', api: 'messages', model: (id) => `bedrock_mantle/${id}`, apiBase: false },
  { endpoint: 'runtime', api: 'chat', model: (id) => `bedrock/chat_completions/${id}`, apiBase: false },
  { endpoint: 'runtime', api: 'invoke', model: (id) => `bedrock/invoke/${id}`, apiBase: false },
];

/** One deployment per model and region, on the most preferred path measured to work. */
export function liteLlmConfig(report: Report): LiteLlmConfig {
  const regions = reportRegions(report);
  const several = regions.length > 1;
  const ids = new Map(report.models.map((m) => [m.key, m.ids]));
  const supported = new Map<string, CellResult>();
  for (const c of report.cells) {
    if (c.variant === 'basic' && c.status === 'supported')
      supported.set(`${c.region}|${c.model}|${c.endpoint}|${c.api}`, c);
  }
  const list: LiteLlmDeployment[] = [];
  for (const region of regions) {
    const keys = [...new Set(report.cells.filter((c) => c.region === region).map((c) => c.model))].sort();
    for (const key of keys) {
      for (const route of ROUTES) {
        const cell = supported.get(`${region}|${key}|${route.endpoint}|${route.api}`);
        const modelId = cell?.evidence.modelId ?? ids.get(key)?.[route.endpoint];
        if (!cell || !modelId) continue;
        const base = `${publicBaseUrl(route.endpoint, region)}${cell.evidence.route ?? ''}`;
        list.push({
          // One region: the bare model key. Several: region-qualified, so the proxy never
          // load-balances a caller into a region they did not choose.
          model_name: several ? `${region}/${key}` : key,
          litellm_params: {
            model: route.model(modelId),
            aws_region_name: region,
            ...(route.apiBase && cell.evidence.route ? { api_base: base } : {}),
            ...(route.endpoint === 'mantle' ? { api_key: 'os.environ/BEDROCK_MANTLE_API_KEY' } : {}),
          },
          model_info: { id: `${region}/${key}/${route.endpoint}/${route.api}` },
        });
        break;
      }
    }
  }
  return { model_list: list };
}

export const renderLiteLlm = (report: Report): string =>
  `${JSON.stringify(liteLlmConfig(report), null, 2)}\n`;
