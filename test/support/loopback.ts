/** Stand-in servers for tests listen on loopback only, on a port the OS picks, so runs never collide. */
import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';

/** Starts `server` on a free loopback port; resolves to its `http://127.0.0.1:<port>` URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
