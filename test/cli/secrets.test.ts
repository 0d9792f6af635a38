import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_CREDENTIALS } from '../../cli/credentials';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { listenOnLoopback } from '../support/loopback';
import { ACCESS_KEY_PREFIX, BEARER_PREFIX } from '../support/planted-secrets';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';
import { runCliProcess } from './support';

// No bearer token, SigV4 signature or credential in anything the CLI prints, even when the
// credentials are real-looking and an endpoint echoes the request headers back in its errors.

const PLANTED_KEYS = {
  AWS_ACCESS_KEY_ID: `${ACCESS_KEY_PREFIX}PLANTEDCLI0TEST1`,
  AWS_SECRET_ACCESS_KEY: 'Pl4ntedSecretAccessKeyForCliTests0123456x',
  AWS_SESSION_TOKEN: 'PlantedSessionTokenForCliTestsOnly0123456789abcdefABCDEF',
} as const;
const PLANTED_BEARER = `${BEARER_PREFIX}UGxhbnRlZEJlYXJlclRva2VuRm9yQ2xpVGVzdHM=`;
const PLANTED = { ...PLANTED_KEYS, AWS_BEARER_TOKEN_BEDROCK: PLANTED_BEARER } as const;

/**
 * With keys only, the SDK signs with SigV4 and the CLI mints short-term bearer tokens from them;
 * with AWS_BEARER_TOKEN_BEDROCK set as well, that long-lived token is sent instead.
 */
const AUTH_CASES = [
  ['json', 'keys'],
  ['table', 'keys'],
  ['markdown', 'keys'],
  ['json', 'keys and AWS_BEARER_TOKEN_BEDROCK'],
  ['table', 'keys and AWS_BEARER_TOKEN_BEDROCK'],
] as const;
// The echo cases need no full matrix of formats: the evidence is scrubbed before any renderer sees it.
const ECHO_CASES = [AUTH_CASES[0], AUTH_CASES[2], AUTH_CASES[4]] as const;
const credentialsFor = (auth: (typeof AUTH_CASES)[number][1]) => (auth === 'keys' ? PLANTED_KEYS : PLANTED);

/** Every form a secret could take in output; none may appear. */
function expectNoSecret(output: string): void {
  for (const value of Object.values(PLANTED)) expect(output).not.toContain(value);
  expect(output).not.toContain(PLACEHOLDER_CREDENTIALS.secretAccessKey);
  expect(output).not.toContain(BEARER_PREFIX);
  expect(output).not.toMatch(/Signature=[0-9a-f]/);
  expect(output).not.toMatch(/Credential=[A-Z0-9]/);
  expect(output).not.toMatch(/X-Amz-Security-Token=[A-Za-z0-9]/i);
  expect(output).not.toMatch(/Bearer [A-Za-z0-9]/);
}

const all = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;

let home: string;
beforeAll(async () => {
  // An empty home: no ~/.aws of this machine takes part, only the planted environment.
  home = await mkdtemp(join(tmpdir(), 'bedrock-matrix-home-'));
});

/**
 * The CLI as a child process: the AWS SDK reads credentials from the process environment, so the
 * planted ones only take part in a process of their own.
 */
const runChild = (args: readonly string[], env: NodeJS.ProcessEnv) =>
  runCliProcess(args, { HOME: home, ...env });

describe('probe and demo output, with credentials in the environment', () => {
  let sim: TestSimulator;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sim = await withSimulator('tiny');
    env = simulatorEnv(sim);
  });
  afterAll(async () => sim?.close());

  it.each(AUTH_CASES)(
    'probe --format %s with %s in the environment prints no secret',
    async (format, auth) => {
      // Prepare
      const before = sim.world.calls.length;

      // Act
      const result = await runChild(
        [
          'probe',
          '--region',
          'us-east-1',
          '--format',
          format,
          '--guardrail-id',
          'gr-probe',
          '--guardrail-version',
          '1',
          // One model signed with SigV4 on runtime, one reached with a bearer token on mantle, through
          // one api of each SDK (AWS, OpenAI, Anthropic): every way a credential travels, without
          // probing the whole scenario in each process.
          '--models',
          'anthropic.claude-sonnet-4-6,openai.gpt-oss-20b',
          '--apis',
          'converse,chat,messages',
        ],
        { ...env, ...credentialsFor(auth) },
      );

      // Assess: the run really authenticated its calls (they reached the simulator)
      expect(result.code).toBe(0);
      const calls = sim.world.calls.slice(before);
      expect(calls.some((c) => c.auth === 'bearer')).toBe(true);
      if (auth === 'keys') expect(calls.some((c) => c.auth === 'sigv4')).toBe(true);
      expectNoSecret(all(result));
    },
  );

  it.each([['json'], ['table']])('demo --format %s prints no secret', async (format) => {
    // Act
    const result = await runChild(
      [
        'demo',
        '--scenario',
        'tiny',
        '--models',
        'anthropic.claude-sonnet-4-6,openai.gpt-oss-20b',
        '--format',
        format,
        '--quiet',
      ],
      { ...PLANTED },
    );

    // Assess
    expect(result.code).toBe(0);
    expectNoSecret(all(result));
  });
});

describe('an endpoint that echoes the request headers back in its error messages', () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];

  // The secret-bearing headers first: evidence keeps only the start of a long message.
  const SECRET_HEADERS = ['authorization', 'x-amz-security-token'];
  const echo = (req: IncomingMessage) =>
    Object.entries(req.headers)
      .sort(([a], [b]) => Number(!SECRET_HEADERS.includes(a)) - Number(!SECRET_HEADERS.includes(b)))
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join('\n');

  beforeAll(async () => {
    // Prepare: mantle lists one model, then refuses every call quoting the headers it got; the
    // control plane refuses everything the same way (so its errors reach the stderr lines too).
    server = createServer((req, res) => {
      seen.push(echo(req));
      const path = req.url ?? '';
      if (req.method === 'GET' && path.startsWith('/v1/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'openai.gpt-oss-20b', object: 'model' }] }));
        return;
      }
      const message = `bad request, you sent:\n${echo(req)}\nurl ${path}`;
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationException' });
      res.end(JSON.stringify({ message, error: { message, type: 'invalid_request_error' } }));
    });
    url = await listenOnLoopback(server);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it.each(ECHO_CASES)(
    'probe --format %s with %s quotes the errors without the secrets',
    async (format, auth) => {
      // Prepare
      seen.length = 0;
      const env = {
        ...credentialsFor(auth),
        [ENDPOINT_OVERRIDE_ENV.runtime]: url,
        [ENDPOINT_OVERRIDE_ENV.mantle]: url,
        [ENDPOINT_OVERRIDE_ENV.control]: url,
      };

      // Act
      const result = await runChild(
        ['probe', '--region', 'us-east-1', '--format', format, '--apis', 'chat,responses', '--confirm', '0'],
        env,
      );

      // Assess: the secrets did go over the wire and come back in the answers...
      expect(result.code).toBe(0);
      if (auth === 'keys') {
        expect(seen.some((h) => h.includes(`authorization: Bearer ${BEARER_PREFIX}`))).toBe(true);
        expect(seen.some((h) => /authorization: AWS4-HMAC-SHA256 Credential=/.test(h))).toBe(true);
      } else {
        expect(seen.some((h) => h.includes(`authorization: Bearer ${PLANTED_BEARER}`))).toBe(true);
      }
      // ...the run kept the evidence (scrubbed), and printed none of them
      expect(all(result)).toContain('bad request, you sent');
      expect(all(result)).toContain('[redacted]');
      expectNoSecret(all(result));
    },
  );
});
