/**
 * The simulator's own beliefs about what each host can serve. Deliberately NOT the prober's
 * tables (`lambda/core/model`): the simulator plays the outside world, and the outside world
 * drifts in ways the prober does not expect. A scenario may therefore declare mantle serving
 * Converse, or Chat gaining stored (stateful) completions; the prober's own plan decides whether
 * it ever looks, and tests show what it then reports.
 *
 * Each entry is what this simulator's wire handlers really implement, not what Bedrock
 * documents: a scenario cannot declare a surface the handlers would silently ignore.
 */

export const SIM_HOSTS = ['runtime', 'mantle'] as const;
export type Host = (typeof SIM_HOSTS)[number];

export const SIM_APIS = ['converse', 'invoke', 'chat', 'responses', 'messages'] as const;
export type SimApi = (typeof SIM_APIS)[number];

export const SIM_FEATURES = ['stream', 'tools', 'stateful', 'background'] as const;
export type SimFeature = (typeof SIM_FEATURES)[number];

export interface ApiSurface {
  /** Route prefixes the handlers answer on; empty = the api has no prefix (Converse, InvokeModel). */
  readonly routes: readonly string[];
  /** Features the handlers can detect on a call and refuse when the model lacks them. */
  readonly features: readonly SimFeature[];
}

const NATIVE = {
  converse: { routes: [], features: ['stream', 'tools'] },
  invoke: { routes: [], features: ['stream'] },
} as const satisfies Partial<Record<SimApi, ApiSurface>>;

/**
 * Chat `stateful` = the call asks for a stored completion (`store: true`, an OpenAI Chat
 * Completions parameter); Responses `stateful` = `previous_response_id`.
 */
const OPENAI_FEATURES = {
  chat: ['stream', 'tools', 'stateful'],
  responses: ['stream', 'tools', 'stateful', 'background'],
} as const satisfies Partial<Record<SimApi, readonly SimFeature[]>>;

export const HOST_SURFACE: Readonly<Record<Host, Readonly<Partial<Record<SimApi, ApiSurface>>>>> = {
  runtime: {
    ...NATIVE,
    chat: { routes: ['/openai/v1'], features: OPENAI_FEATURES.chat },
    responses: { routes: ['/openai/v1'], features: OPENAI_FEATURES.responses },
    messages: { routes: ['/anthropic/v1'], features: ['stream', 'tools'] },
  },
  mantle: {
    // Not a documented mantle surface: here so a scenario can make it appear (a drift).
    ...NATIVE,
    chat: { routes: ['/v1', '/openai/v1'], features: OPENAI_FEATURES.chat },
    responses: { routes: ['/v1', '/openai/v1'], features: OPENAI_FEATURES.responses },
    messages: { routes: ['/anthropic/v1'], features: ['stream', 'tools'] },
  },
};

/** The apis a host can serve, in SIM_APIS order. */
export function hostApis(host: Host): readonly SimApi[] {
  return SIM_APIS.filter((api) => HOST_SURFACE[host][api] !== undefined);
}

/** System inference profile geographies (`us.`, `global.`, ...) that prefix a runtime model ID. */
export const PROFILE_PREFIX = /^(us-gov|global|apac|us|eu|jp|au|ca)\./;

/** The model ID without its inference-profile geography. */
export const stripProfile = (id: string): string => id.replace(PROFILE_PREFIX, '');

/** The InvokeModel body family a model key speaks, by its provider prefix ('other' = none known). */
export function familyOfKey(key: string): 'anthropic' | 'gpt-oss' | 'nova' | 'meta' | 'mistral' | 'other' {
  if (key.startsWith('anthropic.')) return 'anthropic';
  if (key.startsWith('openai.gpt-oss')) return 'gpt-oss';
  if (key.startsWith('amazon.nova')) return 'nova';
  if (key.startsWith('meta.')) return 'meta';
  if (key.startsWith('mistral.')) return 'mistral';
  return 'other';
}
