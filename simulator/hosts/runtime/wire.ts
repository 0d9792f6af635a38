/**
 * The bedrock-runtime host's restJson1 wire as `@aws-sdk/client-bedrock-runtime` reads it, shared
 * by its native operations: errors carry `x-amzn-errortype` + `{"message"}` so the SDK raises its
 * modelled exception classes; stream operations answer in `application/vnd.amazon.eventstream`
 * framing.
 */
import { randomBytes } from 'node:crypto';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { SimError } from '../../types';
import { type Exchange, recordExchange, sendJson } from '../exchange';
import { isObject, type Json } from '../json';

export const JSON_TYPE = 'application/json';
const EVENTSTREAM_TYPE = 'application/vnd.amazon.eventstream';

// docs/bedrock-wire.md and the public strings the real service answers with (see module report for guesses).
export const MALFORMED_BODY = 'Malformed input request, please reformat your input and try again.';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** A wire-level refusal raised while reading a request; written as an AWS JSON error. */
export class RuntimeFault extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

export const validation = (message: string) => new RuntimeFault(400, 'ValidationException', message);

/** The AWS error name the SDK maps to its exception class, from the status the World chose. */
export function awsErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'ValidationException';
    case 403:
      return 'AccessDeniedException';
    case 404:
      return 'ResourceNotFoundException';
    case 408:
      return 'ModelTimeoutException';
    case 424:
      return 'ModelErrorException';
    case 429:
      return 'ThrottlingException';
    case 500:
      return 'InternalServerException';
    default:
      return status >= 500 ? 'ServiceUnavailableException' : 'ValidationException';
  }
}

export const fromSimError = (error: SimError) =>
  new RuntimeFault(error.status, awsErrorType(error.status), error.message);

export function sendError(x: Exchange, fault: RuntimeFault): void {
  sendJson(x, fault.status, { message: fault.message }, { 'x-amzn-errortype': fault.errorType });
}

/** One `:message-type: event` frame with a JSON payload, as the SDK's event-stream reader expects. */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: JSON_TYPE },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

export async function sendEventStream(
  x: Exchange,
  frames: readonly Uint8Array[],
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  x.res.writeHead(200, { 'content-type': EVENTSTREAM_TYPE, ...x.idHeaders, ...extraHeaders });
  for (const frame of frames) {
    x.res.write(frame);
    // Yield between frames so clients see a real stream rather than one buffered body.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  x.res.end();
  recordExchange(x, 200);
}

export function parseBody(body: Buffer): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw validation(MALFORMED_BODY);
  }
  if (!isObject(parsed)) throw validation(MALFORMED_BODY);
  return parsed;
}

export function optionalCount(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw validation(
      `Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  }
  return value;
}

export function textOfBlocks(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (!isObject(block)) continue;
    if (typeof block.text === 'string') parts.push(block.text);
    else if (isObject(block.text) && typeof block.text.text === 'string') parts.push(block.text.text);
    if (isObject(block.guardContent)) parts.push(textOfBlocks([block.guardContent]));
    if (isObject(block.toolResult)) parts.push(textOfBlocks(block.toolResult.content));
    if (block.type === 'tool_result') parts.push(textOfBlocks(block.content));
  }
  return parts.filter((p) => p.length > 0).join('\n');
}

export const toolUseId = () => `tooluse_${randomBytes(16).toString('base64url').slice(0, 22)}`;

/** Split a string in two or more pieces (tool input JSON arrives in partial deltas). */
export function splitInTwo(text: string): string[] {
  if (text.length < 2) return [text];
  const mid = Math.floor(text.length / 2);
  return [text.slice(0, mid), text.slice(mid)];
}
