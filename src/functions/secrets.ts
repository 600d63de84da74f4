// The functions' secrets in the database (bootstrap v15): what `groundwork secrets
// set/list/unset` change and every worker's environment reads. Names are checked here as
// Supabase's CLI checks them, so a bad one is a usage error, not a constraint violation.
import type { Database, Queryable } from '../db/port.ts';
import { sql } from '../lib/sql.ts';
import { RESERVED_PREFIX } from './project/worker-env.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a secret name is refused, or undefined when it is fine. */
export function secretNameProblem(name: string): string | undefined {
  if (!NAME.test(name)) return `invalid secret name ${JSON.stringify(name)}: use letters, digits and '_', not starting with a digit`;
  if (name.toUpperCase().startsWith(RESERVED_PREFIX)) return `secret names cannot start with ${RESERVED_PREFIX} (${name}): Groundwork sets those itself`;
  return undefined;
}

export async function readSecrets(db: Queryable): Promise<Record<string, string>> {
  const { rows } = await db.query<{ name: string; value: string }>(sql`select name, value from _groundwork.function_secrets order by name`);
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

export async function setSecrets(db: Database, entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [name, value] of entries) {
      await tx.query(sql`insert into _groundwork.function_secrets (name, value) values (${name}, ${value})
        on conflict (name) do update set value = excluded.value, updated_at = now()`);
    }
  });
}

/** Returns the names that were set (and are now gone). */
export async function unsetSecrets(db: Database, names: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(sql`delete from _groundwork.function_secrets where name = any(${names}) returning name`);
  return rows.map((r) => r.name).sort();
}

/** Names and a digest of each value (the values themselves are not printed), as `supabase secrets list` shows. */
export async function listSecrets(db: Queryable): Promise<Array<{ name: string; digest: string; updatedAt: string }>> {
  const { rows } = await db.query<{ name: string; digest: string; updated_at: string }>(
    sql`select name, encode(sha256(convert_to(value, 'UTF8')), 'hex') as digest, updated_at::text from _groundwork.function_secrets order by name`,
  );
  return rows.map((r) => ({ name: r.name, digest: r.digest, updatedAt: r.updated_at }));
}
