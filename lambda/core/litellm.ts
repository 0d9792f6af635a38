/**
 * `--format litellm`: a LiteLLM proxy `model_list` that routes each model to an endpoint and api
 * measured to work (a `basic` cell that is `supported`). Config shape and provider prefixes from
 * the LiteLLM docs and its `bedrock_mantle` provider code (docs/bedrock-wire.md, "LiteLLM"). The
 * output is JSON, which LiteLLM's YAML config loader reads as YAML.
 *
 * For a mantle model LiteLLM does not route by `api_base`: it reads the deployment's `model_info`
 * (copied into its price map under `bedrock_mantle/<id>`): `mode: responses` or `/v1/responses` in
 * `supported_endpoints` sends the model to the Responses API (and `mode: responses` bridges chat
 * calls there too), and `use_openai_responses_path: true` puts both on `/openai/v1` instead of
 * `/v1`. A model missing from its price map (the new models this tool finds first) gets none of
 * that unless the export says it, so the export says what was measured.
 */
import { publicBaseUrl } from './endpoints';
import type { Api, CellResult, Endpoint, Report } from './model';
import { reportRegions } from './render/common';

/** The proxy endpoints a deployment serves, in the spelling LiteLLM's `supported_endpoints` uses. */
export type LiteLlmEndpoint = '/v1/chat/completions' | '/v1/responses' | '/v1/messages';

export interface LiteLlmModelInfo {
  readonly id: string;
  /** `responses` for a model whose only OpenAI-style api measured to work is Responses. */
  readonly mode: 'chat' | 'responses';
  /** Only on mantle deployments: the gate LiteLLM's `bedrock_mantle` provider reads. */
  readonly supported_endpoints?: readonly LiteLlmEndpoint[];
  /** Only when the route measured to work is `/openai/v1` (LiteLLM's default is `/v1`). */
  readonly use_openai_responses_path?: true;
}

export interface LiteLlmDeployment {
  readonly model_name: string;
  readonly litellm_params: {
    readonly model: string;
    readonly aws_region_name: string;
    readonly api_base?: string;
    readonly api_key?: string;
  };
  readonly model_info: LiteLlmModelInfo;
}

export interface LiteLlmConfig {
  readonly model_list: readonly LiteLlmDeployment[];
}

type Supported = (endpoint: Endpoint, api: Api) => CellResult | undefined;

/** What LiteLLM's proxy endpoint is for each mantle api it drives. */
const MANTLE_ENDPOINTS: readonly { readonly api: Api; readonly endpoint: LiteLlmEndpoint }[] = [
  { api: 'chat', endpoint: '/v1/chat/completions' },
  { api: 'responses', endpoint: '/v1/responses' },
  { api: 'messages', endpoint: '/v1/messages' },
];

interface Choice {
  readonly params: Omit<LiteLlmDeployment['litellm_params'], 'aws_region_name'>;
  readonly info: Omit<LiteLlmModelInfo, 'id'>;
  /** The preferred measured path, named in `model_info.id` (`mantle/chat`). */
  readonly path: string;
}

/** One runtime route: the provider prefix LiteLLM's bedrock provider reads for that api. */
const runtimeRoute =
  (api: Api, prefix: string) =>
  (cell: Supported, id: (e: Endpoint) => string | undefined): Choice | null => {
    const modelId = cell('runtime', api)?.evidence.modelId ?? id('runtime');
    if (!cell('runtime', api) || !modelId) return null;
    return { params: { model: `${prefix}${modelId}` }, info: { mode: 'chat' }, path: `runtime/${api}` };
  };

/**
 * One deployment for every mantle api measured to work: LiteLLM serves them all from the one
 * `bedrock_mantle/<id>` model and picks the api from `model_info`.
 */
function mantleRoute(
  cell: Supported,
  id: (e: Endpoint) => string | undefined,
  region: string,
  apis: readonly Api[],
): Choice | null {
  const works = MANTLE_ENDPOINTS.filter((m) => apis.includes(m.api) && cell('mantle', m.api));
  const first = works[0];
  if (!first) return null;
  const modelId = cell('mantle', first.api)?.evidence.modelId ?? id('mantle');
  if (!modelId) return null;
  const chat = cell('mantle', 'chat');
  const responses = cell('mantle', 'responses');
  // Chat takes `api_base` as given; Responses strips any route off it and takes the prefix
  // from `use_openai_responses_path` alone, so the flag follows the Responses cell when there is one.
  const openAiRoute = (responses ?? chat)?.evidence.route === '/openai/v1';
  const baseCell = chat ?? responses;
  return {
    params: {
      model: `bedrock_mantle/${modelId}`,
      ...(baseCell?.evidence.route
        ? { api_base: `${publicBaseUrl('mantle', region)}${baseCell.evidence.route}` }
        : {}),
      api_key: 'os.environ/BEDROCK_MANTLE_API_KEY',
    },
    info: {
      mode: !chat && responses ? 'responses' : 'chat',
      supported_endpoints: works.map((w) => w.endpoint),
      ...(openAiRoute ? { use_openai_responses_path: true as const } : {}),
    },
    // The id names the preferred api, as before the other apis were listed in model_info.
    path: `mantle/${first.api}`,
  };
}

/**
 * Which measured path LiteLLM can drive, in order of preference. Runtime Responses and runtime
 * Messages have no LiteLLM route we could confirm: never listed.
 */
const ROUTES: readonly ((
  cell: Supported,
  id: (e: Endpoint) => string | undefined,
  region: string,
) => Choice | null)[] = [
  runtimeRoute('converse', 'bedrock/converse/'),
  (cell, id, region) => mantleRoute(cell, id, region, ['chat', 'responses', 'messages']),
  runtimeRoute('chat', 'bedrock/chat_completions/'),
  runtimeRoute('invoke', 'bedrock/invoke/'),
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
      const cell: Supported = (endpoint, api) => supported.get(`${region}|${key}|${endpoint}|${api}`);
      const id = (endpoint: Endpoint) => ids.get(key)?.[endpoint];
      const choice = ROUTES.reduce<Choice | null>((found, route) => found ?? route(cell, id, region), null);
      if (!choice) continue;
      list.push({
        // One region: the bare model key. Several: region-qualified, so the proxy never
        // load-balances a caller into a region they did not choose.
        model_name: several ? `${region}/${key}` : key,
        litellm_params: { ...choice.params, aws_region_name: region },
        model_info: { id: `${region}/${key}/${choice.path}`, ...choice.info },
      });
    }
  }
  return { model_list: list };
}

export const renderLiteLlm = (report: Report): string =>
  `${JSON.stringify(liteLlmConfig(report), null, 2)}\n`;
