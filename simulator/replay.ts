/**
 * `simulate --replay DIR`: serve the exchanges `probe --record DIR` wrote, verbatim (status,
 * headers, body bytes). A call is matched on host, method, path and the model ID (JSON `model`
 * field or the `/model/{id}/` path segment); among the recorded answers for that key, one whose
 * request body and query were identical wins, else the next in recorded order. Once a key's
 * answers are used up, its last answer is served again. A call nothing was recorded for gets a
 * 404 naming it. The file format is the simulator's own reading of the recording (no prober import).
 *
 * One exception to "verbatim": a request that differs from a recorded one in exactly one word (the
 * stateful probe's random code word) is matched to it, and that word is swapped back in the text
 * answers of the same key, so a recorded recall still recalls the word the new run sent.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host, HostHandler, SimRequest } from './types';
import { ScenarioError } from './validate';

interface Body {
  readonly text?: string;
  readonly base64?: string;
}

export interface ReplayExchange {
  readonly seq: number;
  readonly host: Host | 'control';
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly requestBody: string | null;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface Recording {
  readonly dir: string;
  readonly exchanges: readonly ReplayExchange[];
}

/** Headers node computes itself, or that HTTP/2 forbids. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade']);
const HOSTS = new Set(['runtime', 'mantle', 'control']);

/** Read a recording; a missing, empty or malformed one is a ScenarioError naming the file. */
export async function loadRecording(dir: string): Promise<Recording> {
  const exDir = join(dir, 'exchanges');
  const files = await readdir(exDir).catch((err: NodeJS.ErrnoException) => {
    throw new ScenarioError(`--replay ${dir}: no recording there (${err.code ?? err.message} on exchanges/)`);
  });
  const names = files.filter((f) => f.endsWith('.json')).sort();
  if (names.length === 0) throw new ScenarioError(`--replay ${dir}: exchanges/ holds no recorded exchange`);
  const exchanges: ReplayExchange[] = [];
  for (const name of names) {
    const where = `--replay ${join('exchanges', name)}`;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(await readFile(join(exDir, name), 'utf8'));
    } catch (err) {
      throw new ScenarioError(`${where}: not JSON: ${(err as Error).message.replace(/\s+/g, ' ')}`);
    }
    const ex = parseExchange(raw, where);
    if (ex) exchanges.push(ex);
  }
  return { dir, exchanges: exchanges.sort((a, b) => a.seq - b.seq) };
}

function parseExchange(raw: Record<string, unknown>, where: string): ReplayExchange | null {
  const fail = (problem: string): never => {
    throw new ScenarioError(`${where}: ${problem}`);
  };
  if (raw.version !== 1) fail(`unknown recording version ${JSON.stringify(raw.version)} (expected 1)`);
  const { seq, host, method, path, query } = raw;
  if (typeof seq !== 'number' || !Number.isInteger(seq)) fail('seq must be an integer');
  if (typeof host !== 'string' || !HOSTS.has(host)) fail(`host must be runtime, mantle or control`);
  if (typeof method !== 'string' || typeof path !== 'string' || !path.startsWith('/'))
    fail('bad method or path');
  const request = raw.request as { body?: Body | null } | undefined;
  const response = raw.response as { status?: unknown; headers?: unknown; body?: Body } | null | undefined;
  // A call that never got an answer (timeout): nothing to serve; replay answers it as unrecorded.
  if (response === null || response === undefined) return null;
  if (typeof response.status !== 'number') fail('response.status must be a number');
  const headers = (
    typeof response.headers === 'object' && response.headers !== null ? response.headers : {}
  ) as Record<string, string>;
  return {
    seq: seq as number,
    host: host as Host | 'control',
    method: method as string,
    path: path as string,
    query: typeof query === 'string' ? query : '',
    requestBody: request?.body ? bodyText(request.body) : null,
    status: response.status as number,
    headers,
    body: response.body ? bodyBytes(response.body) : Buffer.alloc(0),
  };
}

const bodyBytes = (b: Body): Buffer =>
  b.base64 !== undefined ? Buffer.from(b.base64, 'base64') : Buffer.from(b.text ?? '', 'utf8');
const bodyText = (b: Body): string => bodyBytes(b).toString('utf8');

/** The model a call names: the JSON body's `model`, else a `/model/{id}/…` path segment. */
function modelOf(path: string, body: string | null): string {
  const native = /^\/model\/([^/]+)\//.exec(path);
  if (native?.[1]) {
    try {
      return decodeURIComponent(native[1]);
    } catch {
      return native[1];
    }
  }
  if (!body) return '';
  try {
    const parsed: unknown = JSON.parse(body);
    const model = (parsed as { model?: unknown } | null)?.model;
    return typeof model === 'string' ? model : '';
  } catch {
    return '';
  }
}

const keyOf = (host: string, method: string, path: string, model: string) =>
  `${host} ${method} ${path} ${model}`;

/** A host handler serving `recording` for every host; state (what was served) lives in the closure. */
export function replayHandler(recording: Recording): HostHandler {
  const queues = new Map<string, ReplayExchange[]>();
  for (const ex of recording.exchanges) {
    const key = keyOf(ex.host, ex.method, ex.path, modelOf(ex.path, ex.requestBody));
    queues.set(key, [...(queues.get(key) ?? []), ex]);
  }
  const last = new Map<string, ReplayExchange>();
  const swaps = new Map<string, (readonly [string, string])[]>();
  return async (_world, req: SimRequest, res) => {
    const body = req.body.length > 0 ? req.body.toString('utf8') : null;
    const key = keyOf(req.host, req.method, req.path, modelOf(req.path, body));
    const queue = queues.get(key) ?? [];
    const query = req.query.toString();
    const exact = queue.findIndex((ex) => ex.requestBody === body && ex.query === query);
    const nonce = exact >= 0 ? -1 : queue.findIndex((ex) => oneWordApart(ex.requestBody, body) !== null);
    // Neither: take the oldest answer for the key.
    const index = exact >= 0 ? exact : Math.max(nonce, 0);
    const next = queue.length > 0 ? queue.splice(index, 1)[0] : last.get(key);
    if (next && nonce >= 0) {
      const swap = oneWordApart(next.requestBody, body);
      if (swap) swaps.set(key, [...(swaps.get(key) ?? []), swap]);
    }
    if (!next) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-bedrock-matrix-replay': 'miss' });
      res.end(JSON.stringify({ message: `replay: nothing recorded for ${key.trim()}` }));
      return true;
    }
    last.set(key, next);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(next.headers)) {
      if (!HOP_BY_HOP.has(k.toLowerCase()) && !k.startsWith(':')) headers[k] = v;
    }
    res.writeHead(next.status, headers);
    res.end(withSwaps(next, swaps.get(key) ?? []));
    return true;
  };
}

const WORDS = /[A-Za-z0-9_-]{6,}/g;

/** [recorded word, new word] when the two bodies differ in exactly one word, else null. */
function oneWordApart(recorded: string | null, incoming: string | null): readonly [string, string] | null {
  if (recorded === null || incoming === null) return null;
  const a = recorded.match(WORDS) ?? [];
  const b = incoming.match(WORDS) ?? [];
  if (a.length !== b.length) return null;
  const diffs = a.flatMap((word, i) => (word === b[i] ? [] : [[word, b[i] ?? ''] as const]));
  const [only] = diffs;
  return diffs.length === 1 && only ? only : null;
}

/** The answer bytes, with swapped words replaced in text answers (binary ones stay verbatim). */
function withSwaps(ex: ReplayExchange, swaps: readonly (readonly [string, string])[]): Buffer {
  const type = ex.headers['content-type'] ?? '';
  if (swaps.length === 0 || type.includes('eventstream')) return ex.body;
  let text = ex.body.toString('utf8');
  for (const [from, to] of swaps) text = text.split(from).join(to);
  return Buffer.from(text, 'utf8');
}
