/**
 * The SDK clients one region's probes use: the real AWS SDK for the runtime's native apis, the
 * `openai` SDK for Chat and Responses on both hosts, and `@anthropic-ai/sdk` for Messages.
 * Every client makes ONE attempt per call: retries, backoff and alternatives are the engine's.
 */
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import OpenAI from 'openai';
import type { Endpoint } from '../../core/model';
import { ENDPOINT_OVERRIDE_ENV } from '../../shared/names';
import { createBearerTokenProvider, type TokenProvider } from './bearer-token';

export interface ProbeClientOptions {
  readonly region: string;
  readonly env?: NodeJS.ProcessEnv;
  /** @default the SDK default credential chain */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** @default a refreshing short-term token minted from `credentials` */
  readonly tokenProvider?: TokenProvider;
  /** Per-call timeout the SDKs enforce as a backstop to the prober's own. @default 20000 */
  readonly timeoutMs?: number;
}

export interface ProbeClients {
  readonly region: string;
  readonly runtime: BedrockRuntimeClient;
  readonly token: TokenProvider;
  /** An OpenAI client on `endpoint` under `route` (`/v1`, `/openai/v1`), cached per pair. */
  openai(endpoint: Endpoint, route: string): OpenAI;
  /** An Anthropic client on `endpoint`'s `/anthropic` prefix, cached per endpoint. */
  anthropic(endpoint: Endpoint): Anthropic;
}

export function hostUrl(endpoint: Endpoint, region: string, env: NodeJS.ProcessEnv = {}): string {
  const override = env[endpoint === 'runtime' ? ENDPOINT_OVERRIDE_ENV.runtime : ENDPOINT_OVERRIDE_ENV.mantle];
  if (override) return override.replace(/\/+$/, '');
  return endpoint === 'runtime'
    ? `https://bedrock-runtime.${region}.amazonaws.com`
    : `https://bedrock-mantle.${region}.api.aws`;
}

export function createProbeClients(options: ProbeClientOptions): ProbeClients {
  const { region } = options;
  const env = options.env ?? {};
  const timeout = options.timeoutMs ?? 20_000;
  const token =
    options.tokenProvider ??
    createBearerTokenProvider({
      region,
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  const runtimeOverride = env[ENDPOINT_OVERRIDE_ENV.runtime];
  const runtime = new BedrockRuntimeClient({
    region,
    maxAttempts: 1,
    ...(runtimeOverride ? { endpoint: runtimeOverride } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const openaiClients = new Map<string, OpenAI>();
  const anthropicClients = new Map<Endpoint, Anthropic>();
  return {
    region,
    runtime,
    token,
    openai(endpoint, route) {
      const key = `${endpoint}${route}`;
      let client = openaiClients.get(key);
      if (!client) {
        client = new OpenAI({
          baseURL: `${hostUrl(endpoint, region, env)}${route}`,
          apiKey: token,
          maxRetries: 0,
          timeout,
        });
        openaiClients.set(key, client);
      }
      return client;
    },
    anthropic(endpoint) {
      let client = anthropicClients.get(endpoint);
      if (!client) {
        client = new Anthropic({
          baseURL: `${hostUrl(endpoint, region, env)}/anthropic`,
          apiKey: token,
          maxRetries: 0,
          timeout,
        });
        anthropicClients.set(endpoint, client);
      }
      return client;
    },
  };
}
