import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import { directoryRecorder, type RawExchange, redactExchange } from '../../../lambda/adapters/recording';
import { ACCESS_KEY_PREFIX, BEARER_PREFIX } from '../../support/planted-secrets';

const KEY_ID = `${ACCESS_KEY_PREFIX}PLANTEDREC0TEST1`;
const SECRET = 'Pl4ntedSecretAccessKeyForRecordTests01234';
const SESSION = 'PlantedSessionTokenForRecordingTests0123456789abcdef';
const BEARER = `${BEARER_PREFIX}UGxhbnRlZEJlYXJlclRva2VuRm9yUmVjb3JkaW5n`;
const SIGNATURE = 'a'.repeat(64);
const ACCOUNT = '123456789012';
const codec = new EventStreamCodec(toUtf8, fromUtf8);

const frame = (payload: string) =>
  codec.encode({
    headers: {
      ':event-type': { type: 'string', value: 'contentBlockDelta' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(payload),
  });

function raw(over: Partial<RawExchange> = {}): RawExchange {
  return {
    host: 'runtime',
    method: 'POST',
    path: '/model/anthropic.claude-sonnet-4-6/converse',
    query: '',
    requestHeaders: {
      Authorization: `AWS4-HMAC-SHA256 Credential=${KEY_ID}/20261201/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=${SIGNATURE}`,
      'X-Amz-Security-Token': SESSION,
      'x-api-key': BEARER,
      'content-type': 'application/json',
    },
    requestBody: Buffer.from('{"messages":[]}'),
    status: 403,
    responseHeaders: { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' },
    responseBody: Buffer.from(
      JSON.stringify({
        message: `User: arn:aws:iam::${ACCOUNT}:role/prober is not authorized; echoed Bearer ${BEARER} aws_secret_access_key=${SECRET} X-Amz-Security-Token=${SESSION}`,
      }),
    ),
    ...over,
  };
}

describe('redactExchange', () => {
  it('drops credential headers and scrubs every planted secret shape from bodies', () => {
    // Act
    const text = JSON.stringify(redactExchange(1, '2026-12-01T00:00:00Z', raw()));

    // Assess
    for (const secret of [KEY_ID, SECRET, SESSION, BEARER, SIGNATURE, ACCOUNT])
      expect(text).not.toContain(secret);
    expect(text).toContain('arn:aws:iam::000000000000:role/prober');
    expect(text).toContain('"x-amzn-requestid":"req-1"');
    expect(text).not.toMatch(/authorization|x-api-key|x-amz-security-token"/i);
  });

  /** The recorder's redaction of a 200 whose body is the event stream `stream`. */
  const redactStream = (seq: number, stream: Buffer) =>
    redactExchange(
      seq,
      'now',
      raw({
        status: 200,
        responseHeaders: { 'content-type': 'application/vnd.amazon.eventstream' },
        responseBody: stream,
      }),
    );

  it('keeps a clean event stream byte for byte', () => {
    // Prepare
    const stream = Buffer.concat([frame('{"delta":{"text":"Hello"}}'), frame('{"delta":{"text":" there"}}')]);

    // Act
    const rec = redactStream(2, stream);

    // Assess
    expect(Buffer.from(rec.response?.body.base64 ?? '', 'base64').equals(stream)).toBe(true);
  });

  it('re-frames an event whose payload echoes a secret, with valid checksums and the secret gone', () => {
    // Prepare
    const stream = Buffer.concat([frame('{"delta":{"text":"ok"}}'), frame(`{"echo":"Bearer ${BEARER}"}`)]);

    // Act
    const rec = redactStream(3, stream);

    // Assess
    const bytes = Buffer.from(rec.response?.body.base64 ?? '', 'base64');
    const first = bytes.readUInt32BE(0);
    const second = codec.decode(bytes.subarray(first));
    expect(toUtf8(codec.decode(bytes.subarray(0, first)).body)).toBe('{"delta":{"text":"ok"}}');
    expect(toUtf8(second.body)).toBe('{"echo":"Bearer [redacted]"}');
    expect(bytes.toString('latin1')).not.toContain(BEARER);
  });
});

describe('directoryRecorder', () => {
  it('writes numbered exchange files and the observations on close', async () => {
    // Prepare
    const dir = join(await mkdtemp(join(tmpdir(), 'bedrock-matrix-recorder-')), 'rec');
    const recorder = await directoryRecorder(dir);

    // Act
    const first = recorder.begin();
    const second = recorder.begin();
    recorder.exchange(second, raw({ host: 'mantle', method: 'GET' }));
    recorder.exchange(first, raw());
    await recorder.close({ schemaVersion: 1 });

    // Assess
    expect(await readdir(join(dir, 'exchanges'))).toEqual([
      '000001-runtime-POST.json',
      '000002-mantle-GET.json',
    ]);
    expect(await readFile(join(dir, 'observations.jsonl'), 'utf8')).toBe('');
    expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'))).toEqual({ schemaVersion: 1 });
  });

  it('refuses a directory that already holds files, with one line', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-recorder-'));
    await (await directoryRecorder(join(dir, 'a'))).close();

    // Act
    const error = await directoryRecorder(join(dir, 'a')).catch((err: Error) => err.message);

    // Assess
    expect(error).toBe(`--record ${join(dir, 'a')}: the directory is not empty`);
  });
});
