// Private channels checked against realtime.messages' RLS policies, as Supabase does
// (realtime.md §9.2), each in a transaction that is rolled back: reading is seeing probe
// rows the owner inserted; writing is an INSERT that the policies let through. Replay reads
// the stored messages as the caller, so the same policies decide.
import { callerScope } from '../../db/caller-scope.ts';
import { DbError } from '../../db/errors.ts';
import type { Caller, Database, Queryable } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';
import type { BroadcastMessage } from '../hub/broadcast.ts';
import type { ReplaySource } from './replay.ts';
import type { ChannelPolicies, Extension } from './types.ts';

const asCaller = (tx: Queryable, caller: Caller, name: string) => tx.query(callerScope({ caller, settings: [['realtime.topic', name]] }));

export function databasePolicies(db: Database): ChannelPolicies & ReplaySource {
  return {
    canRead: (caller, name, extensions) =>
      db.transaction(
        async (tx) => {
          const { rows } = await tx.query<{ ids: string[] }>(sql`select _groundwork.realtime_probe(${name}, ${extensions}::text[]) as ids`);
          await asCaller(tx, caller, name);
          const seen = await tx.query<{ extension: Extension }>(sql`select extension from realtime.messages where id = any(${rows[0]?.ids ?? []}::uuid[])`);
          return new Set(seen.rows.map((r) => r.extension));
        },
        { rollback: true },
      ),

    canWrite: async (caller, name, extension) => {
      try {
        await db.transaction(
          async (tx) => {
            await asCaller(tx, caller, name);
            await tx.query(sql`insert into realtime.messages (topic, extension, private, event, payload) values (${name}, ${extension}, true, 'probe', '{}')`);
          },
          { rollback: true },
        );
        return true;
      } catch (error) {
        if (error instanceof DbError && error.sqlstate === '42501') return false;
        throw error;
      }
    },

    replay: (caller, name, since, limit) =>
      db.transaction(
        async (tx) => {
          await asCaller(tx, caller, name);
          const { rows } = await tx.query<{ id: string; event: string | null; payload: unknown; binary_payload: Uint8Array | null }>(sql`
            select id, event, payload, binary_payload from realtime.messages
            where topic = ${name} and private and extension = 'broadcast'
              and inserted_at >= to_timestamp(${since}::float8 / 1000)::timestamp
            order by inserted_at limit ${limit}`);
          return rows.map(
            (r): BroadcastMessage => ({
              name,
              private: true,
              event: r.event ?? '',
              body: r.binary_payload === null ? { kind: 'json', value: r.payload } : { kind: 'binary', bytes: r.binary_payload },
              meta: { replayed: true, id: r.id },
              binary: r.binary_payload !== null,
            }),
          );
        },
        { rollback: true },
      ),
  };
}
