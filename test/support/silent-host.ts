/**
 * A host that accepts connections and never answers: the failure mode that hangs a client with no
 * timeout (a black-holed proxy, a wedged load balancer). Listens on loopback only.
 */
import { createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './loopback';

export interface SilentHost {
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startSilentHost(): Promise<SilentHost> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
