/**
 * Public base URLs of the two Bedrock hosts (docs/bedrock-wire.md, "Endpoints"), for output that
 * tells people where to send a request. Probing itself uses the adapters' `hostUrl`, which also
 * honours the local endpoint overrides; what a user is told is always the public host.
 */
import type { Endpoint } from './model';

export const publicBaseUrl = (endpoint: Endpoint, region: string): string =>
  endpoint === 'runtime'
    ? `https://bedrock-runtime.${region}.amazonaws.com`
    : `https://bedrock-mantle.${region}.api.aws`;

/** The route a cell's api lives under when the evidence does not name one (runtime native apis). */
export const DEFAULT_ROUTE: Readonly<Record<string, string | null>> = {
  converse: null,
  invoke: null,
  chat: '/openai/v1',
  responses: '/openai/v1',
  messages: '/anthropic/v1',
};
