// Health lints about the database server: connections, sessions that run or sit in a
// transaction too long, dead rows, the buffer cache, transaction ID age, broken indexes.
// Queries return observations; thresholds decide in TypeScript where that reads better.
import { sql } from '../../lib/sql.ts';
import { defineLint, type LintLevel } from './types.ts';

const PG_DOCS = 'https://www.postgresql.org/docs/current';
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/** How far `value` is past two rising thresholds: ERROR, WARN, or nothing. */
export function levelFor(value: number, warn: number, error: number): LintLevel | undefined {
  if (value >= error) return 'ERROR';
  if (value >= warn) return 'WARN';
  return undefined;
}

export const connectionsHigh = defineLint<{ used: number; max: number }>({
  name: 'connections_high',
  title: 'Connections Near the Limit',
  level: 'WARN',
  categories: ['HEALTH'],
  description: 'Client connections are close to `max_connections` (less the reserved ones); new connections will be refused once it is reached.',
  remediation: `${PG_DOCS}/runtime-config-connection.html#GUC-MAX-CONNECTIONS`,
  // The embedded database has one session, queued by Groundwork: nothing to count.
  query: (scope) =>
    scope.mode === 'embedded'
      ? undefined
      : sql`
        select (select count(*) from pg_stat_activity where backend_type = 'client backend')::int as used,
          current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
            - coalesce(current_setting('reserved_connections', true)::int, 0) as max`,
  finding: (r, { thresholds: t }) => {
    const share = r.max > 0 ? r.used / r.max : 1;
    const level = levelFor(share, t.connectionsWarn, t.connectionsError);
    if (level === undefined) return undefined;
    return {
      detail: `${r.used} of ${r.max} usable connections are in use (${Math.round(share * 100)}%). Lower the pool sizes of the processes using this database, or raise max_connections.`,
      metadata: { type: 'database', used: r.used, max: r.max },
      key: [],
      level,
    };
  },
});

type SessionRow = { pid: number; user: string | null; application: string | null; seconds: number; state: string };

export const longRunningQuery = defineLint<SessionRow>({
  name: 'long_running_query',
  title: 'Long-Running Query',
  level: 'WARN',
  categories: ['HEALTH'],
  description: 'A statement has been running for a long time in this database; it may hold locks and keeps vacuum from removing dead rows.',
  remediation: `${PG_DOCS}/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW`,
  query: ({ thresholds: t }) => sql`
    select pid, usename::text as user, application_name as application, state,
      extract(epoch from now() - query_start)::float8 as seconds
    from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and state = 'active'
      and query_start < now() - make_interval(secs => ${t.longQuerySeconds})
    order by query_start limit 20`,
  finding: (r) => ({
    detail: `Session ${r.pid} (user ${r.user ?? '?'}, application "${r.application ?? ''}") has been running one statement for ${Math.round(r.seconds)} s. Look at it in pg_stat_activity; \`select pg_cancel_backend(${r.pid})\` stops it.`,
    metadata: { type: 'session', pid: r.pid, user: r.user, application: r.application, seconds: round(r.seconds) },
    key: [String(r.pid)],
  }),
});

export const idleInTransaction = defineLint<SessionRow>({
  name: 'idle_in_transaction',
  title: 'Idle in Transaction',
  level: 'WARN',
  categories: ['HEALTH'],
  description: 'A session opened a transaction and has been idle inside it; it holds its locks and keeps vacuum from removing dead rows.',
  remediation: `${PG_DOCS}/runtime-config-client.html#GUC-IDLE-IN-TRANSACTION-SESSION-TIMEOUT`,
  query: ({ thresholds: t }) => sql`
    select pid, usename::text as user, application_name as application, state,
      extract(epoch from now() - state_change)::float8 as seconds
    from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()
      and state in ('idle in transaction', 'idle in transaction (aborted)')
      and state_change < now() - make_interval(secs => ${t.idleInTransactionSeconds})
    order by state_change limit 20`,
  finding: (r) => ({
    detail: `Session ${r.pid} (user ${r.user ?? '?'}, application "${r.application ?? ''}") has been ${r.state} for ${Math.round(r.seconds)} s. Find the code that leaves its transaction open; \`select pg_terminate_backend(${r.pid})\` ends it.`,
    metadata: { type: 'session', pid: r.pid, user: r.user, application: r.application, state: r.state, seconds: round(r.seconds) },
    key: [String(r.pid)],
  }),
});

export const deadTuples = defineLint<{ schema: string; name: string; live: number; dead: number; last_vacuum: string | null }>({
  name: 'dead_tuples_high',
  title: 'Many Dead Rows',
  level: 'INFO',
  categories: ['HEALTH'],
  description: 'A large share of a table is dead rows not yet vacuumed: scans read them, and the table takes more space than its data needs.',
  remediation: `${PG_DOCS}/routine-vacuuming.html`,
  query: ({ thresholds: t }) => sql`
    select schemaname as schema, relname as name, n_live_tup::float8 as live, n_dead_tup::float8 as dead,
      to_char(greatest(last_vacuum, last_autovacuum) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_vacuum
    from pg_stat_all_tables
    where n_dead_tup >= ${t.deadTuplesMin} and schemaname not like 'pg\\_%' and schemaname <> 'information_schema'
    order by n_dead_tup desc limit 50`,
  finding: (r, { thresholds: t }) => {
    const share = r.dead / Math.max(1, r.live + r.dead);
    if (share < t.deadTuplesRatio) return undefined;
    return {
      detail: `Table \`${r.schema}.${r.name}\` has ${r.dead} dead rows for ${r.live} live ones (${Math.round(share * 100)}% dead); last vacuumed ${r.last_vacuum ?? 'never'}. Run \`vacuum (analyze) ${r.schema}.${r.name}\`, and check that nothing keeps old transactions open.`,
      metadata: { schema: r.schema, name: r.name, type: 'table', live_rows: r.live, dead_rows: r.dead, last_vacuum: r.last_vacuum },
      key: [r.schema, r.name],
      level: share >= t.deadTuplesWarnRatio ? 'WARN' : 'INFO',
    };
  },
});

export const cacheHitRatio = defineLint<{ database: string; hit: number; read: number }>({
  name: 'cache_hit_ratio_low',
  title: 'Low Cache Hit Ratio',
  level: 'WARN',
  categories: ['HEALTH'],
  description: 'Too many block reads miss shared buffers and go to the disk: the working set does not fit in memory, or queries scan more than they need.',
  remediation: `${PG_DOCS}/runtime-config-resource.html#GUC-SHARED-BUFFERS`,
  query: () => sql`select datname::text as database, blks_hit::float8 as hit, blks_read::float8 as read from pg_stat_database where datname = current_database()`,
  finding: (r, { thresholds: t }) => {
    const total = r.hit + r.read;
    if (total < t.cacheMinBlocks || total === 0) return undefined;
    const ratio = r.hit / total;
    if (ratio >= t.cacheHitRatio) return undefined;
    return {
      detail: `${(ratio * 100).toFixed(2)}% of block reads in database \`${r.database}\` were served from shared buffers (${total} reads since the statistics were reset); below ${t.cacheHitRatio * 100}%, look for sequential scans that need an index or give the server more memory.`,
      metadata: { type: 'database', name: r.database, cache_hit_ratio: round(ratio, 4), blocks_read: total },
      key: [r.database],
    };
  },
});

export const transactionIdAge = defineLint<{ database: string; age: number }>({
  name: 'transaction_id_wraparound',
  title: 'Transaction ID Age',
  level: 'WARN',
  categories: ['HEALTH'],
  description: 'The oldest unfrozen transaction ID is far behind: if it comes near 2^31, PostgreSQL stops accepting writes until the database is vacuumed.',
  remediation: `${PG_DOCS}/routine-vacuuming.html#VACUUM-FOR-WRAPAROUND`,
  query: () => sql`select datname::text as database, age(datfrozenxid)::float8 as age from pg_database where datname = current_database()`,
  finding: (r, { thresholds: t }) => {
    const level = levelFor(r.age, t.xidAgeWarn, t.xidAgeError);
    if (level === undefined) return undefined;
    return {
      detail: `Database \`${r.database}\` is ${r.age} transactions past its oldest frozen ID (${((r.age / 2 ** 31) * 100).toFixed(1)}% of the way to wraparound). Check that autovacuum runs and that no old transaction or replication slot holds it back.`,
      metadata: { type: 'database', name: r.database, transaction_id_age: r.age },
      key: [r.database],
      level,
    };
  },
});

export const invalidIndex = defineLint<{ schema: string; name: string; index: string }>({
  name: 'invalid_index',
  title: 'Invalid Index',
  level: 'WARN',
  categories: ['HEALTH'],
  description: 'An index is marked invalid, usually left by a failed `create index concurrently`: it is kept up to date on writes but never used by queries.',
  remediation: `${PG_DOCS}/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY`,
  query: () => sql`
    select n.nspname as schema, c.relname as name, ic.relname as index
    from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    where not i.indisvalid and n.nspname not like 'pg\\_%'
    order by 1, 2, 3`,
  finding: (r) => ({
    detail: `Index \`${r.index}\` on table \`${r.schema}.${r.name}\` is invalid. Unless a \`create index concurrently\` is still building it, drop it and create it again (or \`reindex index concurrently\`).`,
    metadata: { schema: r.schema, name: r.name, type: 'table', index: r.index },
    key: [r.schema, r.name, r.index],
  }),
});

export const healthDatabaseLints = [connectionsHigh, transactionIdAge, longRunningQuery, idleInTransaction, invalidIndex, cacheHitRatio, deadTuples];
