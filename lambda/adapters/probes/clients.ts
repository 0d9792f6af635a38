/**
 * The SDK clients one region's probes use: @aws-sdk/client-bedrock-runtime for the runtime's native
 * apis (SigV4), `openai` for Chat and Responses on both hosts and `@anthropic-ai/sdk` for Messages
 * (both with a short-term bearer token). Every client makes ONE attempt per call: retries, backoff
 * and alternatives are the engine's business.
 */
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import OpenAI from 'openai';
import { publicBaseUrl } from '../../core/endpoints';
import type { Endpoint } from '../../core/model';
import { DEFAULTS, ENDPOINT_OVERRIDE_ENV } from '../../shared/names';
import { REGION_PATTERN } from '../../shared/settings';
import { createBearerTokenProvider, type TokenProvider } from '../bearer-token';
import { type Recorder, recordClient } from '../recording';
import { limitAnswers, megabytes } from './answer-limit';
import { captureAwsErrorBodies, createCapturingFetch } from './capture';

export interface ProbeClientOptions {
  readonly region: string;
  /** @default the SDK default credential chain */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Where the endpoint overrides (`BEDROCK_MATRIX_RUNTIME_URL`, `…_MANTLE_URL`) are read. @default {} */
  readonly env?: NodeJS.ProcessEnv;
  /** @default a refreshing short-term token minted from `credentials` */
  readonly tokenProvider?: TokenProvider;
  /**
   * Backstop timeout inside the SDKs, a little beyond the prober's own per-probe timeout, so a
   * probe never hangs on a client default. @default 20000
   */
  readonly timeoutMs?: number;
  /** Record every raw exchange (`probe --record`). @default none */
  readonly recorder?: Recorder;
  /** Largest answer read, in MB; past it the probe fails with AnswerTooLarge. @default DEFAULTS.maxAnswerMb */
  readonly maxAnswerMb?: number;
}

export interface ProbeClients {
  readonly region: string;
  readonly runtime: BedrockRuntimeClient;
  /** An OpenAI client on `endpoint` under `route` (`/v1`, `/openai/v1`), cached per pair. */
  openai(endpoint: Endpoint, route: string): OpenAI;
  /** An Anthropic client on `endpoint` for `route` (`/anthropic/v1`), cached per pair. */
  anthropic(endpoint: Endpoint, route: string): Anthropic;
}

/** Mantle's Messages surface requires this version (docs/bedrock-wire.md); the SDK's own default is newer. */
export const ANTHROPIC_VERSION = '2023-06-01';

const ROUTE = /^(\/[A-Za-z0-9._-]+)+$/;

/** The base URL of a host: the override from `env` when set, else the public host for the region. */
export function hostUrl(endpoint: Endpoint, region: string, env: NodeJS.ProcessEnv = {}): string {
  const name = endpoint === 'runtime' ? ENDPOINT_OVERRIDE_ENV.runtime : ENDPOINT_OVERRIDE_ENV.mantle;
  const override = env[name];
  if (override) {
    let url: URL;
    try {
      url = new URL(override);
    } catch {
      throw new Error(`${name} is not a URL: '${override}'`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`${name} must be an http(s) URL, got '${override}'`);
    }
    return override.replace(/\/+$/, '');
  }
  return publicBaseUrl(endpoint, region);
}

export function createProbeClients(options: ProbeClientOptions): ProbeClients {
  const { region } = options;
  if (!REGION_PATTERN.test(region)) throw new Error(`not an AWS region: '${region}'`);
  const env = options.env ?? {};
  const timeout = options.timeoutMs ?? DEFAULTS.probeTimeoutMs;
  if (!Number.isFinite(timeout) || timeout <= 0) throw new Error(`timeoutMs must be > 0, got ${timeout}`);
  // Fail on a bad override now, not on the first probe of a run.
  const runtimeBase = hostUrl('runtime', region, env);
  const mantleBase = hostUrl('mantle', region, env);
  const base = (endpoint: Endpoint) => (endpoint === 'runtime' ? runtimeBase : mantleBase);
  const token =
    options.tokenProvider ??
    createBearerTokenProvider({
      region,
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  const backstop = timeout + 1000;
  const maxAnswerMb = options.maxAnswerMb ?? DEFAULTS.maxAnswerMb;
  if (!Number.isFinite(maxAnswerMb) || maxAnswerMb <= 0)
    throw new Error(`maxAnswerMb must be > 0, got ${maxAnswerMb}`);
  const maxAnswerBytes = megabytes(maxAnswerMb);

  const runtime = new BedrockRuntimeClient({
    region,
    maxAttempts: 1,
    // HTTP/1.1 with keep-alive, not the client's default HTTP/2 handler, which opens a new session
    // (a TCP and TLS handshake) for every request so bidirectional streams never share one. The
    // prober sends no bidirectional stream, and a reused connection halves the CPU of a call
    // (6.4 to 3.1 ms against the simulator) and spares a TLS handshake per probe in Lambda.
    requestHandler: new NodeHttpHandler({ requestTimeout: backstop }),
    ...(env[ENDPOINT_OVERRIDE_ENV.runtime] ? { endpoint: runtimeBase } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  // Order matters: of two middlewares at one step and priority, the later one added sits nearer
  // the wire, so the size limit cuts an answer before the error-body capture reads it.
  captureAwsErrorBodies(runtime);
  if (options.recorder) recordClient(runtime, options.recorder, 'runtime');
  limitAnswers(runtime, maxAnswerBytes);
  const fetchFor = (endpoint: Endpoint) => createCapturingFetch(maxAnswerBytes, options.recorder, endpoint);

  return {
    region,
    runtime,
    openai: perRoute(
      (endpoint, route) =>
        new OpenAI({
          baseURL: `${base(endpoint)}${route}`,
          // An async apiKey is called before every request: the refreshing token fits it.
          apiKey: token,
          // Explicit nulls, so OPENAI_ORG_ID / OPENAI_PROJECT_ID in the environment never leak in.
          organization: null,
          project: null,
          maxRetries: 0,
          timeout: backstop,
          logLevel: 'off',
          fetch: fetchFor(endpoint),
        }),
    ),
    anthropic: perRoute(
      (endpoint, route) =>
        new Anthropic({
          // The SDK appends `/v1/messages` itself.
          baseURL: `${base(endpoint)}${route.replace(/\/v1$/, '')}`,
          // This SDK sends an async apiKey as `Authorization: Bearer <key>` before every request.
          apiKey: token,
          defaultHeaders: { 'anthropic-version': ANTHROPIC_VERSION },
          maxRetries: 0,
          timeout: backstop,
          logLevel: 'off',
          fetch: fetchFor(endpoint),
        }),
    ),
  };
}

/** One client per (endpoint, route), made on first use; a malformed route is refused. */
function perRoute<T>(
  make: (endpoint: Endpoint, route: string) => T,
): (endpoint: Endpoint, route: string) => T {
  const made = new Map<string, T>();
  return (endpoint, route) => {
    if (!ROUTE.test(route)) throw new Error(`not a route prefix: '${route}' (expected e.g. /v1)`);
    const key = `${endpoint} ${route}`;
    let client = made.get(key);
    if (client === undefined) {
      client = make(endpoint, route);
      made.set(key, client);
    }
    return client;
  };
}
