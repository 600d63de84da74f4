// The embedded database's PostgreSQL port (psql, pg_dump, ORMs, migration tools), as
// Supabase's local stack serves its database on 54322. Part of the one settings table in
// settings.ts.
import { z } from 'zod';
import { port, whole } from './schemas.ts';

export const dbPortSettings = {
  dbPort: {
    env: 'GROUNDWORK_DB_PORT',
    flag: 'db-port',
    default: '54322',
    doc: "Embedded mode: the PostgreSQL port `start` also serves (user `postgres`, database `postgres`, the password kept in the data directory's `db-password`; `start` prints the URL as `DB URL`). `0` picks a free port, `off` serves none. With `DATABASE_URL`, connect to that server instead.",
    schema: z
      .string()
      .trim()
      .transform((s, ctx) => {
        if (s.toLowerCase() === 'off') return 'off' as const;
        const parsed = port.safeParse(s);
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: 'custom', message: 'must be a port number (0 picks a free port) or off' });
        return z.NEVER;
      }),
  },
  dbHost: {
    env: 'GROUNDWORK_DB_HOST',
    flag: 'db-host',
    default: '127.0.0.1',
    doc: 'Interface the database port listens on. It has no TLS: keep it on loopback unless the network is trusted.',
    schema: z.string().min(1, 'must not be empty'),
  },
  dbIdleInTransactionTimeoutMs: {
    env: 'GROUNDWORK_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS',
    flag: 'db-idle-in-transaction-timeout-ms',
    default: '10000',
    doc: "How long a database port client may hold the embedded database's one session (an open transaction, an unfinished extended-protocol sequence) without sending anything; then its transaction rolls back and its connection closes with 25P03, so the API is not stalled. `0` turns it off.",
    schema: whole(),
  },
} as const;
