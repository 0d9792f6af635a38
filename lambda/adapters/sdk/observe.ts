/**
 * Turning SDK answers and SDK errors into Observations, faithfully: what the wire said, nothing
 * decided. The classifier scrubs and trims messages; here they are passed on raw.
 */
import { APIError as AnthropicApiError } from '@anthropic-ai/sdk';
import { APIError as OpenAiApiError } from 'openai';
import type { Observation } from '../../core/model';
import type { ProbeRequest } from '../../engine/probe-port';

export type Fields = Omit<Observation, 'endpoint' | 'api' | 'variant' | 'route' | 'modelId'>;

export const baseOf = (req: ProbeRequest) => ({
  endpoint: req.endpoint,
  api: req.api,
  variant: req.variant,
  route: req.route,
  modelId: req.modelId,
});

/** Measures one probe: latency to the end of the answer, time to the first streamed event. */
export class Stopwatch {
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

/** The caller's signal plus a per-probe timeout; `timedOut()` tells the two apart afterwards. */
export function probeSignal(outer: AbortSignal, timeoutMs: number) {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new Error(`probe timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  const signal = AbortSignal.any([outer, timeout.signal]);
  return { signal, timedOut: () => timeout.signal.aborted, done: () => clearTimeout(timer) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** Any thrown SDK error -> the observation fields the wire gave. */
export function errorFields(err: unknown, timedOut: boolean): Fields {
  if (timedOut) {
    return {
      httpStatus: null,
      errorName: 'Timeout',
      errorCode: null,
      message: 'probe timed out',
      timedOut: true,
    };
  }
  if (err instanceof OpenAiApiError && err.status !== undefined) {
    const body = isRecord(err.error) ? err.error : undefined;
    return {
      httpStatus: err.status,
      errorName: str(err.type) ?? str(body?.type) ?? err.constructor.name,
      errorCode: str(err.code) ?? null,
      message: str(body?.message) ?? err.message,
      body: err.error,
      requestId: err.requestID ?? null,
    };
  }
  if (err instanceof AnthropicApiError && err.status !== undefined) {
    const envelope = isRecord(err.error) ? err.error : undefined;
    const inner = isRecord(envelope?.error) ? envelope.error : envelope;
    return {
      httpStatus: err.status,
      errorName: str(inner?.type) ?? err.constructor.name,
      errorCode: null,
      message: str(inner?.message) ?? err.message,
      body: err.error,
      requestId: err.requestID ?? null,
    };
  }
  if (isRecord(err) && isRecord(err.$metadata)) {
    const status = typeof err.$metadata.httpStatusCode === 'number' ? err.$metadata.httpStatusCode : null;
    return {
      httpStatus: status,
      errorName: str(err.name),
      errorCode: str(err.Code) ?? str(err.code),
      message: str(err.message) ?? str(err.Message),
      requestId: str(err.$metadata.requestId),
    };
  }
  // No HTTP answer at all: connection refused, DNS, an abort by the caller.
  const e = err as { name?: string; message?: string; cause?: { code?: string } };
  return {
    httpStatus: null,
    errorName: str(e?.name) ?? 'Error',
    errorCode: str(e?.cause?.code),
    message: str(e?.message) ?? String(err),
  };
}

/** JSON.parse that never throws: an unparseable answer is evidence, not a crash. */
export function parseJson(bytes: Uint8Array | string | undefined): unknown {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

export const parsesAsObject = (text: unknown): boolean => {
  if (isRecord(text)) return true;
  if (typeof text !== 'string') return false;
  return isRecord(parseJson(text));
};
