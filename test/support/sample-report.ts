/**
 * A realistic Report for renderer tests (and anyone else who needs one): two regions, the May 2026
 * mantle surface (40 models listed, Chat Completions open to 38 of them, Responses only for
 * `openai.*`, Guardrail headers ignored on mantle), runtime-only models reached through `us.`
 * profiles, every status, feature and guardrail cells, and changes of every kind.
 * Deterministic: the same call always returns the same report.
 */
import {
  type Api,
  type CatalogSource,
  type CellResult,
  type Change,
  type Endpoint,
  type Evidence,
  emptyEvidence,
  type FeatureVariant,
  type ModelEntry,
  type Report,
  type RunSource,
  type Status,
  type Variant,
} from '../../lambda/core/model';
import { summarize } from '../../lambda/core/summary';
import { cellChange, modelChange } from './changes';

export const SAMPLE_RUN_ID = 'run-2026-05-02T09-00-00Z-7f3a';

/** The 40 models the sample's mantle `/v1/models` lists in us-east-1. */
export const MANTLE_MODEL_KEYS: readonly string[] = [
  'openai.gpt-oss-120b',
  'openai.gpt-oss-20b',
  'openai.gpt-oss-safeguard-120b',
  'openai.gpt-oss-safeguard-20b',
  'qwen.qwen3-32b',
  'qwen.qwen3-235b-a22b-2507',
  'qwen.qwen3-coder-30b-a3b',
  'qwen.qwen3-coder-480b-a35b',
  'qwen.qwen3-next-80b-a3b',
  'qwen.qwen3-vl-235b-a22b',
  'mistral.mistral-large-3',
  'mistral.magistral-small-2509',
  'mistral.ministral-3-3b',
  'mistral.ministral-3-8b',
  'mistral.ministral-3-14b',
  'mistral.voxtral-mini-3b',
  'mistral.voxtral-small-24b',
  'mistral.devstral-2-123b',
  'deepseek.v3.1',
  'deepseek.v3.2',
  'deepseek.r1',
  'google.gemma-3-4b-it',
  'google.gemma-3-12b-it',
  'google.gemma-3-27b-it',
  'moonshotai.kimi-k2-thinking',
  'moonshotai.kimi-k2.5',
  'minimax.minimax-m2',
  'minimax.minimax-m2.1',
  'nvidia.nemotron-nano-9b-v2',
  'nvidia.nemotron-nano-12b-v2',
  'nvidia.nemotron-nano-3-30b',
  'zai.glm-4.6',
  'zai.glm-4.7',
  'zai.glm-4.7-flash',
  'meta.llama4-maverick-17b',
  'meta.llama4-scout-17b',
  'writer.palmyra-x5',
  'writer.palmyra-x4',
  'cohere.command-a',
  'amazon.nova-2-lite',
];

/** Listed on mantle, but Chat Completions refuses them: the 2 of "38 of 40". */
export const CHAT_UNSUPPORTED = 'mistral.voxtral-mini-3b';
export const CHAT_NO_ACCESS = 'writer.palmyra-x5';

/** Models with a (different) runtime ID as well. */
const RUNTIME_IDS: Readonly<Record<string, string>> = {
  'openai.gpt-oss-120b': 'openai.gpt-oss-120b-1:0',
  'openai.gpt-oss-20b': 'openai.gpt-oss-20b-1:0',
  'qwen.qwen3-32b': 'qwen.qwen3-32b-v1:0',
  'deepseek.v3.1': 'deepseek.v3-v1:0',
  'deepseek.r1': 'us.deepseek.r1-v1:0',
  'mistral.mistral-large-3': 'mistral.mistral-large-3-675b-instruct',
};

/** Reachable on runtime only (no mantle ID). */
const RUNTIME_ONLY: readonly ModelEntry[] = [
  {
    key: 'anthropic.claude-sonnet-4-6',
    provider: 'anthropic',
    ids: { runtime: 'us.anthropic.claude-sonnet-4-6' },
    sources: ['inference-profiles'],
  },
  {
    key: 'amazon.nova-pro-v1:0',
    provider: 'amazon',
    ids: { runtime: 'amazon.nova-pro-v1:0' },
    sources: ['foundation-models'],
  },
  {
    key: 'meta.llama3-3-70b-instruct-v1:0',
    provider: 'meta',
    ids: { runtime: 'us.meta.llama3-3-70b-instruct-v1:0' },
    sources: ['foundation-models', 'inference-profiles'],
  },
];

const mantleModel = (key: string): ModelEntry => {
  const runtime = RUNTIME_IDS[key];
  const sources: CatalogSource[] = runtime ? ['mantle-models', 'foundation-models'] : ['mantle-models'];
  return {
    key,
    provider: key.split('.')[0] ?? key,
    ids: runtime ? { runtime, mantle: key } : { mantle: key },
    sources,
  };
};

export const SAMPLE_MODELS: readonly ModelEntry[] = [...MANTLE_MODEL_KEYS.map(mantleModel), ...RUNTIME_ONLY];

/** A cheap deterministic hash, so latencies and request ids look varied but never change. */
const hash = (text: string): number => {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
};

const RESPONSE_PREFIX: Readonly<Record<Api, string>> = {
  converse: 'conv-',
  invoke: 'inv-',
  chat: 'chatcmpl-',
  responses: 'resp_',
  messages: 'msg_',
};

const ROUTE: Readonly<Record<Endpoint, Readonly<Record<Api, string | null>>>> = {
  runtime: {
    converse: null,
    invoke: null,
    chat: '/openai/v1',
    responses: '/openai/v1',
    messages: '/anthropic/v1',
  },
  mantle: { converse: null, invoke: null, chat: '/v1', responses: '/v1', messages: '/anthropic/v1' },
};

/** Evidence that reads like what the probe saw for that status. */
export const sampleEvidence = (
  region: string,
  model: string,
  endpoint: Endpoint,
  api: Api,
  variant: Variant,
  status: Status,
  modelId: string | null,
): Evidence => {
  const h = hash(`${region}|${model}|${endpoint}|${api}|${variant}`);
  const requestId = `${(h % 0xffffffff).toString(16).padStart(8, '0')}-5e1a-4c2b-9d0e-${(h % 99991).toString().padStart(12, '0')}`;
  const route = ROUTE[endpoint][api];
  const base = { modelId, route, requestId, latencyMs: 180 + (h % 900) };
  switch (status) {
    case 'supported':
      return emptyEvidence({
        ...base,
        httpStatus: 200,
        ttfbMs: 90 + (h % 300),
        inputTokens: 12 + (h % 5),
        outputTokens: 4 + (h % 12),
        responseIdPrefix: RESPONSE_PREFIX[api],
        ...(variant === 'stream' ? { reason: 'stream: 7 deltas and a clean end' } : {}),
        ...(variant === 'tools' ? { reason: 'tool call get_weather with parseable arguments' } : {}),
      });
    case 'enforced':
      return emptyEvidence({
        ...base,
        httpStatus: 200,
        inputTokens: 0,
        outputTokens: 0,
        message: 'Sorry, the model cannot answer this question. [bedrock-matrix canary blocked]',
        reason: 'stopReason guardrail_intervened',
      });
    case 'ignored':
      return emptyEvidence({
        ...base,
        httpStatus: 200,
        inputTokens: 19,
        outputTokens: 16,
        responseIdPrefix: RESPONSE_PREFIX[api],
        reason: 'canary reached the model and was billed; no intervention marker',
      });
    case 'unsupported':
      return emptyEvidence({
        ...base,
        httpStatus: 400,
        errorType: endpoint === 'mantle' ? 'invalid_request_error' : 'ValidationException',
        message:
          endpoint === 'mantle'
            ? `The model '${modelId}' does not support the '/v1/${api === 'chat' ? 'chat/completions' : api}' API`
            : `The provided model doesn't support the ${api} API.`,
        ...(endpoint === 'mantle' ? { tried: ['/v1', '/openai/v1'] } : {}),
      });
    case 'not-found':
      return emptyEvidence({
        ...base,
        httpStatus: 404,
        errorType: endpoint === 'mantle' ? 'NotFoundError' : 'ResourceNotFoundException',
        errorCode: endpoint === 'mantle' ? 'model_not_found' : null,
        message: `The model '${modelId ?? model}' does not exist`,
        reason: modelId === null ? `no ${endpoint} ID in any catalog` : null,
      });
    case 'no-access':
      return emptyEvidence({
        ...base,
        httpStatus: 403,
        errorType: 'AccessDeniedException',
        message: "You don't have access to the model with the specified model ID.",
      });
    case 'throttled':
      return emptyEvidence({
        ...base,
        httpStatus: 429,
        errorType: 'ThrottlingException',
        message: 'Too many requests, please wait before trying again.',
        reason: 'still 429 after 3 attempts',
      });
    case 'error':
      return emptyEvidence({
        ...base,
        httpStatus: 500,
        errorType: 'InternalServerException',
        message: 'The system encountered an unexpected error during processing. Try your request again.',
      });
    case 'skipped':
      return emptyEvidence({ modelId, reason: 'excluded by config (--apis)' });
  }
};

interface CellPlan {
  readonly basic: Status;
  readonly features?: Partial<Record<FeatureVariant, Status>>;
  readonly guardrail?: Status;
}

const cellsFor = (
  region: string,
  model: ModelEntry,
  endpoint: Endpoint,
  api: Api,
  plan: CellPlan,
): CellResult[] => {
  const modelId = model.ids[endpoint] ?? null;
  const make = (variant: Variant, status: Status): CellResult => ({
    region,
    model: model.key,
    endpoint,
    api,
    variant,
    status,
    evidence: sampleEvidence(region, model.key, endpoint, api, variant, status, modelId),
  });
  const out = [make('basic', plan.basic)];
  for (const [variant, status] of Object.entries(plan.features ?? {}) as [FeatureVariant, Status][])
    out.push(make(variant, status));
  if (plan.guardrail) out.push(make('guardrail', plan.guardrail));
  return out;
};

/** What the us-east-1 run of the sample saw for one square. */
const eastPlan = (model: ModelEntry, endpoint: Endpoint, api: Api): CellPlan => {
  const key = model.key;
  const openai = key.startsWith('openai.');
  if (model.ids[endpoint] === undefined) return { basic: 'not-found' };
  if (endpoint === 'mantle') {
    if (api === 'chat') {
      if (key === CHAT_UNSUPPORTED) return { basic: 'unsupported' };
      if (key === CHAT_NO_ACCESS) return { basic: 'no-access' };
      return {
        basic: 'supported',
        features: { stream: 'supported', tools: key.startsWith('google.') ? 'unsupported' : 'supported' },
        guardrail: 'ignored',
      };
    }
    if (api === 'responses') {
      if (!openai) return { basic: 'unsupported' };
      return {
        basic: 'supported',
        features: {
          stream: 'supported',
          tools: 'supported',
          stateful: 'supported',
          background: key === 'openai.gpt-oss-20b' ? 'unsupported' : 'supported',
        },
        guardrail: 'ignored',
      };
    }
    if (api === 'messages') {
      if (key === 'minimax.minimax-m2' || key === 'moonshotai.kimi-k2.5')
        return {
          basic: 'supported',
          features: { stream: 'supported', tools: 'supported' },
          guardrail: 'ignored',
        };
      return { basic: 'unsupported' };
    }
    return { basic: 'not-found' };
  }
  // runtime
  if (key === 'meta.llama3-3-70b-instruct-v1:0' && api === 'responses') return { basic: 'skipped' };
  if (key === 'qwen.qwen3-32b' && api === 'converse') return { basic: 'throttled' };
  if (key === 'deepseek.v3.1' && api === 'invoke') return { basic: 'error' };
  if (api === 'converse' || api === 'invoke')
    return {
      basic: 'supported',
      features: api === 'converse' ? { stream: 'supported', tools: 'supported' } : { stream: 'supported' },
      guardrail: 'enforced',
    };
  if (api === 'chat')
    return openai
      ? { basic: 'supported', features: { stream: 'supported', tools: 'supported' }, guardrail: 'enforced' }
      : { basic: 'unsupported' };
  if (api === 'responses')
    return key === 'openai.gpt-oss-120b'
      ? { basic: 'supported', features: { stream: 'supported', tools: 'unsupported' }, guardrail: 'ignored' }
      : { basic: 'unsupported' };
  // messages
  return key === 'anthropic.claude-sonnet-4-6'
    ? { basic: 'supported', features: { stream: 'supported', tools: 'supported' }, guardrail: 'enforced' }
    : { basic: 'unsupported' };
};

/** us-west-2: a small run with access and transient trouble. */
const WEST_MODELS = [
  'openai.gpt-oss-120b',
  'openai.gpt-oss-20b',
  'qwen.qwen3-32b',
  'mistral.mistral-large-3',
  'anthropic.claude-sonnet-4-6',
];

const westPlan = (model: ModelEntry, endpoint: Endpoint, api: Api): CellPlan => {
  if (model.key === 'anthropic.claude-sonnet-4-6' && endpoint === 'runtime') return { basic: 'no-access' };
  if (model.key === 'openai.gpt-oss-20b' && endpoint === 'mantle' && api === 'responses')
    return { basic: 'unsupported' };
  if (model.key === 'mistral.mistral-large-3' && endpoint === 'mantle' && api === 'chat')
    return { basic: 'throttled' };
  if (model.key === 'qwen.qwen3-32b' && endpoint === 'runtime' && api === 'invoke') return { basic: 'error' };
  return eastPlan(model, endpoint, api);
};

const COLUMNS: readonly (readonly [Endpoint, Api])[] = [
  ['runtime', 'converse'],
  ['runtime', 'invoke'],
  ['runtime', 'chat'],
  ['runtime', 'responses'],
  ['runtime', 'messages'],
  ['mantle', 'chat'],
  ['mantle', 'responses'],
  ['mantle', 'messages'],
];

const SAMPLE_CHANGES: readonly Change[] = [
  cellChange({ model: 'qwen.qwen3-coder-30b-a3b', at: '2026-05-02T09:04:12.000Z' }),
  {
    ...cellChange({ variant: 'guardrail', from: 'enforced', to: 'ignored', at: '2026-05-02T09:04:40.000Z' }),
    evidence: sampleEvidence(
      'us-east-1',
      'openai.gpt-oss-120b',
      'mantle',
      'chat',
      'guardrail',
      'ignored',
      'openai.gpt-oss-120b',
    ),
  },
  modelChange({ model: 'zai.glm-4.7-flash', at: '2026-05-02T09:00:03.000Z' }),
  {
    region: 'us-west-2',
    model: 'openai.gpt-oss-20b',
    endpoint: 'mantle',
    api: 'responses',
    variant: 'basic',
    from: 'supported',
    to: 'unsupported',
  },
];

export interface SampleReportOptions {
  /** @default 'simulator' */
  readonly source?: RunSource;
  /** @default false */
  readonly partial?: boolean;
  /** Extra models (with their cells) to append, e.g. one with a hostile name. */
  readonly extraModels?: readonly ModelEntry[];
  readonly extraCells?: readonly CellResult[];
}

/** Builds the sample report (see the file comment for what it contains). */
export const buildSampleReport = (opts: SampleReportOptions = {}): Report => {
  const models = [...SAMPLE_MODELS, ...(opts.extraModels ?? [])];
  const cells: CellResult[] = [];
  for (const model of SAMPLE_MODELS)
    for (const [endpoint, api] of COLUMNS)
      cells.push(...cellsFor('us-east-1', model, endpoint, api, eastPlan(model, endpoint, api)));
  for (const key of WEST_MODELS) {
    const model = SAMPLE_MODELS.find((m) => m.key === key);
    if (!model) throw new Error(`sample: unknown west model ${key}`);
    for (const [endpoint, api] of COLUMNS)
      cells.push(...cellsFor('us-west-2', model, endpoint, api, westPlan(model, endpoint, api)));
  }
  cells.push(...(opts.extraCells ?? []));
  const probesSent = cells.filter((c) => c.status !== 'skipped').length + 7;
  return {
    schemaVersion: 1,
    runId: SAMPLE_RUN_ID,
    startedAt: '2026-05-02T09:00:00.000Z',
    finishedAt: '2026-05-02T09:06:41.512Z',
    partial: opts.partial ?? false,
    regions: ['us-east-1', 'us-west-2'],
    models,
    cells,
    changes: [...SAMPLE_CHANGES],
    summary: summarize(cells, models, probesSent),
    source: opts.source ?? 'simulator',
    guardrailControls: [
      {
        region: 'us-east-1',
        guardrailId: 'gr-3k9x7q2m1a',
        guardrailVersion: '1',
        status: 'enforced',
        evidence: emptyEvidence({ httpStatus: 200, latencyMs: 143, reason: 'action GUARDRAIL_INTERVENED' }),
      },
      {
        region: 'us-west-2',
        guardrailId: 'gr-8h2c4v6n0p',
        guardrailVersion: '1',
        status: 'enforced',
        evidence: emptyEvidence({ httpStatus: 200, latencyMs: 171, reason: 'action GUARDRAIL_INTERVENED' }),
      },
    ],
  };
};

/** A one-model cell list for a model added by a test (hostile names, odd IDs). */
export const basicCell = (
  region: string,
  model: string,
  endpoint: Endpoint,
  api: Api,
  status: Status,
  evidence: Partial<Evidence> = {},
): CellResult => ({
  region,
  model,
  endpoint,
  api,
  variant: 'basic',
  status,
  evidence: emptyEvidence(evidence),
});
