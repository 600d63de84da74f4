// The schema cache's introspection result, kept in the data directory with what it depends
// on, so that a start whose database has not changed since can skip the introspection (on
// PGlite a third of a start: 230-400 ms measured, against one small lookup here).
//
// The key: the schema version the DDL watch bumps in each DDL's own transaction (bootstrap
// v9), with the token its bootstrap drew, which only counts where that watch exists; the roles, memberships and role settings
// the cache reads (role DDL fires no event trigger); the server's version; and the
// introspection query itself, so that a Groundwork release that asks for more never reads
// an older answer. The key is read before the introspection: DDL that commits in between
// leaves a snapshot that no later key matches, never a stale one that does.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { Database } from '../db/port.ts';
import { compile, sql } from '../lib/sql.ts';
import { introspectionQuery } from './introspect.ts';

const FORMAT = 1;
const queryHash = createHash('sha256').update(compile(introspectionQuery).text).digest('hex');

const keyQuery = sql`
select (select token || '/' || version from _groundwork.schema_version) as version,
       exists (select from pg_event_trigger where evtname = 'groundwork_ddl_watch' and evtenabled <> 'D') as watched,
       md5(concat_ws('|',
         current_setting('server_version_num'),
         (select string_agg(rolname || ':' || rolinherit, ',' order by oid) from pg_roles),
         (select string_agg(roleid || '>' || member, ',' order by roleid, member) from pg_auth_members),
         (select string_agg(setdatabase || '/' || setrole || '=' || array_to_string(setconfig, ','), ';' order by setdatabase, setrole)
            from pg_db_role_setting))) as roles`;

const keyRow = z.object({ version: z.string().nullable(), watched: z.boolean(), roles: z.string() });
const snapshotFile = z.object({ format: z.literal(FORMAT), key: z.string(), document: z.unknown() });

/**
 * The database's snapshot key, or undefined when no snapshot can be trusted: no DDL watch
 * (a server bootstrapped without a superuser), or the version unreadable (privileges revoked).
 */
export async function snapshotKey(db: Database): Promise<string | undefined> {
  try {
    const { rows } = await db.query(keyQuery);
    const row = keyRow.parse(rows[0]);
    if (!row.watched || row.version === null) return undefined;
    return `${queryHash}:${row.version}:${row.roles}`;
  } catch {
    return undefined;
  }
}

/** The kept introspection result with the key it was taken under; undefined when missing or unreadable. */
export function readSnapshot(path: string): { readonly key: string; readonly document: unknown } | undefined {
  try {
    const { key, document } = snapshotFile.parse(JSON.parse(readFileSync(path, 'utf8')));
    return { key, document };
  } catch {
    return undefined;
  }
}

/** Keeps `document` under `key`; written aside and renamed, so a crash leaves the old file or the new one. A failure only costs the next start. */
export function writeSnapshot(path: string, key: string, document: unknown): void {
  try {
    const aside = `${path}.${process.pid}.tmp`;
    writeFileSync(aside, JSON.stringify({ format: FORMAT, key, document }));
    renameSync(aside, path);
  } catch {
    // A read-only data directory: starts keep introspecting.
  }
}
