// Late-bound views of the database and the schema cache. Start-up builds the HTTP half (the
// server, every module's routes and their dependencies) while the database is still opening
// (on PGlite most of a start), handing the routes these views; each is bound to the real
// thing before the server listens. A call before that is a bug in start-up, and says so.
import type { Database } from '../db/port.ts';
import type { SchemaCache } from '../schema-cache/types.ts';
import type { SchemaSource } from '../schema-cache/store.ts';

export interface LateDatabase extends Database {
  bind(db: Database): void;
}

export interface LateSchema extends SchemaSource {
  bind(source: SchemaSource): void;
}

const unbound = (what: string) => new Error(`${what} used before start-up bound it`);

export function lateDatabase(mode: Database['mode']): LateDatabase {
  let target: Database | undefined;
  const db = (): Database => {
    if (target === undefined) throw unbound('the database');
    return target;
  };
  return {
    mode,
    bind: (d) => {
      target = d;
    },
    query: (q) => db().query(q),
    script: (text) => db().script(text),
    transaction: (work, options) => db().transaction(work, options),
    pipeline: (statements, options) => db().pipeline(statements, options),
    listen: (channel, onMessage, onRelisten) => db().listen(channel, onMessage, onRelisten),
    ping: () => db().ping(),
    // A server pool has no one session to be busy: idle, as far as /health asks.
    activity: () => db().activity?.() ?? { busyMs: 0, waiting: 0 },
    stats: () => db().stats?.() ?? { max: 0, busy: 0, waiting: 0, acquired: 0, waitedMs: 0 },
    close: () => db().close(),
  };
}

export function lateSchema(): LateSchema {
  let target: SchemaSource | undefined;
  return {
    bind: (s) => {
      target = s;
    },
    get current(): SchemaCache {
      if (target === undefined) throw unbound('the schema cache');
      return target.current;
    },
  };
}
