/**
 * Turning SDK answers and SDK errors into Observations, faithfully: what the wire said, nothing
 * decided. `classify` scrubs and trims messages; here they are passed on raw, but never with a
 * credential in them (the SDK errors used here carry status, type and body, never headers we sent).
 */
import { APIError as AnthropicApiError } from '@anthropic-ai/sdk';
import { APIConnectionTimeoutError, APIError as OpenAiApiError } from 'openai';
import type { Observation } from '../../core/model';
import { bodyError } from '../../core/wire-text';
import type { ProbeRequest } from '../../engine/probe-port';
import { ANSWER_TOO_LARGE, answerTooLarge } from './answer-limit';
import { rawAwsErrorBody, rawErrorBody } from './capture';

/** What one probe function returns: everything but the request's own identity. */
export type Fields = Omit<Observation, 'endpoint' | 'api' | 'variant' | 'route' | 'modelId'>;

/** Where a probe's error happened, for the fields a half-finished answer still has. */
export interface Progress {
  /** HTTP status of an answer whose headers arrived before the failure (streams). */
  httpStatus: number | null;
  requestId: string | null;
  ttfbMs: number | null;
}

export const identityOf = (req: ProbeRequest) => ({
  endpoint: req.endpoint,
  api: req.api,
  variant: req.variant,
  route: req.route,
  modelId: req.modelId,
});

/** Measures one probe: latency to the end of the answer, time to the first streamed event. */
class Stopwatch {
  private readonly start = performance.now();
  private first: number | null = null;
  firstByte(): void {
    this.first ??= performance.now();
  }
  get latencyMs(): number {
    return Math.round(performance.now() - this.start);
  }
  get ttfbMs(): number | null {
    return this.first === null ? null : Math.round(this.first - this.start);
  }
}

/** What the AWS SDK tells of an answer (`$metadata`). */
interface AnswerMetadata {
  readonly httpStatusCode?: number;
  readonly requestId?: string;
}

/**
 * One probe call as it happens, for every api alike: the signal that ends it, the answer's status
 * and request id once its headers arrive (kept in `progress`, so a stream that breaks later still
 * has them), the streamed deltas with the time to the first, and the fields of a good answer.
 */
export class ProbeCall {
  readonly progress: Progress = { httpStatus: null, requestId: null, ttfbMs: null };
  private readonly watch = new Stopwatch();
  /** Content deltas a stream has carried so far. */
  deltas = 0;

  constructor(readonly signal: AbortSignal) {}

  /** The answer's headers arrived (AWS SDK answers: their `$metadata`). */
  answered(metadata: AnswerMetadata): void {
    this.progress.httpStatus = metadata.httpStatusCode ?? 200;
    this.progress.requestId = metadata.requestId ?? null;
  }

  /** The answer of an SDK over fetch (openai, Anthropic), its headers marked as they arrive. */
  async answer<T>(request: { withResponse(): Promise<{ data: T; response: Response }> }): Promise<T> {
    const { data, response } = await request.withResponse();
    this.progress.httpStatus = response.status;
    this.progress.requestId = requestIdOf(response.headers);
    return data;
  }

  /** One streamed content delta; the first one is the time to first byte. */
  delta(): void {
    this.watch.firstByte();
    this.progress.ttfbMs = this.watch.ttfbMs;
    this.deltas += 1;
  }

  /** Fields of the successful (2xx) answer marked by `answered` / `answer`. */
  ok(): Pick<
    Fields,
    'httpStatus' | 'errorName' | 'errorCode' | 'message' | 'requestId' | 'latencyMs' | 'ttfbMs'
  > {
    return {
      httpStatus: this.progress.httpStatus ?? 200,
      errorName: null,
      errorCode: null,
      message: null,
      requestId: this.progress.requestId,
      latencyMs: this.watch.latencyMs,
      ttfbMs: this.watch.ttfbMs,
    };
  }
}

export interface ProbeSignal {
  readonly signal: AbortSignal;
  /** True once the per-probe timeout fired (as opposed to the caller aborting). */
  timedOut(): boolean;
  /** Clears the timer; call when the probe is over. */
  done(): void;
}

/** The caller's signal (if any) plus a per-probe timeout; `timedOut()` tells the two apart afterwards. */
export function probeSignal(outer: AbortSignal | undefined, timeoutMs: number): ProbeSignal {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException(`probe timed out after ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  const signal = outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal;
  return { signal, timedOut: () => timeout.signal.aborted, done: () => clearTimeout(timer) };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** JSON.parse that never throws: an unparseable answer is evidence, not a crash. */
export function parseJson(bytes: Uint8Array | string | undefined | null): unknown {
  if (bytes === undefined || bytes === null) return undefined;
  const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return text.length > 0 ? text : undefined;
  }
}

/** Tool arguments must be a JSON object (a string of one, or one already parsed). */
export function isJsonObject(value: unknown): boolean {
  if (isRecord(value)) return true;
  if (typeof value !== 'string') return false;
  try {
    return isRecord(JSON.parse(value));
  } catch {
    return false;
  }
}

/** The id of the request as the host named it, from the usual response headers. */
function requestIdOf(headers: Headers | undefined | null): string | null {
  if (!headers) return null;
  return headers.get('x-request-id') ?? headers.get('request-id') ?? headers.get('x-amzn-requestid');
}

/**
 * Any thrown error -> the observation fields the wire gave. `progress` carries what a stream had
 * already shown (status 200, request id) before it broke.
 */
export function errorFields(err: unknown, timedOut: boolean, progress?: Progress): Fields {
  const seen = {
    ...(progress?.requestId ? { requestId: progress.requestId } : {}),
    ...(progress?.ttfbMs != null ? { ttfbMs: progress.ttfbMs } : {}),
  };
  const tooLarge = answerTooLarge(err);
  if (tooLarge) {
    return {
      httpStatus: tooLarge.httpStatus ?? progress?.httpStatus ?? null,
      errorName: ANSWER_TOO_LARGE,
      errorCode: null,
      message: tooLarge.summary,
      ...seen,
    };
  }
  if (timedOut || err instanceof APIConnectionTimeoutError) {
    return {
      httpStatus: null,
      errorName: 'TimeoutError',
      errorCode: null,
      message: 'probe timed out before the answer was complete',
      timedOut: true,
      ...seen,
    };
  }
  if (err instanceof OpenAiApiError && err.status !== undefined) {
    const body =
      parseJson(rawErrorBody(err.headers)) ?? (err.error === undefined ? undefined : { error: err.error });
    const inner = isRecord(err.error) ? err.error : undefined;
    const fromBody = bodyMessage(body);
    return {
      httpStatus: err.status,
      errorName: str(inner?.type) ?? str(err.type) ?? awsErrorType(err.headers) ?? err.constructor.name,
      errorCode: str(err.code) ?? bodyError(body).code,
      message: fromBody ?? str(inner?.message) ?? err.message,
      body,
      requestId: err.requestID ?? requestIdOf(err.headers),
      ...meaningfulHeaders(err.headers),
    };
  }
  if (err instanceof AnthropicApiError && err.status !== undefined) {
    const body = parseJson(rawErrorBody(err.headers)) ?? err.error;
    // The Anthropic SDK keeps the whole envelope `{type:'error', error:{type, message}}`.
    const envelope = isRecord(err.error) ? err.error : undefined;
    const inner = isRecord(envelope?.error) ? envelope.error : envelope;
    return {
      httpStatus: err.status,
      errorName: str(inner?.type) ?? awsErrorType(err.headers) ?? err.constructor.name,
      errorCode: str(inner?.code),
      message: bodyMessage(body) ?? str(inner?.message) ?? err.message,
      body,
      requestId: err.requestID ?? requestIdOf(err.headers),
      ...meaningfulHeaders(err.headers),
    };
  }
  if (isRecord(err) && isRecord(err.$metadata)) {
    // AWS SDK service exception (Converse, InvokeModel, ApplyGuardrail).
    const status = typeof err.$metadata.httpStatusCode === 'number' ? err.$metadata.httpStatusCode : null;
    const httpStatus = status ?? progress?.httpStatus ?? null;
    return {
      httpStatus,
      // A 2xx the SDK could not read (an HTML page, a cut stream) is no answer of the api.
      ...(httpStatus !== null && httpStatus < 300
        ? {
            malformed: `the SDK could not read the answer (${str(err.name) ?? 'Error'}: ${str(err.message) ?? ''})`,
          }
        : {}),
      errorName: str(err.name),
      errorCode: str(err.Code) ?? str(err.code) ?? null,
      message: str(err.message) ?? str(err.Message),
      // A body the SDK could not parse (raw XML, text) is kept for classify to read.
      ...unparsedBody(err),
      requestId: str(err.$metadata.requestId) ?? progress?.requestId ?? null,
      ...(progress?.ttfbMs != null ? { ttfbMs: progress.ttfbMs } : {}),
      ...meaningfulHeaders(isRecord(err.$response) ? err.$response.headers : undefined),
    };
  }
  // No (complete) HTTP answer: connection refused, DNS, a stream cut, an abort by the caller.
  const e = (isRecord(err) ? err : {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: unknown;
  };
  const cause = isRecord(e.cause) ? e.cause : undefined;
  const cut = progress?.httpStatus != null && progress.httpStatus < 300;
  return {
    httpStatus: progress?.httpStatus ?? null,
    ...(cut ? { malformed: `the answer broke off after HTTP ${progress?.httpStatus}` } : {}),
    errorName: str(e.name) ?? 'Error',
    errorCode: str(e.code) ?? str(cause?.code),
    message: [str(e.message) ?? String(err), str(cause?.message)].filter(Boolean).join(': '),
    ...seen,
  };
}

/** The raw text of an AWS SDK error answer the SDK could not parse as JSON (XML, plain text). */
function unparsedBody(err: Record<string, unknown>): Pick<Fields, 'body'> {
  if (err.name !== 'SyntaxError' && str(err.$responseBodyText) === null) return {};
  const text = str(err.$responseBodyText) ?? rawAwsErrorBody(err.$response) ?? null;
  return text ? { body: text } : {};
}

/** Response headers classify reads (lower-case names); nothing else is kept. */
const MEANINGFUL_HEADERS = ['x-amzn-errortype', 'content-type'] as const;

/** The headers classify needs, from a fetch `Headers` or the AWS SDK's plain header record. */
function meaningfulHeaders(headers: unknown): Pick<Fields, 'headers'> {
  const get = (name: string): string | null => {
    if (headers instanceof Headers) return headers.get(name);
    if (!isRecord(headers)) return null;
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    return key === undefined ? null : str(headers[key]);
  };
  const out: Record<string, string> = {};
  for (const name of MEANINGFUL_HEADERS) {
    const value = get(name);
    if (value) out[name] = value;
  }
  return Object.keys(out).length > 0 ? { headers: out } : {};
}

/** AWS front doors name the error in a header when the body is not OpenAI-shaped. */
function awsErrorType(headers: Headers | undefined): string | null {
  const raw = headers?.get('x-amzn-errortype');
  return raw ? (raw.split(':')[0] ?? null) : null;
}

/**
 * The message of an error body in the OpenAI, Anthropic or AWS (`Message`/`message`) shape, a bare
 * string `error`, or a structured error nested in `message` (mantle, docs/bedrock-wire.md).
 */
function bodyMessage(body: unknown): string | null {
  if (!isRecord(body)) return typeof body === 'string' && body.length > 0 ? body : null;
  return bodyError(body).message;
}

/** Sleep that ends early (rejecting) when the probe is aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
