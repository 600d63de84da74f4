// The embedded database's PostgreSQL port: psql, pg_dump, ORMs and migration tools connect
// here as `postgres` with the data directory's password, and share PGlite's one session with
// the API in turns (client.ts). Started by `groundwork start` in embedded mode only.
import { randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { SessionHolder } from '../session-holder.ts';
import { WireClient } from './client.ts';
import { errorResponse, type Problem } from './frames.ts';
import { scramKeys } from './scram.ts';
import { PORT_DATABASE, PORT_USER } from './startup.ts';

export interface DbPortOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly password: string;
  /** How long a client may hold the session without sending anything (0: no limit). */
  readonly idleTimeoutMs: number;
  /** Told when the port ends a connection with an error, with the connection's pid. */
  readonly ended?: (pid: number, problem: Problem) => void;
}

export interface DbPort {
  readonly port: number;
  /** postgresql://postgres:<password>@host:port/postgres */
  readonly url: string;
  /** Stops listening, ends every connection, and waits until none holds the session. */
  close(): Promise<void>;
}

/** PostgreSQL's default max_connections. */
const MAX_CLIENTS = 100;

export async function openDbPort(holder: SessionHolder, options: DbPortOptions): Promise<DbPort> {
  const keys = scramKeys(options.password);
  const clients = new Map<number, { client: WireClient; secret: number }>();
  let nextPid = 1;

  const cancel = (pid: number, secret: number) => {
    const target = clients.get(pid);
    if (target !== undefined && target.secret === secret) target.client.cancel();
  };

  const accept = (socket: Socket) => {
    if (clients.size >= MAX_CLIENTS) {
      socket.end(errorResponse({ severity: 'FATAL', code: '53300', message: 'sorry, too many clients already' }));
      return;
    }
    const pid = nextPid++;
    const secret = randomInt(-0x80000000, 0x7fffffff);
    const ended = options.ended === undefined ? undefined : (problem: Problem) => options.ended?.(pid, problem);
    const client = new WireClient(socket, { holder, keys, idleTimeoutMs: options.idleTimeoutMs, pid, secret, cancel, ...(ended === undefined ? {} : { ended }) });
    clients.set(pid, { client, secret });
    void client.done.then(() => clients.delete(pid));
  };

  // A restarted worker has none of the clients' sessions: they are told and closed.
  const stopWatching = holder.onLost(() => {
    for (const { client } of clients.values()) client.sessionLost();
  });

  const server: Server = createServer(accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  // A wildcard address is reached on loopback.
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host === '::' ? '[::1]' : options.host.includes(':') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `postgresql://${PORT_USER}:${encodeURIComponent(options.password)}@${host}:${port}/${PORT_DATABASE}`,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        stopWatching();
        const all = [...clients.values()].map(({ client }) => client);
        for (const client of all) client.terminate({ severity: 'FATAL', code: '57P01', message: 'terminating connection due to administrator command' });
        await Promise.all(all.map((c) => c.done));
        await stopped;
      })()),
  };
}
