import { afterEach, describe, expect, it } from 'vitest';
import { classify } from '../../../lambda/core/classify';
import type { Observation } from '../../../lambda/core/model';
import {
  forgetSecret,
  registeringSecrets,
  registerSecret,
  registerSecretsFromEnv,
  scrubDeep,
  scrubOutput,
  scrubSecrets,
  trimMessage,
} from '../../../lambda/core/scrub';
import { observation } from '../../support/observation';
import { ACCESS_KEY_PREFIX, BEARER_PREFIX } from '../../support/planted-secrets';

// Fake but well-formed secrets of every kind the tool handles.
const ACCESS_KEY = `${ACCESS_KEY_PREFIX}IOSFODNN7EXAMPLE`;
const SESSION_KEY = 'ASIAZ3XAMPLE0KEY1234';
const SIGNATURE = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEJr%2F%2F%2F%2F%2F%2F%2F%2F%2FwEaCXVzLWVhc3QtMSJHMEUCIQDx';
const BEARER = `${BEARER_PREFIX}YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZYLUFtei1BbGdvcml0aG09QVdTNC1ITUFDLVNIQTI1Ng==`;
const LONG_TERM = 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLWF0LTEyMzQ1Njc4OTAxMjM0NTY3ODkw';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const SECRETS = [ACCESS_KEY, SESSION_KEY, SIGNATURE, SESSION_TOKEN, BEARER, LONG_TERM, SECRET_ACCESS_KEY];

describe('scrubSecrets', () => {
  it.each([
    ['a short-term bearer token', `token ${BEARER} rejected`, BEARER],
    ['a long-term ABSK key', `key=${LONG_TERM}`, LONG_TERM],
    [
      'an Authorization header value',
      `Authorization: Bearer abcdefghijklmnop123\nHost: x`,
      'abcdefghijklmnop123',
    ],
    [
      'a SigV4 Authorization header',
      `"authorization":"AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=${SIGNATURE}"`,
      SIGNATURE,
    ],
    [
      'X-Amz-Signature in a presigned URL',
      `https://bedrock.amazonaws.com/?X-Amz-Signature=${SIGNATURE}&Version=1`,
      SIGNATURE,
    ],
    [
      'X-Amz-Credential',
      `X-Amz-Credential=${ACCESS_KEY}%2F20260101%2Fus-east-1%2Fbedrock%2Faws4_request&X`,
      ACCESS_KEY,
    ],
    ['a bare Credential=', `Credential=${SESSION_KEY}/20260101/us-east-1/bedrock/aws4_request`, SESSION_KEY],
    [
      'X-Amz-Security-Token',
      `&X-Amz-Security-Token=${SESSION_TOKEN}&X-Amz-Date=20260101T000000Z`,
      SESSION_TOKEN,
    ],
    ['an AKIA access key id in free text', `user ${ACCESS_KEY} denied`, ACCESS_KEY],
    ['an ASIA key glued to URL encoding', `Credential%3D${SESSION_KEY}%2F2026`, SESSION_KEY],
    ['a keyed secret access key', `aws_secret_access_key = ${SECRET_ACCESS_KEY}`, SECRET_ACCESS_KEY],
    ['a bare secret access key', `leaked ${SECRET_ACCESS_KEY} here`, SECRET_ACCESS_KEY],
    [
      'an OpenAI-style key',
      'Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx',
      'sk-proj-abcdefghijklmnopqrstuvwx',
    ],
  ])('removes %s', (_label, text, secret) => {
    // Prepare: the text above

    // Act
    const out = scrubSecrets(text);

    // Assess
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('leaves ordinary error text untouched', () => {
    // Prepare
    const text =
      "The model 'openai.gpt-oss-120b' does not support the '/v1/responses' API (request req-1a2b) " +
      'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0 ' +
      'sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 id 5b1d7e0c-1f2e-4c3d-9a8b-7c6d5e4f3a2b';

    // Act
    const out = scrubSecrets(text);

    // Assess
    expect(out).toBe(text);
  });
});

describe('placeholders are not secrets', () => {
  // A printed snippet says where the reader's secret goes; scrubbing that breaks the snippet.
  it.each([
    ['a curl header with $VAR', `  -H "Authorization: Bearer $AWS_BEARER_TOKEN_BEDROCK" \\`],
    ['a header with a braced variable', `Authorization: Bearer \${AWS_BEARER_TOKEN_BEDROCK}`],
    ['a header with <token>', 'Authorization: Bearer <token>'],
    ['an HTML-escaped curl header', '-H &quot;Authorization: Bearer $AWS_BEARER_TOKEN_BEDROCK&quot; \\'],
    ['a bare placeholder value', "'Authorization': '$TOKEN'"],
    [
      'prose naming the scheme',
      'a Bedrock API key as `Authorization: Bearer` (curl); IAM action bedrock:InvokeModel',
    ],
    ['a keyed secret key placeholder', 'aws_secret_access_key=$AWS_SECRET_ACCESS_KEY'],
    ['a keyed session token placeholder', `aws_session_token = \${AWS_SESSION_TOKEN}`],
    ['a security token placeholder', 'X-Amz-Security-Token: <session token>'],
  ])('keeps %s as written', (_label, text) => {
    // Act
    const out = scrubSecrets(text);

    // Assess
    expect(out).toBe(text);
  });

  it.each([
    [
      'a secret after a placeholder on one header line',
      `Authorization: Bearer $X ${'q'.repeat(20)}`,
      'q'.repeat(20),
    ],
    ['a placeholder glued to a value', `aws_secret_access_key=$X/${SECRET_ACCESS_KEY}`, SECRET_ACCESS_KEY],
    [
      'a real token beside a placeholder',
      `Authorization: Bearer ${BEARER} # not $AWS_BEARER_TOKEN_BEDROCK`,
      BEARER,
    ],
    [
      'a real value that merely starts like a word',
      'Authorization: Bearerabcdefghijklmnop',
      'Bearerabcdefghijklmnop',
    ],
  ])('still removes %s', (_label, text, secret) => {
    // Act
    const out = scrubSecrets(text);

    // Assess
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });
});

describe('secrets registered at run time', () => {
  // Shapes no pattern knows: a raw session token and a secret key that is not 40 characters.
  const RAW_SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDxRawToken+/=';
  const RAW_SECRET_KEY = 'Pl4ntedSecretAccessKeyOfFortyOneChars0123x';
  const forget: (() => void)[] = [];
  afterEach(() => {
    for (const f of forget.splice(0)) f();
  });

  it('the raw values pass the patterns alone, so they must be registered', () => {
    // Prepare
    const text = `echo ${RAW_SESSION_TOKEN} and ${RAW_SECRET_KEY}`;

    // Act
    const out = scrubSecrets(text);

    // Assess: this is the gap registration closes
    expect(out).toContain(RAW_SESSION_TOKEN);
    expect(out).toContain(RAW_SECRET_KEY);
  });

  it('removes a registered value raw, URL-encoded and JSON-escaped', () => {
    // Prepare
    forget.push(registerSecret(RAW_SESSION_TOKEN));
    const text = `raw ${RAW_SESSION_TOKEN} url ${encodeURIComponent(RAW_SESSION_TOKEN)} json ${JSON.stringify(RAW_SESSION_TOKEN)}`;

    // Act
    const out = scrubSecrets(text);

    // Assess
    expect(out).toBe('raw [redacted] url [redacted] json "[redacted]"');
  });

  it('takes the secret variables from the environment, and forgets them again', () => {
    // Prepare
    const env = {
      AWS_SECRET_ACCESS_KEY: RAW_SECRET_KEY,
      AWS_SESSION_TOKEN: RAW_SESSION_TOKEN,
      AWS_BEARER_TOKEN_BEDROCK: 'opaque-long-lived-token-0123456789',
      AWS_REGION: 'us-east-1',
    };
    const text = `${RAW_SECRET_KEY} ${RAW_SESSION_TOKEN} opaque-long-lived-token-0123456789 us-east-1`;

    // Act
    const forgetEnv = registerSecretsFromEnv(env);
    const scrubbed = scrubSecrets(text);
    forgetEnv();
    const afterForget = scrubSecrets(text);

    // Assess
    expect(scrubbed).toBe('[redacted] [redacted] [redacted] us-east-1');
    expect(afterForget).toBe(text);
  });

  it('ignores blank and short values, which would redact ordinary words', () => {
    // Prepare
    forget.push(registerSecret(''), registerSecret(undefined), registerSecret('local'));

    // Act
    const out = scrubSecrets('DynamoDB Local on a local port');

    // Assess
    expect(out).toBe('DynamoDB Local on a local port');
  });

  it('registers every credential a provider hands out before a client can sign with it', async () => {
    // Prepare
    const provider = registeringSecrets(async () => ({
      accessKeyId: 'AKIDPROVIDED',
      secretAccessKey: RAW_SECRET_KEY,
      sessionToken: RAW_SESSION_TOKEN,
    }));

    const forgetBoth = () => {
      forgetSecret(RAW_SECRET_KEY);
      forgetSecret(RAW_SESSION_TOKEN);
    };

    // Act
    const credentials = await provider();
    const out = scrubSecrets(`${RAW_SECRET_KEY}|${RAW_SESSION_TOKEN}`);
    forgetBoth();

    // Assess
    expect(credentials.secretAccessKey).toBe(RAW_SECRET_KEY);
    expect(out).toBe('[redacted]|[redacted]');
  });
});

describe('scrubDeep and scrubOutput', () => {
  it('scrubs every string of a JSON value and keeps clean parts as they are', () => {
    // Prepare
    const clean = { status: 'supported', n: 3 };
    const value = { cells: [clean, { message: `x-amz-security-token: ${SESSION_TOKEN}` }], ok: true };

    // Act
    const out = scrubDeep(value);

    // Assess
    expect(out.cells[0]).toBe(clean);
    expect(out.cells[1]).toEqual({ message: 'x-amz-security-token: [redacted]' });
    expect(scrubDeep(clean)).toBe(clean);
  });

  it('keeps a JSON document valid where a text pattern would eat an escaped quote', () => {
    // Prepare: `Authorization` runs to the next quote, which in JSON text is an escaped one
    const doc = { message: 'Authorization: Bearer abcdefghijkl0123\nthe "model" said no' };
    const text = `${JSON.stringify(doc, null, 2)}\n`;

    // Act
    const out = scrubOutput(text);

    // Assess
    expect(JSON.parse(out)).toEqual({ message: 'Authorization: [redacted]\nthe "model" said no' });
    expect(out.endsWith('}\n')).toBe(true);
  });

  it('leaves a clean document byte for byte, and keeps a log line on one line', () => {
    // Prepare
    const report = `${JSON.stringify({ a: 1, b: ['x'] }, null, 2)}\n`;
    const line = JSON.stringify({ level: 'ERROR', message: `token ${BEARER}` });

    // Act
    const outs = [scrubOutput(report), scrubOutput(line)];

    // Assess
    expect(outs[0]).toBe(report);
    expect(outs[1]).toBe('{"level":"ERROR","message":"token [redacted]"}');
  });
});

describe('trimMessage', () => {
  it('collapses whitespace and keeps short text whole', () => {
    // Prepare
    const text = '  Too many tokens,\n\t please   wait.  ';

    // Act
    const out = trimMessage(text);

    // Assess
    expect(out).toBe('Too many tokens, please wait.');
  });

  it('cuts to max characters with an ellipsis', () => {
    // Prepare
    const text = 'a'.repeat(50);

    // Act
    const out = trimMessage(text, 10);

    // Assess
    expect(out).toBe(`${'a'.repeat(9)}…`);
  });

  it('scrubs before cutting so no half secret survives', () => {
    // Prepare
    const text = `prefix ${BEARER} suffix`;

    // Act
    const out = trimMessage(text, 30);

    // Assess
    expect(out).toBe('prefix [redacted] suffix');
    expect(out).not.toContain('bedrock-api-key-');
  });

  it('maps null and blank text to null', () => {
    // Prepare
    const inputs = [null, '', '   \n '];

    // Act
    const outs = inputs.map((t) => trimMessage(t));

    // Assess
    expect(outs).toEqual([null, null, null]);
  });

  it('rejects a bad max with a one-line error naming the value', () => {
    // Prepare
    const bad = [0, -3, 2.5];

    // Act
    const calls = bad.map((max) => () => trimMessage('x', max));

    // Assess
    expect(calls[0]).toThrow('trimMessage: max must be a positive integer, got 0');
    expect(calls[1]).toThrow('got -3');
    expect(calls[2]).toThrow('got 2.5');
  });
});

describe('no evidence field ever carries a planted secret', () => {
  const planted = SECRETS.join(' Authorization: Bearer sneaky-token-123456 ');
  const url = `https://bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Credential=${ACCESS_KEY}&X-Amz-Security-Token=${SESSION_TOKEN}&X-Amz-Signature=${SIGNATURE}`;
  const carriers: readonly [string, Observation][] = [
    [
      'a 400 message on a feature variant',
      {
        endpoint: 'mantle',
        api: 'responses',
        variant: 'background',
        route: '/v1',
        modelId: 'openai.gpt-oss-120b',
        httpStatus: 400,
        errorName: `ValidationException ${ACCESS_KEY}`,
        errorCode: BEARER,
        message: `${planted} ${url}`,
        requestId: `req ${SESSION_KEY}`,
      },
    ],
    [
      'an unknown shape with the secret only in the body',
      {
        endpoint: 'runtime',
        api: 'chat',
        variant: 'basic',
        route: '/openai/v1',
        modelId: 'openai.gpt-oss-120b-1:0',
        httpStatus: 418,
        errorName: null,
        errorCode: null,
        message: null,
        body: { error: { message: `${planted} ${url}`, type: `t ${LONG_TERM}`, code: SECRET_ACCESS_KEY } },
      },
    ],
    [
      'a failed feature check detail',
      observation({ variant: 'tools', check: { passed: false, detail: `${planted} ${url}` } }),
    ],
    [
      'an authentication failure echoing the token',
      {
        endpoint: 'mantle',
        api: 'chat',
        variant: 'basic',
        route: '/v1',
        modelId: 'openai.gpt-oss-120b',
        httpStatus: 401,
        errorName: null,
        errorCode: 'invalid_api_key',
        message: `Invalid bearer token ${BEARER} ${url}`,
      },
    ],
    [
      'a connection error echoing the signed URL',
      {
        endpoint: 'runtime',
        api: 'converse',
        variant: 'basic',
        route: null,
        modelId: 'amazon.nova-micro-v1:0',
        httpStatus: null,
        errorName: 'ECONNRESET',
        errorCode: null,
        message: `socket hang up ${url} ${planted}`,
      },
    ],
  ];

  it.each(carriers)('%s', (_label, obs) => {
    // Prepare
    const ctx = { blockedMessages: ['blocked'] };

    // Act
    const { evidence } = classify(obs, ctx);
    const serialised = JSON.stringify(evidence);

    // Assess
    for (const secret of [...SECRETS, 'sneaky-token-123456']) expect(serialised).not.toContain(secret);
    expect(serialised).toContain('[redacted]');
  });
});
