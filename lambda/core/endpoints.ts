/**
 * Where each api lives: the public base URLs of the two Bedrock hosts and the route prefixes an
 * api is served under (docs/bedrock-wire.md, "Hosts, paths, model IDs and prices"). Probing uses the adapters' `hostUrl`,
 * which also honours the local endpoint overrides; what a user is told is always the public host.
 */
import type { Api, Endpoint } from './model';

export const publicBaseUrl = (endpoint: Endpoint, region: string): string =>
  endpoint === 'runtime'
    ? `https://bedrock-runtime.${region}.amazonaws.com`
    : `https://bedrock-mantle.${region}.api.aws`;

/**
 * The route prefixes to try, in order; [null] for the runtime's native apis. Mantle serves each
 * model under one prefix (docs/bedrock-wire.md): `/v1` for most, `/openai/v1` for GPT-5.x and
 * Gemma 4, so `/v1` comes first and `/openai/v1` follows whenever `/v1` refuses the model.
 */
export function routesFor(endpoint: Endpoint, api: Api): readonly (string | null)[] {
  if (api === 'converse' || api === 'invoke') return [null];
  if (api === 'messages') return ['/anthropic/v1'];
  return endpoint === 'mantle' ? ['/v1', '/openai/v1'] : ['/openai/v1'];
}

/** The route a request or a cell falls back to when nothing names one: the first one tried. */
export function defaultRoute(endpoint: Endpoint, api: 'chat' | 'responses' | 'messages'): string;
export function defaultRoute(endpoint: Endpoint, api: Api): string | null;
export function defaultRoute(endpoint: Endpoint, api: Api): string | null {
  return routesFor(endpoint, api)[0] ?? null;
}
