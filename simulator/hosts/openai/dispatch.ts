/**
 * The OpenAI-compatible surface: mantle `/v1` and `/openai/v1`, runtime `/openai/v1`
 * (docs/bedrock-wire.md). Finds the operation by route and path and hands it to Chat Completions,
 * Responses or the mantle model list.
 */
import { scenarioIn } from '../../region';
import { HOST_SURFACE, type SimApi } from '../../surface';
import type { Host, HostHandler } from '../../types';
import { answeredAuthError, type Exchange, openExchange, sendJson } from '../exchange';
import { guardrailHeaders } from '../guardrail-headers';
import { chatCompletions } from './chat';
import { sendOpenAiError } from './errors';
import { cancelResponse, createResponse, deleteResponse, retrieveResponse } from './responses';

/** The prefixes a host serves Chat or Responses on (surface.ts), longest first. */
function openAiRoutes(host: Host): readonly string[] {
  const { chat, responses } = HOST_SURFACE[host];
  const routes = new Set([...(chat?.routes ?? []), ...(responses?.routes ?? [])]);
  return [...routes].sort((a, b) => b.length - a.length);
}

const ROUTES: Readonly<Record<Host, readonly string[]>> = {
  mantle: openAiRoutes('mantle'),
  runtime: openAiRoutes('runtime'),
};

/** Route prefix and remaining path, or null when the path is not under an OpenAI prefix of this host. */
export function splitOpenAiRoute(host: Host, path: string): { route: string; rest: string } | null {
  for (const route of ROUTES[host]) {
    if (path === route || path.startsWith(`${route}/`)) return { route, rest: path.slice(route.length) };
  }
  return null;
}

export const handleOpenAiCompat: HostHandler = async (world, req, res) => {
  if (req.host === 'control') return false;
  const host = req.host;
  const split = splitOpenAiRoute(host, req.path);
  if (!split) return false;
  const { route, rest } = split;
  const responseMatch = /^\/responses\/([^/]+)(\/cancel)?$/.exec(rest);

  let op: 'models' | 'chat' | 'create' | 'retrieve' | 'delete' | 'cancel' | null = null;
  if (rest === '/models' && req.method === 'GET' && host === 'mantle') op = 'models';
  else if (rest === '/chat/completions' && req.method === 'POST') op = 'chat';
  else if (rest === '/responses' && req.method === 'POST') op = 'create';
  else if (responseMatch && !responseMatch[2] && req.method === 'GET') op = 'retrieve';
  else if (responseMatch && !responseMatch[2] && req.method === 'DELETE') op = 'delete';
  else if (responseMatch?.[2] && req.method === 'POST') op = 'cancel';

  // Runtime has no /openai/v1/models (docs/bedrock-wire.md): let the host's unknown-operation answer speak.
  if (op === null && host === 'runtime') return false;

  const api: SimApi | null = op === 'chat' ? 'chat' : op === 'models' || op === null ? null : 'responses';
  const x = openExchange(world, req, res, api, {
    requestIdHeader: 'x-request-id',
    guardrailId: guardrailHeaders(req).id,
  });
  if (answeredAuthError(x)) return true;

  const responseId = responseMatch?.[1] ? safeDecode(responseMatch[1]) : '';
  switch (op) {
    case null:
      // Guessed: OpenAI's own wording for an unknown URL.
      sendOpenAiError(x, 404, `Unknown request URL: ${req.method} ${req.path}.`, 'unknown_url');
      return true;
    case 'models':
      listModels(x);
      return true;
    case 'chat':
      await chatCompletions(x, route);
      return true;
    case 'create':
      await createResponse(x, route);
      return true;
    case 'retrieve':
      retrieveResponse(x, responseId);
      return true;
    case 'delete':
      deleteResponse(x, responseId);
      return true;
    case 'cancel':
      cancelResponse(x, responseId);
      return true;
  }
};

/** A malformed escape is just an id no response has, not a simulator crash. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// ---------------------------------------------------------------------------------------------
// Models.
// ---------------------------------------------------------------------------------------------

/** A fixed `created` keeps listings stable between calls, as a real catalog is. */
const MODEL_CREATED = 1_767_225_600; // 2026-01-01T00:00:00Z

function listModels(x: Exchange): void {
  const data = scenarioIn(x.world.scenario, x.req.region)
    .models.filter((m) => m.mantle && m.mantle.listed !== false)
    .map((m) => ({ id: m.mantle?.id, object: 'model', created: MODEL_CREATED, owned_by: m.provider }));
  sendJson(x, 200, { object: 'list', data });
}
