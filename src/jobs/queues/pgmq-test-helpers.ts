// Shared by the pgmq test files: small typed wrappers over pgmq's functions and callers.
import assert from 'node:assert/strict';
import { DbError } from '../../db/errors.ts';
import type { Caller, Database, Queryable, Row } from '../../db/port.ts';
import { sql, type Sql } from '../../lib/sql.ts';

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- a bag of test helpers, typed by inference
export function pgmqHelpers(db: () => Database) {
  const rows = async <R extends Row = Row>(q: Sql, on: Queryable = db()) => (await on.query<R>(q)).rows;
  const one = async <R extends Row = Row>(q: Sql, on: Queryable = db()) => (await rows<R>(q, on))[0];
  const ids = async (q: Sql, on: Queryable = db()) => (await rows(q, on)).map((r) => Number(Object.values(r)[0]));
  const create = (name: string) => db().query(sql`select pgmq.create(${name})`);
  const send = async (queue: string, message: unknown, delay = 0) =>
    Number((await one(sql`select * from pgmq.send(${queue}, ${JSON.stringify(message)}::jsonb, ${delay}::integer) as id`))?.['id']);
  const read = async (queue: string, vt: number, qty: number, on: Queryable = db()) =>
    rows<{ msg_id: string; read_ct: number; message: Record<string, unknown> | null; headers: Record<string, unknown> | null }>(
      sql`select * from pgmq.read(${queue}, ${vt}::integer, ${qty}::integer)`,
      on,
    );
  const msgIds = (rs: ReadonlyArray<{ msg_id: string }>) => rs.map((r) => Number(r.msg_id));
  const caller = (role: string): Caller => ({ role, claims: { role }, headers: {}, cookies: {}, method: 'POST', path: '/' });
  const as = <T,>(role: string, work: (tx: Queryable) => Promise<T>) => db().transaction(work, { caller: caller(role) });
  const failure = async (p: Promise<unknown>): Promise<DbError> => {
    const e = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.ok(e instanceof DbError, `expected a DbError, got ${String(e)}`);
    return e;
  };
  return { rows, one, ids, create, send, read, msgIds, caller, as, failure };
}
