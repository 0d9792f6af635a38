/**
 * The local Bedrock: one listener per host. The runtime listener speaks HTTP/2 cleartext as well
 * as HTTP/1.1 on one port (see h2c.ts), as the AWS SDK and the openai/Anthropic SDKs need.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type Http2ServerRequest } from 'node:http2';
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import { answeredAccount } from './account';
import { parseAuth } from './auth';
import { answerWireFault } from './faults';
import { routeByPreface } from './h2c';
import { handleAnthropic } from './hosts/anthropic/messages';
import { handleControl } from './hosts/control';
import { recordRequest } from './hosts/exchange';
import { handleOpenAiCompat } from './hosts/openai/dispatch';
import { handleRuntimeNative } from './hosts/runtime/dispatch';
import { answeredRegion, hostInRegion } from './region';
import type { Host, HostHandler, Scenario, SimRequest, SimResponse, World } from './types';
import { createWorld } from './world';

export interface SimulatorOptions {
  readonly scenario: Scenario;
  /** @default 0 (any free port) */
  readonly runtimePort?: number;
  /** @default 0 (any free port) */
  readonly mantlePort?: number;
  /** @default 0 (any free port) */
  readonly controlPort?: number;
  /** Only loopback: the simulator is a test double, never a network service. @default '127.0.0.1' */
  readonly bindAddress?: string;
  /** One handler for every host instead of the scenario-driven ones (`simulate --replay`). @default none */
  readonly handler?: HostHandler;
}

export interface SimulatorUrls {
  readonly runtime: string;
  readonly mantle: string;
  readonly control: string;
}

export interface RunningSimulator {
  readonly urls: SimulatorUrls;
  /**
   * The URLs a client of `region` uses: `urls`, except that a host the scenario says the region
   * lacks gets a name under `.invalid`, which never resolves (RFC 6761), so the client fails as
   * it would against a region without that host.
   */
  urlsFor(region: string): SimulatorUrls;
  readonly world: World;
  setScenario(next: Scenario): void;
  close(): Promise<void>;
}

const HANDLERS: Readonly<Record<Host | 'control', readonly HostHandler[]>> = {
  runtime: [handleRuntimeNative, handleOpenAiCompat, handleAnthropic],
  // Native operations on mantle answer only when a scenario declares them (see hosts/runtime/dispatch.ts).
  mantle: [handleOpenAiCompat, handleAnthropic, handleRuntimeNative],
  control: [handleControl],
};

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const world = createWorld(options.scenario);
  const handlers = options.handler
    ? { runtime: [options.handler], mantle: [options.handler], control: [options.handler] }
    : HANDLERS;
  const dispatch = (host: Host | 'control', raw: IncomingMessage | Http2ServerRequest, res: SimResponse) =>
    dispatchTo(world, handlers[host], host, raw, res);
  const bind = options.bindAddress ?? '127.0.0.1';

  const runtimeH2 = createHttp2Server(
    {},
    (req, res) => void dispatch('runtime', req, res as unknown as SimResponse),
  );
  const runtimeH1 = createHttpServer((req, res) => void dispatch('runtime', req, res));
  const runtime = createNetServer((socket) => routeByPreface(socket, runtimeH2, runtimeH1));
  const mantle = createHttpServer((req, res) => void dispatch('mantle', req, res));
  const control = createHttpServer((req, res) => void dispatch('control', req, res));

  // Track sockets so close() ends keep-alive and HTTP/2 sessions instead of waiting for them.
  const sockets = new Set<Socket>();
  for (const s of [runtime, mantle, control]) {
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  }
  const servers: (Server | Http2Server | NetServer)[] = [];
  try {
    const runtimePort = await listen(runtime, options.runtimePort ?? 0, bind);
    servers.push(runtime);
    const mantlePort = await listen(mantle, options.mantlePort ?? 0, bind);
    servers.push(mantle);
    const controlPort = await listen(control, options.controlPort ?? 0, bind);
    servers.push(control);
    const base = (port: number) => `http://${bind}:${port}`;
    const urls = { runtime: base(runtimePort), mantle: base(mantlePort), control: base(controlPort) };
    return {
      urls,
      urlsFor: (region) => ({
        ...urls,
        ...(!hostInRegion(world.scenario, region, 'mantle') && {
          mantle: `http://bedrock-mantle.${region}.invalid:${mantlePort}`,
        }),
      }),
      world,
      setScenario: (next) => world.setScenario(next),
      close: () => closeAll(servers, sockets),
    };
  } catch (err) {
    await closeAll(servers, sockets);
    throw err;
  }
}

async function dispatchTo(
  world: World,
  handlers: readonly HostHandler[],
  host: Host | 'control',
  raw: IncomingMessage | Http2ServerRequest,
  res: SimResponse,
): Promise<void> {
  try {
    const body = await readBody(raw);
    const url = new URL(raw.url ?? '/', 'http://simulator');
    const headers = lowerHeaders(raw.headers);
    const req: SimRequest = {
      host,
      method: raw.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      auth: parseAuth(headers, host),
      region: answeredRegion(world.scenario, headers),
      account: answeredAccount(world.scenario, headers),
    };
    if (host !== 'control' && !hostInRegion(world.scenario, req.region, host)) {
      // The region has no such host: its name does not resolve there, so no answer of any kind
      // comes back. A caller gets that through `urlsFor(region)`; one that reached this listener
      // anyway has its connection dropped, the nearest a listener can come to "no such host".
      recordRequest(world, req, 0);
      raw.socket?.destroy();
      return;
    }
    const fault = world.wireFault(req);
    if (fault) {
      answerWireFault(fault, res);
      recordRequest(world, req, fault.kind === 'silent' ? 0 : 200);
      return;
    }
    for (const handler of handlers) {
      if (await handler(world, req, res)) return;
    }
    notFound(res, host, req.path);
  } catch (err) {
    // A bug in the simulator must show up as a 500 the probe can see, never as a hung socket.
    if (!res.writableEnded) {
      try {
        res.writeHead(500, { 'content-type': 'application/json' });
      } catch {
        // headers already sent (mid-stream): just end the body
      }
      res.end(JSON.stringify({ message: `simulator error: ${(err as Error).message}` }));
    }
  }
}

/**
 * A path no handler serves. The runtime host answers a raw XML `<UnknownOperationException/>` with
 * no error-type header (measured for `/openai/v1/models`, docs/bedrock-wire.md); the others name
 * the error in `x-amzn-ErrorType` and a JSON message.
 */
function notFound(res: SimResponse, host: Host | 'control', path: string): void {
  if (host === 'runtime') {
    res.writeHead(404, { 'content-type': 'text/xml' });
    res.end('<UnknownOperationException/>\n');
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' });
  res.end(JSON.stringify({ message: `No route for ${path}` }));
}

function lowerHeaders(h: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) {
    if (k.startsWith(':')) continue; // HTTP/2 pseudo-headers
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

async function readBody(req: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

function listen(server: Server | Http2Server | NetServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function closeAll(
  servers: readonly (Server | Http2Server | NetServer)[],
  sockets: Set<Socket>,
): Promise<void> {
  const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  for (const socket of sockets) socket.destroy();
  await closed;
}
