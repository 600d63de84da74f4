// The embedded database's one session, lent to a database port client for a turn
// (src/db/embedded/wire/). A turn takes the same mutex as the API's transactions, so a
// client's transaction or extended-protocol sequence is never interleaved with theirs.
import type { Mutex } from '../../lib/mutex.ts';
import { compile, type Sql } from '../../lib/sql.ts';
import type { QueryResult } from '../port.ts';
import type { WorkerHost } from './host.ts';

export interface HeldSession {
  /** Raw frontend messages in; the backend's bytes to `onData` as PGlite writes them. */
  exchange(messages: Uint8Array, onData: (data: Uint8Array) => void): Promise<void>;
  /** Statements in order, in one round trip; the first failure stops them. */
  batch(statements: readonly Sql[]): Promise<QueryResult[]>;
  /**
   * Stops what runs the only way PGlite allows, a worker restart (every session state is lost;
   * a pending `exchange` fails with `reason`). The turn ends only once the new worker is open.
   * `why` is what the restart is logged as: a cancel request, or a client that left.
   */
  restart(reason: Error, why?: 'cancel' | 'abort'): void;
}

export interface SessionHolder {
  /** Runs `work` holding the session; a caller still queued leaves when `signal` fires. */
  hold<T>(work: (session: HeldSession) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Turns and transactions queued for the session. */
  readonly waiting: number;
  /** The channels the API listens on. */
  channels(): ReadonlySet<string>;
  /** A notification a port client's transaction raised, for the API's listeners. */
  deliver(channel: string, payload: string): void;
  /** Told when the session is lost (the worker restarts). */
  onLost(listener: () => void): () => void;
}

export function sessionHolder(host: WorkerHost, mutex: Mutex): SessionHolder {
  return {
    hold<T>(work: (session: HeldSession) => Promise<T>, signal?: AbortSignal): Promise<T> {
      return mutex.run(async () => {
        // A restart stops whatever the worker runs: only this turn's requests may be there.
        await host.idle(signal);
        let restarting: Promise<void> | undefined;
        const session: HeldSession = {
          async exchange(messages, onData) {
            await host.call({ op: 'wire', bytes: messages }, onData);
          },
          async batch(statements) {
            const items = statements.map((s) => {
              const { text, values } = compile(s);
              return { text, params: [...values] };
            });
            const reply = await host.call({ op: 'batch', items });
            return (reply.batch ?? []).map((r) => ({ rows: r.rows, rowCount: r.rowCount }));
          },
          restart(reason, why = 'cancel') {
            if (restarting !== undefined) return;
            restarting = host.restart(reason, why);
          },
        };
        try {
          return await work(session);
        } finally {
          if (restarting !== undefined) await restarting;
        }
      }, signal);
    },
    get waiting() {
      return mutex.waiting;
    },
    channels: () => new Set(host.channels.keys()),
    deliver(channel, payload) {
      for (const l of host.channels.get(channel) ?? []) l.onMessage(payload);
    },
    onLost: (listener) => host.onRestart(listener),
  };
}
