/**
 * One handled call, the same for every host handler: where to answer, the request-id headers on
 * every answer of the call, and the one record it leaves in `world.calls`.
 */
import { randomUUID } from 'node:crypto';
import { authError } from '../auth';
import type { SimApi } from '../surface';
import type { Host, SimRequest, SimResponse, World } from '../types';

export interface Exchange {
  readonly world: World;
  readonly req: SimRequest;
  readonly res: SimResponse;
  readonly host: Host;
  readonly api: SimApi | null;
  /** When the call arrived (ms): the record's time and the base of reported latencies. */
  readonly started: number;
  /** Request-id headers sent on every answer of this call. */
  readonly idHeaders: Readonly<Record<string, string>>;
  /** Model ID as sent, once known. */
  modelId: string | null;
  /** Guardrail the call names, once known. */
  guardrailId: string | null;
}

export interface ExchangeStyle {
  /**
   * The request-id header of an OpenAI- or Anthropic-shaped answer (`x-request-id`,
   * `request-id`). @default none: AWS's `x-amzn-requestid` only
   */
  readonly requestIdHeader?: string;
  /** @default null (the handler sets it once it has read the request) */
  readonly guardrailId?: string | null;
}

export function openExchange(
  world: World,
  req: SimRequest,
  res: SimResponse,
  api: SimApi | null,
  style: ExchangeStyle = {},
): Exchange {
  const host = req.host as Host;
  const id = randomUUID();
  const idHeaders: Record<string, string> = {};
  if (style.requestIdHeader) idHeaders[style.requestIdHeader] = host === 'runtime' ? id : `req_${hex(24)}`;
  // Runtime answers carry the AWS request id, like every bedrock-runtime response.
  if (host === 'runtime' || !style.requestIdHeader) idHeaders['x-amzn-requestid'] = id;
  return {
    world,
    req,
    res,
    host,
    api,
    started: Date.now(),
    idHeaders,
    modelId: null,
    guardrailId: style.guardrailId ?? null,
  };
}

export function recordExchange(x: Exchange, status: number): void {
  x.world.record({
    at: new Date(x.started).toISOString(),
    host: x.host,
    method: x.req.method,
    path: x.req.path,
    api: x.api,
    modelId: x.modelId,
    status,
    auth: x.req.auth.kind,
    guardrailId: x.guardrailId,
  });
}

/** The record of a request no api handler took (control plane, wire faults): no model, no api. */
export function recordRequest(world: World, req: SimRequest, status: number): void {
  world.record({
    at: new Date().toISOString(),
    host: req.host,
    method: req.method,
    path: req.path,
    api: null,
    modelId: null,
    status,
    auth: req.auth.kind,
    guardrailId: null,
  });
}

export function sendJson(
  x: Exchange,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  x.res.writeHead(status, { 'content-type': 'application/json', ...x.idHeaders, ...headers });
  x.res.end(typeof body === 'string' ? body : JSON.stringify(body));
  recordExchange(x, status);
}

/** Answer the host's authentication error if the call is not authenticated; true when answered. */
export function answeredAuthError(x: Exchange): boolean {
  const err = authError(x.req);
  if (!err) return false;
  sendJson(x, err.status, err.body, err.headers);
  return true;
}

export function hex(length: number): string {
  let out = '';
  while (out.length < length) out += randomUUID().replace(/-/g, '');
  return out.slice(0, length);
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
