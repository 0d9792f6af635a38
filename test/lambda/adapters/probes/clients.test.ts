import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANTHROPIC_VERSION,
  createProbeClients,
  createProber,
  hostUrl,
} from '../../../../lambda/adapters/probes';
import { ENDPOINT_OVERRIDE_ENV } from '../../../../lambda/shared/names';
import { listenOnLoopback } from '../../../support/loopback';
import { SIM_CREDENTIALS } from '../../../support/simulator';
import { never, request } from './probe-fixture';

describe('hostUrl', () => {
  it('the public hosts per region when no override is set', () => {
    // Act
    const runtime = hostUrl('runtime', 'eu-west-1');
    const mantle = hostUrl('mantle', 'eu-west-1');

    // Assess
    expect(runtime).toBe('https://bedrock-runtime.eu-west-1.amazonaws.com');
    expect(mantle).toBe('https://bedrock-mantle.eu-west-1.api.aws');
  });

  it('the override from env, without a trailing slash', () => {
    // Act
    const url = hostUrl('mantle', 'us-east-1', { [ENDPOINT_OVERRIDE_ENV.mantle]: 'http://127.0.0.1:9000/' });

    // Assess
    expect(url).toBe('http://127.0.0.1:9000');
  });

  it('a bad override is refused with the variable name and value', () => {
    // Act
    const act = () => hostUrl('runtime', 'us-east-1', { [ENDPOINT_OVERRIDE_ENV.runtime]: 'localhost:9000' });

    // Assess
    expect(act).toThrow("BEDROCK_MATRIX_RUNTIME_URL must be an http(s) URL, got 'localhost:9000'");
  });
});

describe('createProbeClients input checks', () => {
  it('refuses a region that is not one, naming it', () => {
    // Act
    const act = () => createProbeClients({ region: 'useast1', tokenProvider: async () => 't' });

    // Assess
    expect(act).toThrow("not an AWS region: 'useast1'");
  });

  it('refuses a route that is not a path prefix, naming it', () => {
    // Prepare
    const clients = createProbeClients({
      region: 'us-east-1',
      credentials: SIM_CREDENTIALS,
      tokenProvider: async () => 't',
    });

    // Act
    const act = () => clients.openai('mantle', 'v1');

    // Assess
    expect(act).toThrow("not a route prefix: 'v1'");
  });
});

/** A loopback server recording what the openai and Anthropic clients put on the wire. */
describe('what the bearer-token clients send', () => {
  const seen: { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(raw || '{}') });
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_wire' });
        const message = {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          content: [{ type: 'text', text: 'ok' }],
        };
        const chat = {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        };
        res.end(
          JSON.stringify(
            req.url?.includes('/messages')
              ? { ...message, usage: { input_tokens: 1, output_tokens: 1 } }
              : chat,
          ),
        );
      });
    });
    url = await listenOnLoopback(server);
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
  /** A prober whose `endpoint` host is the recording server. */
  const proberOn = (endpoint: 'runtime' | 'mantle', tokenProvider: () => Promise<string>) =>
    createProber(
      createProbeClients({
        region: 'us-east-1',
        credentials: SIM_CREDENTIALS,
        env: { [ENDPOINT_OVERRIDE_ENV[endpoint]]: url },
        tokenProvider,
      }),
    );

  it('Messages: /anthropic/v1/messages, Bearer token, anthropic-version 2023-06-01, a fresh token per call', async () => {
    // Prepare
    let n = 0;
    const probe = proberOn('mantle', async () => `bedrock-api-key-test-${++n}`);
    const req = request({
      endpoint: 'mantle',
      api: 'messages',
      route: '/anthropic/v1',
      modelId: 'anthropic.x',
    });
    seen.length = 0;

    // Act
    const first = await probe(req, never());
    await probe(req, never());

    // Assess
    expect(first).toMatchObject({ httpStatus: 200, requestId: 'req_wire', responseId: 'msg_1' });
    expect(seen.map((s) => s.path)).toEqual(['/anthropic/v1/messages', '/anthropic/v1/messages']);
    expect(seen[0]?.headers.authorization).toBe('Bearer bedrock-api-key-test-1');
    expect(seen[1]?.headers.authorization).toBe('Bearer bedrock-api-key-test-2');
    expect(seen[0]?.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    expect(seen[0]?.headers['x-api-key']).toBeUndefined();
    expect(seen[0]?.headers['x-stainless-retry-count']).toBe('0');
  });

  it('Chat guardrail: the X-Amzn-Bedrock-Guardrail* headers and the canary prompt, on the route given', async () => {
    // Prepare
    const probe = proberOn('runtime', async () => 'bedrock-api-key-chat');
    const req = request({
      endpoint: 'runtime',
      api: 'chat',
      variant: 'guardrail',
      route: '/openai/v1',
      modelId: 'openai.x',
      guardrail: { id: 'gr-1', version: '3' },
      canary: 'CANARY-XYZ',
    });
    seen.length = 0;

    // Act
    const obs = await probe(req, never());

    // Assess
    expect(obs.guardrail).toEqual({ intervened: null, text: 'ok' });
    expect(seen[0]?.path).toBe('/openai/v1/chat/completions');
    expect(seen[0]?.headers).toMatchObject({
      authorization: 'Bearer bedrock-api-key-chat',
      'x-amzn-bedrock-guardrailidentifier': 'gr-1',
      'x-amzn-bedrock-guardrailversion': '3',
      'x-amzn-bedrock-trace': 'ENABLED',
    });
    expect(JSON.stringify(seen[0]?.body.messages)).toContain('CANARY-XYZ');
  });
});

describe('the runtime client on the wire', () => {
  let server: Server;
  let url: string;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-runtime' });
        res.end(
          JSON.stringify({
            output: { message: { role: 'assistant', content: [{ text: 'ok' }] } },
            stopReason: 'end_turn',
            usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
          }),
        );
      });
    });
    server.on('connection', () => {
      connections += 1;
    });
    url = await listenOnLoopback(server);
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('speaks HTTP/1.1 and keeps one connection for successive probes, not a new session per call', async () => {
    // Prepare: a plain HTTP/1.1 host (the SDK's default HTTP/2 handler could not talk to it at all)
    const probe = createProber(
      createProbeClients({
        region: 'us-east-1',
        credentials: SIM_CREDENTIALS,
        env: { [ENDPOINT_OVERRIDE_ENV.runtime]: url },
        tokenProvider: async () => 't',
      }),
    );
    const req = request({ endpoint: 'runtime', api: 'converse', modelId: 'amazon.nova-micro-v1:0' });

    // Act
    const answers = [await probe(req, never()), await probe(req, never()), await probe(req, never())];

    // Assess
    expect(answers.map((a) => a.httpStatus)).toEqual([200, 200, 200]);
    expect(connections).toBe(1);
  });
});
