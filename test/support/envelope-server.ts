/**
 * A loopback server that answers every request with one recorded envelope (status, headers, body),
 * so golden wire fixtures go through the real SDKs and the real probe adapters before classify.
 * It speaks HTTP/1.1 (openai, Anthropic SDKs) and cleartext HTTP/2 (the AWS SDK's runtime client)
 * on one port, told apart by the HTTP/2 preface as the simulator does.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import { createServer as createNetServer, type Socket } from 'node:net';
import { routeByPreface } from '../../simulator/h2c';
import { listenOnLoopback } from './loopback';

export interface Envelope {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is (HTML, SSE, text); anything else as JSON. */
  readonly body?: unknown;
  /** Send the body this many times over, one write each (a huge answer without holding it). @default 1 */
  readonly repeat?: number;
}

export interface EnvelopeServer {
  readonly url: string;
  /** The answer to every request from now on. */
  answer(envelope: Envelope): void;
  /** Paths requested since the last `answer`. */
  readonly paths: string[];
  close(): Promise<void>;
}

export async function startEnvelopeServer(): Promise<EnvelopeServer> {
  let current: Envelope = { status: 500, body: { message: 'no envelope set' } };
  const paths: string[] = [];
  const reply = (
    req: IncomingMessage | Http2ServerRequest,
    res: ServerResponse | Http2ServerResponse,
  ): void => {
    req.resume();
    req.on('end', () => {
      paths.push(req.url ?? '');
      const raw = typeof current.body === 'string' ? current.body : JSON.stringify(current.body ?? {});
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-amzn-requestid': 'req-fixture-1',
        ...Object.fromEntries(Object.entries(current.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      };
      res.writeHead(current.status, headers);
      const times = current.repeat ?? 1;
      let sent = 0;
      const more = (): void => {
        while (sent < times - 1) {
          sent += 1;
          if (!(res as ServerResponse).write(raw)) {
            res.once('drain', more);
            return;
          }
        }
        res.end(raw);
      };
      // A client that stopped reading closes the exchange: stop writing then.
      res.once('close', () => {
        sent = times;
      });
      more();
    });
  };
  const h2 = createHttp2Server({}, reply);
  const h1 = createHttpServer(reply);
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    routeByPreface(socket, h2, h1);
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    paths,
    answer(envelope) {
      current = envelope;
      paths.length = 0;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
