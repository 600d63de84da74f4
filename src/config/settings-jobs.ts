// Outbound HTTP (database webhooks, net.http_*), queues and cron. Part of the one settings
// table in settings.ts.
import { z } from 'zod';
import { parseAllowList } from '../lib/allow-list.ts';
import { positive } from './schemas.ts';

export const jobsSettings = {
  webhookSecret: {
    env: 'GROUNDWORK_WEBHOOK_SECRET',
    flag: 'webhook-secret',
    default: '(derived from the JWT secret; `groundwork keys` prints it)',
    doc: 'The project-wide Standard Webhooks secret that signs database webhooks (`webhook-signature`): `whsec_` and 24 to 64 random bytes in base64. A webhook may have its own (`groundwork.create_webhook(…, secret => …)`).',
    schema: z
      .string()
      .trim()
      .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be whsec_ followed by base64')
      .refine((s) => {
        const n = Buffer.from(s.slice(6), 'base64').length;
        return n >= 24 && n <= 64;
      }, 'must hold a key of 24 to 64 bytes'),
  },
  webhookAllow: {
    env: 'GROUNDWORK_WEBHOOK_ALLOW',
    flag: 'webhook-allow',
    default: '*',
    doc: 'Where outbound HTTP may go, comma-separated: `*` (any public address), host names (`hooks.example.com`, `*.example.com`), addresses and ranges (`127.0.0.1`, `10.0.0.0/8`). Loopback and private addresses are refused unless listed. Checked on every connection, after DNS. This server\'s own functions (`http://127.0.0.1:<port>/functions/v1/…`) are always reachable.',
    schema: z.string().transform((s, ctx) => {
      const list = parseAllowList(s);
      if ('error' in list) {
        ctx.addIssue({ code: 'custom', message: list.error });
        return z.NEVER;
      }
      return list;
    }),
  },
  webhookMaxAttempts: { env: 'GROUNDWORK_WEBHOOK_MAX_ATTEMPTS', flag: 'webhook-max-attempts', default: '12', doc: 'Attempts per outbound request before it is dead-lettered (a webhook may set its own).', schema: positive },
  webhookRetryBaseMs: { env: 'GROUNDWORK_WEBHOOK_RETRY_BASE_MS', flag: 'webhook-retry-base-ms', default: '5000', doc: 'The first retry waits about this long; each next one twice as long (with jitter).', schema: positive },
  webhookRetryMaxMs: { env: 'GROUNDWORK_WEBHOOK_RETRY_MAX_MS', flag: 'webhook-retry-max-ms', default: '3600000', doc: 'The longest wait between attempts (also caps a receiver’s `Retry-After`).', schema: positive },
  webhookConcurrency: { env: 'GROUNDWORK_WEBHOOK_CONCURRENCY', flag: 'webhook-concurrency', default: '32', doc: 'Outbound requests in flight at once on this node.', schema: positive },
  webhookEndpointConcurrency: {
    env: 'GROUNDWORK_WEBHOOK_ENDPOINT_CONCURRENCY',
    flag: 'webhook-endpoint-concurrency',
    default: '8',
    doc: 'Outbound requests in flight at once to one receiver (scheme, host and port) on this node.',
    schema: positive,
  },
  jobsHistoryDays: {
    env: 'GROUNDWORK_JOBS_HISTORY_DAYS',
    flag: 'jobs-history-days',
    default: '7',
    doc: 'Days finished outbound requests (with their attempts and responses) and `cron.job_run_details` rows are kept.',
    schema: positive,
  },
};
