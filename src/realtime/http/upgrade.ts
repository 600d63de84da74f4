// The socket's handshake: `GET /realtime/v1/websocket?apikey=…&vsn=…` upgraded by `ws` once the
// key checks out (realtime.md §1.2–1.3). A refusal is a plain HTTP answer with `{error}`,
// before any WebSocket frame.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { flattenHeaders } from '../../http/request-context.ts';
import { RealtimeError, realtimeErrors } from '../errors.ts';
import type { Vsn } from '../protocol/frames.ts';
import { Connection } from '../socket/connection.ts';
import type { RealtimeContext } from '../socket/context.ts';
import { checkToken } from '../socket/token.ts';

const PATHS = new Set(['/realtime/v1/websocket', '/realtime/v1/websocket/']);
/** Supabase's inbound frame limit. */
const MAX_FRAME_BYTES = 5_000_000;

export interface Upgrades {
  /** Every open socket, closed at shutdown. */
  readonly sockets: Set<Connection>;
  close(): void;
}

function refuse(socket: Duplex, error: RealtimeError): void {
  const body = JSON.stringify({ error: error.message, code: error.code });
  const reason = error.status === 401 ? 'Unauthorized' : error.status === 404 ? 'Not Found' : error.status === 400 ? 'Bad Request' : 'Error';
  socket.end(`HTTP/1.1 ${error.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

async function accept(req: IncomingMessage, ctx: RealtimeContext): Promise<{ vsn: Vsn; token: string }> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!PATHS.has(url.pathname)) throw realtimeErrors.notFound();
  const vsn = url.searchParams.get('vsn') ?? '1.0.0';
  if (vsn !== '1.0.0' && vsn !== '2.0.0') throw realtimeErrors.badVsn(vsn);
  const header = req.headers['x-api-key'];
  const token = (typeof header === 'string' ? header : undefined) ?? url.searchParams.get('apikey') ?? '';
  if (token === '') throw realtimeErrors.apiKeyMissing();
  const check = await checkToken(ctx.verify, token, ctx.roles());
  if (!check.ok) throw realtimeErrors.unauthorized(check.message);
  return { vsn, token };
}

export function listenForUpgrades(server: Server, ctx: RealtimeContext): Upgrades {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: false });
  const sockets = new Set<Connection>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    accept(req, ctx).then(
      ({ vsn, token }) => {
        wss.handleUpgrade(req, socket, head, (ws) => {
          const conn = new Connection(ws, vsn, token, flattenHeaders(req.headers), ctx);
          sockets.add(conn);
          ws.on('close', () => sockets.delete(conn));
        });
      },
      (error: unknown) => refuse(socket, error instanceof RealtimeError ? error : realtimeErrors.unavailable(String(error))),
    );
  });
  return {
    sockets,
    close: () => {
      for (const conn of sockets) conn.close('server shutting down');
      wss.close();
    },
  };
}
