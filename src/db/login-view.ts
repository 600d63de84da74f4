// The embedded database has one session, logged in as a superuser. A login view runs every
// transaction of it with another session user (set locally, reverted at commit), so requests
// meet the same privilege checks as on a server pool that logs in as that role: the caller's
// role must be one `authenticator` may become, and Auth's statements run as
// `supabase_auth_admin`. A statement outside a transaction gets one of its own, sent as one
// pipeline (BEGIN, the session user, the statement, COMMIT) like a REST read.
import type { Sql } from '../lib/sql.ts';
import type { Database, Queryable, QueryResult, Row, TransactionOptions } from './port.ts';

export function loginView(db: Database, role: string): Database {
  const as = (opts: TransactionOptions = {}): TransactionOptions => ({ ...opts, sessionUser: role });
  const transaction = <T>(work: (tx: Queryable) => Promise<T>, opts?: TransactionOptions) => db.transaction(work, as(opts));
  return {
    mode: db.mode,
    async query<R extends Row = Row>(q: Sql): Promise<QueryResult<R>> {
      const [result] = await db.pipeline([q], as());
      return result as QueryResult<R>; // rows as the statement returned them, as the adapters type them
    },
    script: (text) => transaction((tx) => tx.script(text)),
    transaction,
    pipeline: (statements, opts) => db.pipeline(statements, as(opts)),
    listen: (channel, onMessage, onRelisten) => db.listen(channel, onMessage, onRelisten),
    ping: () => db.ping(),
    ...(db.activity === undefined ? {} : { activity: () => db.activity?.() ?? { busyMs: 0, waiting: 0 } }),
    ...(db.stats === undefined ? {} : { stats: () => db.stats?.() ?? { max: 0, busy: 0, waiting: 0, acquired: 0, waitedMs: 0 } }),
    // The view owns nothing: whoever opened `db` closes it.
    close: async () => undefined,
  };
}
