/**
 * One port for HTTP/1.1 and cleartext HTTP/2: @aws-sdk/client-bedrock-runtime opens h2c against
 * an http:// endpoint while the openai and Anthropic SDKs speak HTTP/1.1, and Node's `allowHTTP1`
 * only works over TLS (without it an HTTP/1.1 client gets a SETTINGS frame back).
 */
import type { Server } from 'node:http';
import type { Http2Server } from 'node:http2';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/**
 * Hand a connection to the HTTP/2 server when it opens with the preface `PRI * HTTP/2.0`.
 * node:http2 reads a real socket's handle directly, so bytes put back with `unshift` would be
 * lost to it: it gets a Duplex that replays the first chunk, then relays the socket.
 */
export function routeByPreface(socket: Socket, h2: Http2Server, h1: Server): void {
  socket.once('data', (head: Buffer) => {
    socket.pause();
    if (head.subarray(0, 3).toString('latin1') !== 'PRI') {
      socket.unshift(head);
      h1.emit('connection', socket);
      socket.resume();
      return;
    }
    const relay = new Duplex({
      read: () => socket.resume(),
      write: (chunk, _encoding, done) => {
        socket.write(chunk, done);
      },
      final: (done) => {
        socket.end();
        done();
      },
      destroy: (err, done) => {
        socket.destroy();
        done(err);
      },
    });
    relay.push(head);
    socket.on('data', (chunk: Buffer) => {
      if (!relay.push(chunk)) socket.pause();
    });
    socket.on('end', () => relay.push(null));
    socket.on('error', (err) => relay.destroy(err));
    socket.on('close', () => relay.destroy());
    h2.emit('connection', relay);
  });
}
