// One description per observation: level, message, fields and service, by example.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describe as describeObservation, quickLevel, serviceOfUrl, type Description } from './describe.ts';
import type { Observation } from './events.ts';

const boom = new Error('boom');
const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });

const examples: ReadonlyArray<readonly [Observation, Description]> = [
  [
    { type: 'request', requestId: 'r1', method: 'GET', url: '/rest/v1/films?id=eq.1', status: 200, ms: 1.5, bytes: 12 },
    { level: 'info', message: 'GET /rest/v1/films?id=eq.1 200', service: 'rest', fields: { requestId: 'r1', method: 'GET', url: '/rest/v1/films?id=eq.1', status: 200, ms: 1.5, bytes: 12 } },
  ],
  [
    { type: 'request', requestId: 'r2', method: 'POST', url: '/auth/v1/token?grant_type=password', status: 500, ms: 3, bytes: undefined },
    { level: 'error', message: 'POST /auth/v1/token?grant_type=password 500', service: 'auth', fields: { requestId: 'r2', method: 'POST', url: '/auth/v1/token?grant_type=password', status: 500, ms: 3, bytes: undefined } },
  ],
  [{ type: 'request-failed', requestId: 'r3', error: boom }, { level: 'error', message: 'request failed', service: 'api', fields: { requestId: 'r3', err: boom } }],
  [{ type: 'request-failed', requestId: 'r4', error: aborted }, { level: 'info', message: 'request aborted by the client', service: 'api', fields: { requestId: 'r4' } }],
  [
    { type: 'request-aborted', requestId: 'r5', method: 'POST', url: '/functions/v1/hello', ms: 9 },
    { level: 'info', message: 'POST /functions/v1/hello aborted by the client', service: 'functions', fields: { requestId: 'r5', method: 'POST', url: '/functions/v1/hello', ms: 9 } },
  ],
  [
    { type: 'client-error', requestId: 'r6', status: 431, code: 'GW431', reason: 'HPE_HEADER_OVERFLOW', method: undefined, url: undefined },
    {
      level: 'info',
      message: '- - 431: unreadable or too slow request (HPE_HEADER_OVERFLOW)',
      service: 'api',
      fields: { requestId: 'r6', status: 431, code: 'GW431', reason: 'HPE_HEADER_OVERFLOW', method: undefined, url: undefined },
    },
  ],
  [
    { type: 'schema-cache-loaded', relations: 3, routines: 1, ms: 20, reason: 'start', source: 'database' },
    { level: 'info', message: 'schema-cache-loaded', service: 'rest', fields: { relations: 3, routines: 1, ms: 20, reason: 'start', source: 'database' } },
  ],
  [{ type: 'schema-cache-failed', reason: 'notify', error: 'x' }, { level: 'error', message: 'schema cache reload failed; keeping the previous one', service: 'rest', fields: { reason: 'notify', error: 'x' } }],
  [
    { type: 'mail-failed', id: 1, kind: 'signup', to: 'a@b.c', attempts: 2, error: 'refused', retryInSeconds: 30 },
    { level: 'warn', message: 'mail not sent; will retry', service: 'auth', fields: { id: 1, kind: 'signup', to: 'a@b.c', attempts: 2, error: 'refused', retryInSeconds: 30 } },
  ],
  [
    { type: 'sms-failed', id: 2, kind: 'otp', to: '+1', attempts: 5, provider: 'twilio', error: 'no', retryInSeconds: null },
    { level: 'error', message: 'SMS not sent; giving up', service: 'auth', fields: { id: 2, kind: 'otp', to: '+1', attempts: 5, provider: 'twilio', error: 'no', retryInSeconds: null } },
  ],
  [{ type: 'sms-sender-failed', error: 'db' }, { level: 'error', message: 'SMS sender failed; retrying on the next sweep', service: 'auth', fields: { error: 'db' } }],
  [
    { type: 'http-delivery', id: '7', webhook: 'w', method: 'POST', url: 'https://h.test/', attempt: 1, status: 503, ms: 4, outcome: 'pending', retryInMs: 5000 },
    { level: 'warn', message: 'POST https://h.test/ 503: will retry', service: 'webhooks', fields: { id: '7', webhook: 'w', method: 'POST', url: 'https://h.test/', attempt: 1, status: 503, ms: 4, outcome: 'pending', retryInMs: 5000 } },
  ],
  [
    { type: 'http-delivery', id: '8', webhook: null, method: 'GET', url: 'https://h.test/', attempt: 3, status: null, ms: 4, outcome: 'dead', error: 'timeout' },
    { level: 'error', message: 'GET https://h.test/ -: dead', service: 'webhooks', fields: { id: '8', webhook: null, method: 'GET', url: 'https://h.test/', attempt: 3, status: null, ms: 4, outcome: 'dead', error: 'timeout' } },
  ],
  [
    { type: 'cron-run', jobid: '1', jobname: null, runid: '9', status: 'failed', ms: 2, lateMs: 0, error: 'x' },
    { level: 'error', message: 'cron job 1 failed', service: 'cron', fields: { jobid: '1', jobname: null, runid: '9', status: 'failed', ms: 2, lateMs: 0, error: 'x' } },
  ],
  [{ type: 'queue-depth', queue: 'q', length: 3, oldestAgeSeconds: 1 }, { level: 'info', message: 'queue-depth', service: 'queues', fields: { queue: 'q', length: 3, oldestAgeSeconds: 1 } }],
  [{ type: 'jobs-worker-failed', worker: 'cron-scheduler', error: 'e' }, { level: 'error', message: 'jobs worker failed; retrying', service: 'cron', fields: { worker: 'cron-scheduler', error: 'e' } }],
  [{ type: 'jobs-worker-failed', worker: 'http-dispatcher', error: 'e' }, { level: 'error', message: 'jobs worker failed; retrying', service: 'webhooks', fields: { worker: 'http-dispatcher', error: 'e' } }],
  [{ type: 'jobs-worker-failed', worker: 'jobs-housekeeping', error: 'e' }, { level: 'error', message: 'jobs worker failed; retrying', service: 'server', fields: { worker: 'jobs-housekeeping', error: 'e' } }],
  [{ type: 'worker-stop-failed', worker: 'w', error: 'e' }, { level: 'error', message: 'worker did not stop cleanly', service: 'server', fields: { worker: 'w', error: 'e' } }],
  [{ type: 'db-reachability', pool: 'api', down: true }, { level: 'error', message: 'database unreachable; answering 503 and retrying the connection', service: 'postgres', fields: { pool: 'api' } }],
  [{ type: 'db-reachability', pool: 'api', down: false }, { level: 'info', message: 'database reachable again', service: 'postgres', fields: { pool: 'api' } }],
  [{ type: 'db-worker-restarted', reason: 'timeout', ms: 3 }, { level: 'warn', message: 'embedded database restarted to stop a transaction', service: 'postgres', fields: { reason: 'timeout', ms: 3 } }],
  [{ type: 'db-port-connection-ended', pid: 4, code: '57P01', message: 'bye' }, { level: 'info', message: 'database port connection ended: bye', service: 'postgres', fields: { pid: 4, code: '57P01' } }],
  [{ type: 'db-notice', message: 'hi' }, { level: 'debug', message: 'database notice', service: 'postgres', fields: { notice: 'hi' } }],
  [{ type: 'realtime-error', where: 'feed', message: 'lost' }, { level: 'warn', message: 'realtime error', service: 'realtime', fields: { where: 'feed', error: 'lost' } }],
  [{ type: 'realtime-disconnect', reason: 'slow' }, { level: 'info', message: 'realtime-disconnect', service: 'realtime', fields: { reason: 'slow' } }],
  [{ type: 'function-log', name: 'hello', requestId: 'r7', level: 'warn', message: 'careful' }, { level: 'warn', message: 'careful', service: 'functions', fields: { function: 'hello', requestId: 'r7' } }],
  [{ type: 'function-log', name: 'hello', requestId: null, level: 'debug', message: 'booting' }, { level: 'debug', message: 'booting', service: 'functions', fields: { function: 'hello' } }],
  [
    { type: 'function-failed', name: 'hello', requestId: 'r8', code: 'BOOT_ERROR', message: 'syntax' },
    { level: 'error', message: 'function hello: syntax', service: 'functions', fields: { function: 'hello', requestId: 'r8', code: 'BOOT_ERROR' } },
  ],
  [
    { type: 'function-worker', name: 'hello', event: 'stopped', reason: 'memory', ms: 5 },
    { level: 'warn', message: 'function hello worker stopped (memory)', service: 'functions', fields: { function: 'hello', event: 'stopped', reason: 'memory', ms: 5 } },
  ],
  [{ type: 'function-worker', name: 'hello', event: 'started', pid: 12 }, { level: 'info', message: 'function hello worker started', service: 'functions', fields: { function: 'hello', event: 'started', pid: 12 } }],
  [{ type: 'starting', mode: 'embedded', dataDir: '/d' }, { level: 'info', message: 'starting', service: 'server', fields: { mode: 'embedded', dataDir: '/d' } }],
  [{ type: 'shutdown', signal: 'SIGTERM', phase: 'begin' }, { level: 'info', message: 'shutdown', service: 'server', fields: { signal: 'SIGTERM', phase: 'begin' } }],
];

for (const [observation, expected] of examples) {
  it(`describes ${observation.type} as ${expected.service}/${expected.level}: ${expected.message}`, () => {
    assert.deepEqual(describeObservation(observation), expected);
  });
}

it('keeps a trace id the request observation carries', () => {
  const o = { type: 'request', requestId: 'r9', method: 'GET', url: '/', status: 200, ms: 1, bytes: 2, traceId: 't1' } as Observation;
  assert.equal(describeObservation(o).fields['traceId'], 't1');
});

it('classifies requests by their first path segments only', () => {
  const table: ReadonlyArray<readonly [string | undefined, string]> = [
    ['/rest/v1/', 'rest'],
    ['/rest/v1', 'rest'],
    ['/rest/v1?select=*', 'rest'],
    ['/rest/v10/x', 'api'],
    ['/auth/v1/user', 'auth'],
    ['/realtime/v1/websocket?vsn=1.0.0', 'realtime'],
    ['/functions/v1/hello/world', 'functions'],
    ['/storage/v1/object', 'api'],
    ['/jobs/v1/requests', 'api'],
    ['/health', 'api'],
    ['/', 'api'],
    [undefined, 'api'],
  ];
  for (const [url, service] of table) assert.equal(serviceOfUrl(url), service, String(url));
});

it('knows the level of the frequent observations without describing them, and agrees with describe', () => {
  const cases: Observation[] = [
    { type: 'request', requestId: 'r', method: 'GET', url: '/rest/v1/x', status: 200, ms: 1, bytes: 2 },
    { type: 'request', requestId: 'r', method: 'GET', url: '/rest/v1/x', status: 503, ms: 1, bytes: 2 },
    { type: 'realtime-traffic', connections: 1, messagesIn: 2, messagesOut: 3 },
  ];
  for (const o of cases) assert.equal(quickLevel(o), describeObservation(o).level);
  assert.equal(quickLevel({ type: 'db-notice', message: 'x' }), undefined);
});
