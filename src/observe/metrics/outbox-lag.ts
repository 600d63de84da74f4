// How far behind delivery is, read at scrape time in one statement on the admin connection:
// per channel, the messages still to send and the age of the oldest. Email and SMS are the
// outbox rows a sender would still take (unsent, attempts left, not expired); HTTP is every
// outbound request still pending (due now or waiting for a retry).
import type { Queryable } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';
import { MAX_AGE_SECONDS, MAX_ATTEMPTS } from '../../outbox/claims.ts';

export const LAG_CHANNELS = ['email', 'sms', 'http'] as const;
export type LagChannel = (typeof LAG_CHANNELS)[number];

export interface ChannelLag {
  readonly pending: number;
  readonly oldestSeconds: number;
}

const NONE: ChannelLag = { pending: 0, oldestSeconds: 0 };

export async function readOutboxLag(db: Queryable): Promise<Record<LagChannel, ChannelLag>> {
  const { rows } = await db.query<{ channel: string; pending: number; oldest: number | null }>(sql`
    select channel, count(*)::int as pending, extract(epoch from now() - min(created_at))::float8 as oldest
      from _groundwork.outbox
      where sent_at is null and attempts < ${MAX_ATTEMPTS} and created_at > now() - make_interval(secs => ${MAX_AGE_SECONDS})
      group by channel
    union all
    select 'http', count(*)::int, extract(epoch from now() - min(created))::float8
      from net.http_request_queue where state = 'pending'`);
  const lag: Record<LagChannel, ChannelLag> = { email: NONE, sms: NONE, http: NONE };
  for (const row of rows) {
    if ((LAG_CHANNELS as readonly string[]).includes(row.channel)) {
      lag[row.channel as LagChannel] = { pending: Number(row.pending), oldestSeconds: Math.max(0, Number(row.oldest ?? 0)) };
    }
  }
  return lag;
}
