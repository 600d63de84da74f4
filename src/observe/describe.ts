// What one observation says, decided once: its level, message, fields and the service it
// belongs to. The JSON log (logger.ts) and the log store (src/logs/) both print this, so a
// line on stdout and a row in the store never disagree. Pure.
import { isClientAbort } from './client-abort.ts';
import type { Observation } from './events.ts';

/** pino's levels, lowest first; `LEVEL_VALUES` gives their order. */
export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_VALUES: Readonly<Record<Level, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * Where an observation comes from, as Supabase's log sources split them: `api` holds requests
 * no family claims (health, the jobs admin API, unknown routes) and request failures without
 * a URL; `postgres` the database's own events; `server` start, stop and the workers.
 */
export const SERVICES = ['api', 'rest', 'auth', 'realtime', 'functions', 'webhooks', 'cron', 'queues', 'postgres', 'server'] as const;
export type Service = (typeof SERVICES)[number];

export interface Description {
  readonly level: Level;
  readonly message: string;
  /** What the log line carries beside the message (an `err` may be an Error: pino serializes it). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly service: Service;
}

const PREFIXES: ReadonlyArray<readonly [string, Service]> = [
  ['/rest/v1', 'rest'],
  ['/auth/v1', 'auth'],
  ['/realtime/v1', 'realtime'],
  ['/functions/v1', 'functions'],
];

/** The family a request went to, by its URL's first segments. */
export function serviceOfUrl(url: string | undefined): Service {
  if (url === undefined) return 'api';
  for (const [prefix, service] of PREFIXES) {
    if (url.startsWith(prefix)) {
      const next = url.charAt(prefix.length);
      if (next === '' || next === '/' || next === '?') return service;
    }
  }
  return 'api';
}

const JOBS_WORKERS: Readonly<Record<string, Service>> = { 'http-dispatcher': 'webhooks', 'cron-scheduler': 'cron', 'queue-consumers': 'queues' };

// Types not listed (and any added later) are the server's.
const SERVICE_OF_TYPE: Partial<Readonly<Record<Observation['type'], Service>>> = {
  'schema-cache-loaded': 'rest',
  'schema-cache-failed': 'rest',
  'request-failed': 'api',
  'db-notice': 'postgres',
  'db-login-password-set': 'postgres',
  'db-reachability': 'postgres',
  'db-worker-restarted': 'postgres',
  'db-port-connection-ended': 'postgres',
  mail: 'auth',
  'mail-sent': 'auth',
  'mail-failed': 'auth',
  'mail-sender-failed': 'auth',
  sms: 'auth',
  'sms-sent': 'auth',
  'sms-failed': 'auth',
  'sms-sender-failed': 'auth',
  'realtime-error': 'realtime',
  'realtime-disconnect': 'realtime',
  'realtime-traffic': 'realtime',
  'http-delivery': 'webhooks',
  'cron-run': 'cron',
  'queue-depth': 'queues',
  'function-log': 'functions',
  'function-worker': 'functions',
  'function-failed': 'functions',
};

export function serviceOf(o: Observation): Service {
  switch (o.type) {
    case 'request':
    case 'request-aborted':
    case 'client-error':
      return serviceOfUrl(o.url);
    case 'jobs-worker-failed':
      return JOBS_WORKERS[o.worker] ?? 'server';
    default:
      return SERVICE_OF_TYPE[o.type] ?? 'server';
  }
}

/** The observation's own fields, without its `type`. */
function own(o: Observation): Record<string, unknown> {
  const { type: _type, ...fields } = o;
  return fields;
}

function levelAndText(o: Observation): { level: Level; message: string; fields: Record<string, unknown> } {
  switch (o.type) {
    case 'request':
      return { level: o.status >= 500 ? 'error' : 'info', message: `${o.method} ${o.url} ${o.status}`, fields: own(o) };
    case 'request-failed':
      return isClientAbort(o.error)
        ? { level: 'info', message: 'request aborted by the client', fields: { requestId: o.requestId } }
        : { level: 'error', message: 'request failed', fields: { requestId: o.requestId, err: o.error } };
    case 'request-aborted':
      return { level: 'info', message: `${o.method} ${o.url} aborted by the client`, fields: own(o) };
    case 'client-error':
      return { level: 'info', message: `${o.method ?? '-'} ${o.url ?? '-'} ${o.status}: unreadable or too slow request (${o.reason})`, fields: own(o) };
    case 'schema-cache-failed':
      return { level: 'error', message: 'schema cache reload failed; keeping the previous one', fields: { reason: o.reason, error: o.error } };
    case 'realtime-traffic':
      // Every few seconds while frames flow: counts for metrics, noise in a log.
      return { level: 'debug', message: 'realtime traffic', fields: own(o) };
    case 'mail-failed':
    case 'sms-failed': {
      const what = o.type === 'mail-failed' ? 'mail' : 'SMS';
      const final = o.retryInSeconds === null;
      return { level: final ? 'error' : 'warn', message: final ? `${what} not sent; giving up` : `${what} not sent; will retry`, fields: own(o) };
    }
    case 'mail-sender-failed':
    case 'sms-sender-failed':
      return { level: 'error', message: `${o.type === 'mail-sender-failed' ? 'mail' : 'SMS'} sender failed; retrying on the next sweep`, fields: { error: o.error } };
    case 'http-delivery':
      return {
        level: o.outcome === 'succeeded' ? 'info' : o.outcome === 'pending' ? 'warn' : 'error',
        message: `${o.method} ${o.url} ${o.status ?? '-'}: ${o.outcome === 'pending' ? 'will retry' : o.outcome}`,
        fields: own(o),
      };
    case 'cron-run':
      return { level: o.status === 'succeeded' ? 'info' : 'error', message: `cron job ${o.jobname ?? o.jobid} ${o.status}`, fields: own(o) };
    case 'jobs-worker-failed':
      return { level: 'error', message: 'jobs worker failed; retrying', fields: { worker: o.worker, error: o.error } };
    case 'worker-stop-failed':
      return { level: 'error', message: 'worker did not stop cleanly', fields: { worker: o.worker, error: o.error } };
    case 'db-reachability':
      return o.down
        ? { level: 'error', message: 'database unreachable; answering 503 and retrying the connection', fields: { pool: o.pool } }
        : { level: 'info', message: 'database reachable again', fields: { pool: o.pool } };
    case 'db-worker-restarted':
      return { level: 'warn', message: 'embedded database restarted to stop a transaction', fields: { reason: o.reason, ms: o.ms } };
    case 'db-port-connection-ended':
      // Shutdown and restarts end every connection (the restart is logged itself); the rest is the client's doing.
      return { level: o.code === '57P01' ? 'info' : 'warn', message: `database port connection ended: ${o.message}`, fields: { pid: o.pid, code: o.code } };
    case 'realtime-error':
      return { level: 'warn', message: 'realtime error', fields: { where: o.where, error: o.message } };
    case 'function-log':
      return { level: o.level, message: o.message, fields: o.requestId === null ? { function: o.name } : { function: o.name, requestId: o.requestId } };
    case 'function-failed':
      return { level: 'error', message: `function ${o.name}: ${o.message}`, fields: { function: o.name, requestId: o.requestId, code: o.code } };
    case 'function-worker': {
      const { type: _type, name, ...rest } = o;
      const bad = o.reason !== undefined && !['idle', 'changed', 'shutdown', 'evicted'].includes(o.reason);
      return { level: bad ? 'warn' : 'info', message: `function ${name} worker ${o.event}${o.reason === undefined ? '' : ` (${o.reason})`}`, fields: { function: name, ...rest } };
    }
    case 'db-notice':
      return { level: 'debug', message: 'database notice', fields: { notice: o.message } };
    default:
      return { level: 'info', message: o.type, fields: own(o) };
  }
}

/**
 * The level of the frequent observations (a request, realtime traffic) without building
 * their description, so a sink that drops that level pays nothing; undefined for the rest.
 */
export function quickLevel(o: Observation): Level | undefined {
  if (o.type === 'request') return o.status >= 500 ? 'error' : 'info';
  if (o.type === 'realtime-traffic') return 'debug';
  return undefined;
}

export function describe(o: Observation): Description {
  return { ...levelAndText(o), service: serviceOf(o) };
}
