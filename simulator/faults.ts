/**
 * Faults the real world inflicts on a monitor, as scenario entries: throttling and 5xx for a share
 * of calls, slow answers, a host answering HTML or `{}` to everything, an empty catalog once, a
 * host that never answers. Call faults act inside `World.decide` (after the model is looked up);
 * wire faults take the whole exchange over before any handler, catalogs and control plane included.
 */

import { SIM_APIS, SIM_HOSTS } from './surface';
import type {
  CallFault,
  CallRequest,
  Fault,
  FaultMatch,
  SimError,
  SimRequest,
  SimResponse,
  WireAction,
  WireFault,
  WireMatch,
} from './types';
import { LIMITS, type Validator } from './validate';

const TYPES = [
  'throttle',
  'server-error',
  'slow',
  'garbage',
  'empty-catalog',
  'silent',
  'stream-failed',
] as const;
const KEYS: Readonly<Record<Fault['type'], readonly string[]>> = {
  throttle: ['count', 'percent', 'quota'],
  'server-error': ['status', 'count', 'percent'],
  slow: ['delayMs', 'count'],
  garbage: ['body', 'count'],
  'empty-catalog': ['count'],
  silent: ['count'],
  'stream-failed': ['count', 'percent'],
};
const WIRE_HOSTS = [...SIM_HOSTS, 'control'] as const;
const GARBAGE_BODIES = ['html', 'empty-object'] as const;

export const DEFAULT_SEED = 1;

/** The throttling text is the real one (docs/bedrock-wire.md); the 5xx texts are guessed from the AWS exception docs. */
export const FAULT_MESSAGES = {
  throttled: 'Too many tokens, please wait before trying again.',
  /** The account-wide daily cap (quotas-runtime: "Cross-Model Max Tokens Per Day"). */
  dailyQuota: 'Too many tokens per day, please wait before trying again.',
  unavailable: 'Bedrock is unable to process your request.',
  internal: 'The server encountered an internal error while processing the request.',
} as const;

/** What a captive portal or a misrouted proxy answers: a login page, with 200. */
export const GARBAGE_HTML =
  '<!DOCTYPE html><html><head><title>Network login</title></head><body><h1>Sign in to continue</h1><p>You must log in to this network before you can access the internet.</p></body></html>';

export function parseFault(v: Validator, value: unknown, path: string): Fault {
  const type = v.oneOf(v.object(value, path, null).type, `${path}.type`, TYPES);
  const obj = v.object(value, path, ['type', 'match', ...KEYS[type]]);
  const count = obj.count === undefined ? undefined : v.int(obj.count, `${path}.count`, 1, LIMITS.count);
  const percent = obj.percent === undefined ? undefined : v.int(obj.percent, `${path}.percent`, 1, 100);
  const withCount = count === undefined ? {} : { count };
  const withPercent = percent === undefined ? {} : { percent };
  if (type === 'garbage' || type === 'empty-catalog' || type === 'silent') {
    const match = obj.match === undefined ? undefined : parseWireMatch(v, obj.match, `${path}.match`, type);
    const withMatch = match === undefined ? {} : { match };
    if (type === 'garbage') {
      return { type, body: v.oneOf(obj.body, `${path}.body`, GARBAGE_BODIES), ...withCount, ...withMatch };
    }
    if (type === 'empty-catalog') {
      if (count === undefined)
        v.fail(`${path}.count`, 'empty-catalog needs a count of catalog reads', obj.count);
      return { type, count, ...withMatch };
    }
    return { type, ...withCount, ...withMatch };
  }
  const match = obj.match === undefined ? undefined : parseFaultMatch(v, obj.match, `${path}.match`);
  const withMatch = match === undefined ? {} : { match };
  switch (type) {
    case 'throttle':
      if (count === undefined && percent === undefined)
        v.fail(`${path}.count`, 'throttle needs a count or a percent of calls to refuse', obj.count);
      return {
        type,
        ...withCount,
        ...withPercent,
        ...withMatch,
        ...(obj.quota === undefined
          ? {}
          : { quota: v.oneOf(obj.quota, `${path}.quota`, ['daily'] as const) }),
      };
    case 'server-error': {
      const status = obj.status === undefined ? undefined : v.int(obj.status, `${path}.status`, 500, 599);
      return { type, ...(status !== undefined && { status }), ...withCount, ...withPercent, ...withMatch };
    }
    case 'stream-failed':
      return { type, ...withCount, ...withPercent, ...withMatch };
    case 'slow':
      return {
        type,
        delayMs: v.int(obj.delayMs, `${path}.delayMs`, 0, LIMITS.delayMs),
        ...withCount,
        ...withMatch,
      };
  }
}

function parseFaultMatch(v: Validator, value: unknown, path: string): FaultMatch {
  const obj = v.object(value, path, ['host', 'api', 'model']);
  return {
    ...(obj.host !== undefined && { host: v.oneOf(obj.host, `${path}.host`, SIM_HOSTS) }),
    ...(obj.api !== undefined && { api: v.oneOf(obj.api, `${path}.api`, SIM_APIS) }),
    ...(obj.model !== undefined && { model: v.string(obj.model, `${path}.model`) }),
  };
}

function parseWireMatch(v: Validator, value: unknown, path: string, type: WireFault['type']): WireMatch {
  // These faults strike before the request is read, so only the host can be matched.
  const obj = v.object(value, path, ['host']);
  if (obj.host === undefined) return {};
  const hosts = type === 'empty-catalog' ? (['mantle', 'control'] as const) : WIRE_HOSTS;
  return { host: v.oneOf(obj.host, `${path}.host`, hosts) };
}

/**
 * Fault bookkeeping for one scenario: how often each fault fired, how often each call key was
 * seen. A fresh one per scenario (setScenario) resets every counter and the generator.
 */
export class FaultState {
  private readonly hits = new Map<string, number>();
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly faults: readonly Fault[],
    private readonly seed: number,
  ) {}

  /** The refusal the call faults inflict on this call, after any `slow` waits; null = let it through. */
  async callFault(
    req: CallRequest,
    modelKey: string | null,
    sleep: (ms: number) => Promise<void>,
  ): Promise<SimError | null> {
    const key = `${req.host}|${req.api}|${req.route}|${req.modelId}|${req.features.join(',')}`;
    for (const [index, fault] of this.faults.entries()) {
      if (!isCallFault(fault) || !callMatches(fault.match, req, modelKey)) continue;
      // Not a refusal: the call is answered, its stream fails later (streamFails).
      if (fault.type === 'stream-failed') continue;
      if (!this.fires(index, fault, key)) continue;
      switch (fault.type) {
        case 'throttle':
          return {
            kind: 'throttled',
            status: 429,
            message: fault.quota === 'daily' ? FAULT_MESSAGES.dailyQuota : FAULT_MESSAGES.throttled,
          };
        case 'server-error': {
          const status = fault.status ?? 503;
          const message = status === 503 ? FAULT_MESSAGES.unavailable : FAULT_MESSAGES.internal;
          return { kind: 'server-error', status, message };
        }
        case 'slow':
          await sleep(fault.delayMs);
          break;
      }
    }
    return null;
  }

  /** A `stream-failed` fault fires on this streamed call: its stream must end in failure. */
  streamFails(req: CallRequest, modelKey: string | null): boolean {
    if (!req.features.includes('stream')) return false;
    const key = `${req.host}|${req.api}|${req.route}|${req.modelId}|${req.features.join(',')}`;
    return this.faults.some(
      (fault, index) =>
        fault.type === 'stream-failed' &&
        callMatches(fault.match, req, modelKey) &&
        this.fires(index, fault, key),
    );
  }

  /** The wire fault that takes this exchange over, if any. Admin routes are never touched. */
  wireFault(req: Pick<SimRequest, 'host' | 'method' | 'path'>): WireAction | null {
    if (req.host === 'control' && req.path.startsWith('/_simulator/')) return null;
    const catalog = catalogOf(req);
    for (const [index, fault] of this.faults.entries()) {
      if (isCallFault(fault)) continue;
      if (fault.match?.host !== undefined && fault.match.host !== req.host) continue;
      if (fault.type === 'empty-catalog') {
        // Counted per catalog, so `count: 1` empties each catalog's first read.
        if (catalog && this.fires(index, fault, catalog, catalog)) return { kind: 'empty-catalog', catalog };
        continue;
      }
      if (!this.fires(index, fault, `${req.host}|${req.method}|${req.path}`)) continue;
      return fault.type === 'garbage' ? { kind: 'garbage', body: fault.body } : { kind: 'silent' };
    }
    return null;
  }

  /** Count and percent gates; a fault fires only when both let it. */
  private fires(index: number, fault: Fault, callKey: string, counter = ''): boolean {
    const hitKey = `${index}|${counter}`;
    const used = this.hits.get(hitKey) ?? 0;
    if ('count' in fault && fault.count !== undefined && used >= fault.count) return false;
    if ('percent' in fault && fault.percent !== undefined) {
      const seenKey = `${index}|${callKey}`;
      const nth = this.seen.get(seenKey) ?? 0;
      this.seen.set(seenKey, nth + 1);
      if (draw(this.seed, `${seenKey}|${nth}`) * 100 >= fault.percent) return false;
    }
    this.hits.set(hitKey, used + 1);
    return true;
  }
}

export function faultState(faults: readonly Fault[] | undefined, seed: number | undefined): FaultState {
  return new FaultState(faults ?? [], seed ?? DEFAULT_SEED);
}

function isCallFault(fault: Fault): fault is CallFault {
  return (
    fault.type === 'throttle' ||
    fault.type === 'server-error' ||
    fault.type === 'slow' ||
    fault.type === 'stream-failed'
  );
}

function callMatches(m: FaultMatch | undefined, req: CallRequest, modelKey: string | null): boolean {
  if (!m) return true;
  if (m.host !== undefined && m.host !== req.host) return false;
  if (m.api !== undefined && m.api !== req.api) return false;
  if (m.model !== undefined && m.model !== '*' && m.model !== req.modelId && m.model !== modelKey)
    return false;
  return true;
}

/** Which catalog read this is: mantle `GET <route>/models`, or the control plane's ListFoundationModels. */
function catalogOf(req: Pick<SimRequest, 'host' | 'method' | 'path'>): 'mantle' | 'control' | null {
  if (req.method !== 'GET') return null;
  if (req.host === 'mantle' && /^\/(openai\/)?v1\/models$/.test(req.path)) return 'mantle';
  if (req.host === 'control' && req.path === '/foundation-models') return 'control';
  return null;
}

/**
 * A value in [0,1) fixed by (seed, key): a call's fate depends on which call it is (its key and
 * how many times that key came before), not on how concurrent calls interleave.
 */
export function draw(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // murmur3 finaliser: FNV alone leaves the low bits poorly mixed.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

/** Answer a wire fault's exchange; `silent` writes nothing and leaves the request open. */
export function answerWireFault(action: WireAction, res: SimResponse): void {
  switch (action.kind) {
    case 'silent':
      return;
    case 'garbage':
      if (action.body === 'html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(GARBAGE_HTML);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      }
      return;
    case 'empty-catalog':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(action.catalog === 'mantle' ? '{"object":"list","data":[]}' : '{"modelSummaries":[]}');
      return;
  }
}
