/**
 * `probe --record DIR`: every raw exchange of a run, written as files a person can read and share
 * and `simulate --replay DIR` can serve. Nothing secret is written: credential headers are
 * dropped, every text (headers, query, bodies, event-stream payloads) passes through
 * `scrubSecrets`, and 12-digit AWS account IDs become `000000000000`.
 *
 * Layout: `DIR/exchanges/NNNNNN-<host>-<method>.json` (one RecordedExchange each, numbered in the
 * order the calls started), `DIR/observations.jsonl` (what each probe saw, for golden tests) and
 * `DIR/report.json` (the run's report).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@smithy/types';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { Observation } from '../core/model';
import { scrubSecrets } from '../core/scrub';
import type { ProbeRequest, Prober } from '../engine/probe-port';

export const RECORDING_VERSION = 1;
export type RecordedHost = 'runtime' | 'mantle' | 'control';

export interface RecordedBody {
  /** UTF-8 text (JSON, SSE, HTML), scrubbed. */
  readonly text?: string;
  /** Binary bytes (AWS event streams), base64; payloads scrubbed frame by frame. */
  readonly base64?: string;
}

export interface RecordedExchange {
  readonly version: typeof RECORDING_VERSION;
  readonly seq: number;
  readonly at: string;
  readonly host: RecordedHost;
  readonly method: string;
  readonly path: string;
  /** Query string without `?`, scrubbed; '' when none. */
  readonly query: string;
  readonly request: { readonly headers: Record<string, string>; readonly body: RecordedBody | null };
  /** null = no answer arrived (timeout, connection refused); `error` says which. */
  readonly response: {
    readonly status: number;
    readonly headers: Record<string, string>;
    readonly body: RecordedBody;
  } | null;
  readonly error?: string;
}

/** Raw, unscrubbed: only ever held in memory until `redactExchange`. */
export interface RawExchange {
  readonly host: RecordedHost;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody: Uint8Array | null;
  readonly status: number | null;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly responseBody: Uint8Array | null;
  readonly error?: string;
}

/** The request half of a RawExchange: all that is known before an answer arrives. */
export type RawRequest = Omit<RawExchange, 'status' | 'responseHeaders' | 'responseBody' | 'error'>;

/** A call that got no answer (timeout, connection refused): no status, headers or body; `error` says why. */
export const unansweredExchange = (request: RawRequest, err: unknown): RawExchange => ({
  ...request,
  status: null,
  responseHeaders: {},
  responseBody: null,
  error: String(err),
});

/** A call that got an answer; `error` when its body broke off while it was being read. */
export const answeredExchange = (
  request: RawRequest,
  status: number,
  responseHeaders: Readonly<Record<string, string>>,
  responseBody: Uint8Array,
  error?: string,
): RawExchange => ({
  ...request,
  status,
  responseHeaders,
  responseBody,
  ...(error !== undefined && { error }),
});

export interface Recorder {
  /** Reserve the next sequence number when a call starts (replay serves repeats in this order). */
  begin(): number;
  exchange(seq: number, raw: RawExchange): void;
  observation(req: ProbeRequest, obs: Observation): void;
  /** Wait for every file, write observations.jsonl and (when given) report.json. */
  close(report?: unknown): Promise<void>;
}

/** Headers that carry credentials: never written, whatever their value looks like. */
const SECRET_HEADERS = new Set([
  'authorization',
  'x-api-key',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-credential',
  'cookie',
  'set-cookie',
]);
const ACCOUNT_ID = /(?<![0-9A-Za-z])\d{12}(?![0-9A-Za-z])/g;
const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** The one text filter of a recording: the shared scrubber, then account IDs. */
export function redactText(text: string): string {
  return scrubSecrets(text).replace(ACCOUNT_ID, '000000000000');
}

function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    // HTTP/2 pseudo-headers (`:status`) belong to the framing, not to the answer.
    if (lower.startsWith(':')) continue;
    if (SECRET_HEADERS.has(lower) || /^x-amz-.*(signature|credential|token)/.test(lower)) continue;
    out[lower] = redactText(String(value));
  }
  return out;
}

function redactBody(bytes: Uint8Array, contentType: string): RecordedBody {
  if (contentType.includes('application/vnd.amazon.eventstream')) return { base64: redactFrames(bytes) };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const roundTrips = Buffer.from(text, 'utf8').equals(Buffer.from(bytes));
  if (roundTrips) return { text: redactText(text) };
  // Not text: keep the bytes only when no secret shape shows in them.
  const latin = Buffer.from(bytes).toString('latin1');
  return redactText(latin) === latin
    ? { base64: Buffer.from(bytes).toString('base64') }
    : { text: '[redacted binary]' };
}

/**
 * Scrub each event-stream frame's payload and string headers. A frame nothing changed in keeps
 * its original bytes (and CRCs), so a clean stream replays byte-exact.
 */
function redactFrames(bytes: Uint8Array): string {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const buf = Buffer.from(bytes);
  while (offset + 4 <= buf.length) {
    const length = buf.readUInt32BE(offset);
    if (length < 16 || offset + length > buf.length) break;
    const frame = buf.subarray(offset, offset + length);
    offset += length;
    const message = codec.decode(frame);
    const payload = toUtf8(message.body);
    let changed = redactText(payload) !== payload;
    const headers = { ...message.headers };
    for (const [k, h] of Object.entries(headers)) {
      if (h.type === 'string' && redactText(h.value) !== h.value) {
        headers[k] = { type: 'string', value: redactText(h.value) };
        changed = true;
      }
    }
    parts.push(changed ? codec.encode({ headers, body: fromUtf8(redactText(payload)) }) : frame);
  }
  // A trailing partial frame (a stream cut off) is kept only if it holds no secret shape.
  const rest = buf.subarray(offset);
  if (rest.length > 0 && redactText(rest.toString('latin1')) === rest.toString('latin1')) parts.push(rest);
  return Buffer.concat(parts).toString('base64');
}

export function redactExchange(seq: number, at: string, raw: RawExchange): RecordedExchange {
  const contentType = (name: string, headers: Readonly<Record<string, string>>) =>
    Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? '';
  return {
    version: RECORDING_VERSION,
    seq,
    at,
    host: raw.host,
    method: raw.method,
    path: redactText(raw.path),
    query: redactText(raw.query),
    request: {
      headers: redactHeaders(raw.requestHeaders),
      body:
        raw.requestBody === null
          ? null
          : redactBody(raw.requestBody, contentType('content-type', raw.requestHeaders)),
    },
    response:
      raw.status === null
        ? null
        : {
            status: raw.status,
            headers: redactHeaders(raw.responseHeaders),
            body: redactBody(
              raw.responseBody ?? new Uint8Array(),
              contentType('content-type', raw.responseHeaders),
            ),
          },
    ...(raw.error !== undefined && { error: redactText(raw.error) }),
  };
}

/** A recorder writing into `dir`, which must be absent or empty (a mixed directory would replay wrong). */
export async function directoryRecorder(dir: string): Promise<Recorder> {
  const existing = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw new Error(`--record ${dir}: cannot read the directory (${err.code ?? err.message})`);
  });
  if (existing.length > 0) throw new Error(`--record ${dir}: the directory is not empty`);
  const exchangesDir = join(dir, 'exchanges');
  await mkdir(exchangesDir, { recursive: true });
  let seq = 0;
  const pending: Promise<void>[] = [];
  const observations: string[] = [];
  return {
    begin: () => ++seq,
    exchange(n, raw) {
      // Runs inside stream callbacks: a failure must surface at close(), never as an uncaught throw.
      const written = Promise.resolve().then(() => {
        const rec = redactExchange(n, new Date().toISOString(), raw);
        const name = `${String(n).padStart(6, '0')}-${rec.host}-${rec.method}.json`;
        return writeFile(join(exchangesDir, name), `${JSON.stringify(rec, null, 2)}\n`);
      });
      written.catch(() => {}); // observed again (and thrown) by close()
      pending.push(written);
    },
    observation(req, obs) {
      const { guardrail, ...request } = req;
      const line = JSON.stringify({ request: { ...request, guardrail }, observation: obs });
      observations.push(redactText(line));
    },
    async close(report) {
      await Promise.all(pending);
      await writeFile(join(dir, 'observations.jsonl'), observations.map((l) => `${l}\n`).join(''));
      if (report !== undefined) {
        await writeFile(join(dir, 'report.json'), `${redactText(JSON.stringify(report, null, 2))}\n`);
      }
    },
  };
}

/** Every probe's Observation, next to the exchanges it came from. */
export function recordingProber(prober: Prober, recorder: Recorder): Prober {
  return async (req, signal) => {
    const obs = await prober(req, signal);
    recorder.observation(req, obs);
    return obs;
  };
}

/** The part of a smithy HttpHandler the SDK clients call. */
interface HandlerLike {
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }>;
}

function bodyBytes(body: unknown): Uint8Array | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  // A plain view: the SDK's JSON body is a Uint8Array subclass that warns on string-style use.
  if (body instanceof Uint8Array) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return null;
}

function headerRecord(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function queryString(query: HttpRequest['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    for (const value of Array.isArray(v) ? v : [v]) params.append(k, value ?? '');
  }
  return params.toString();
}

/**
 * Wrap an AWS SDK client's request handler in place: the answer streams on to the SDK unchanged
 * (a tee), and is written once it ended.
 */
export function recordClient(
  client: { config: { requestHandler: unknown } },
  recorder: Recorder,
  host: RecordedHost,
): void {
  const inner = client.config.requestHandler as HandlerLike;
  const wrapped: HandlerLike = {
    async handle(request, options) {
      const seq = recorder.begin();
      const base: RawRequest = {
        host,
        method: request.method,
        path: request.path,
        query: queryString(request.query),
        requestHeaders: headerRecord(request.headers),
        requestBody: bodyBytes(request.body),
      };
      let out: { response: HttpResponse };
      try {
        out = await inner.handle(request, options);
      } catch (err) {
        recorder.exchange(seq, unansweredExchange(base, err));
        throw err;
      }
      const res = out.response;
      const write = (chunks: Buffer[], error?: string) =>
        recorder.exchange(
          seq,
          answeredExchange(base, res.statusCode, headerRecord(res.headers), Buffer.concat(chunks), error),
        );
      if (!(res.body instanceof Readable)) {
        write([Buffer.from(bodyBytes(res.body) ?? new Uint8Array())]);
        return out;
      }
      const chunks: Buffer[] = [];
      const tee = new PassThrough();
      res.body.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
      res.body.once('end', () => write(chunks));
      res.body.once('error', (err) => {
        write(chunks, String(err));
        tee.destroy(err);
      });
      res.body.pipe(tee);
      return { response: Object.assign(Object.create(Object.getPrototypeOf(res)), res, { body: tee }) };
    },
  };
  // Keep the handler's other members (destroy, updateHttpClientConfig, metadata) reachable.
  client.config.requestHandler = new Proxy(inner as object, {
    get: (target, prop) => {
      if (prop === 'handle') return wrapped.handle;
      const value = Reflect.get(target, prop);
      // Bound to the real handler: its private fields do not exist on the proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
