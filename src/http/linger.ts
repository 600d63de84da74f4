// Closing a connection without losing the response on it. When a server closes a socket
// while request bytes are still unread, the kernel answers with a reset, and a client that
// is still uploading (a body over the limit, a request refused mid-body) gets EPIPE or
// ECONNRESET instead of the response it was sent. A lingering close sends the response and
// a FIN, then keeps reading and discarding what the client still sends until it closes its
// side or the bound passes (a client cannot hold the socket longer).
import type { Socket } from 'node:net';

export class Lingering {
  readonly #sockets = new Set<Socket>();

  constructor(readonly ms: number) {}

  /** Ends the socket (after `data`, if any), discarding input until the client closes or the bound passes. */
  close(socket: Socket, data?: Buffer): void {
    if (socket.destroyed) return;
    this.#sockets.add(socket);
    const timer = setTimeout(() => socket.destroy(), this.ms);
    socket.once('close', () => {
      clearTimeout(timer);
      this.#sockets.delete(socket);
    });
    // The client's FIN: everything it sent has been read, so closing now resets nothing.
    socket.once('end', () => socket.destroy());
    if (data === undefined) socket.end();
    else socket.end(data);
    socket.resume();
  }

  /**
   * For a response sent before its request body was read: Node ends a `Connection: close`
   * response with `socket.destroySoon()` (destroy once written), which resets the
   * connection while the client uploads. This socket lingers instead.
   */
  afterResponse(socket: Socket): void {
    socket.destroySoon = () => this.close(socket);
  }

  /** At shutdown: nothing more will be answered on these. */
  destroyAll(): void {
    for (const socket of this.#sockets) socket.destroy();
  }
}
