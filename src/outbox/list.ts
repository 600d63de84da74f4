// The outbox as the admin endpoint (`GET /auth/v1/admin/outbox`) shows it: the newest
// messages of every channel with their delivery state.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { MAX_AGE_SECONDS, MAX_ATTEMPTS } from './claims.ts';

export async function listOutbox(db: Queryable, limit: number): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query(sql`
    select id::int, channel, recipient as to, subject, body, kind, created_at::text,
      case when sent_at is not null then 'sent' when attempts >= ${MAX_ATTEMPTS} then 'failed'
        when created_at <= now() - make_interval(secs => ${MAX_AGE_SECONDS}) then 'expired'
        when last_error is not null then 'retrying' else 'pending' end as status,
      sent_at::text, attempts, last_error,
      case when sent_at is null and last_error is not null and attempts < ${MAX_ATTEMPTS} then leased_until::text end as next_attempt_at
    from _groundwork.outbox order by id desc limit ${limit}`);
  return rows;
}
