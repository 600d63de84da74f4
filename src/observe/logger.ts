// The log: one JSON line per observation (pino), at a level chosen per event type.
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/load.ts';
import { isClientAbort } from './client-abort.ts';
import type { Observation, Observer } from './events.ts';

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'groundwork' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

export function loggingObserver(log: Logger): Observer {
  return (o: Observation) => {
    switch (o.type) {
      case 'request': {
        const { type: _type, ...fields } = o;
        const level = o.status >= 500 ? 'error' : 'info';
        log[level](fields, `${o.method} ${o.url} ${o.status}`);
        return;
      }
      case 'request-failed':
        if (isClientAbort(o.error)) log.info({ requestId: o.requestId }, 'request aborted by the client');
        else log.error({ requestId: o.requestId, err: o.error }, 'request failed');
        return;
      case 'request-aborted': {
        const { type: _type, ...fields } = o;
        log.info(fields, `${o.method} ${o.url} aborted by the client`);
        return;
      }
      case 'client-error': {
        const { type: _type, ...fields } = o;
        log.info(fields, `${o.method ?? '-'} ${o.url ?? '-'} ${o.status}: unreadable or too slow request (${o.reason})`);
        return;
      }
      case 'schema-cache-failed':
        log.error({ reason: o.reason, error: o.error }, 'schema cache reload failed; keeping the previous one');
        return;
      case 'mail-failed':
      case 'sms-failed': {
        const { type: _type, ...fields } = o;
        const what = o.type === 'mail-failed' ? 'mail' : 'SMS';
        log[o.retryInSeconds === null ? 'error' : 'warn'](fields, o.retryInSeconds === null ? `${what} not sent; giving up` : `${what} not sent; will retry`);
        return;
      }
      case 'mail-sender-failed':
      case 'sms-sender-failed':
        log.error({ error: o.error }, `${o.type === 'mail-sender-failed' ? 'mail' : 'SMS'} sender failed; retrying on the next sweep`);
        return;
      case 'http-delivery': {
        const { type: _type, ...fields } = o;
        const level = o.outcome === 'succeeded' ? 'info' : o.outcome === 'pending' ? 'warn' : 'error';
        log[level](fields, `${o.method} ${o.url} ${o.status ?? '-'}: ${o.outcome === 'pending' ? 'will retry' : o.outcome}`);
        return;
      }
      case 'cron-run': {
        const { type: _type, ...fields } = o;
        log[o.status === 'succeeded' ? 'info' : 'error'](fields, `cron job ${o.jobname ?? o.jobid} ${o.status}`);
        return;
      }
      case 'jobs-worker-failed':
        log.error({ worker: o.worker, error: o.error }, 'jobs worker failed; retrying');
        return;
      case 'worker-stop-failed':
        log.error({ worker: o.worker, error: o.error }, 'worker did not stop cleanly');
        return;
      case 'db-reachability':
        if (o.down) log.error({ pool: o.pool }, 'database unreachable; answering 503 and retrying the connection');
        else log.info({ pool: o.pool }, 'database reachable again');
        return;
      case 'db-worker-restarted':
        log.warn({ reason: o.reason, ms: o.ms }, 'embedded database restarted to stop a transaction');
        return;
      case 'db-port-connection-ended':
        // Shutdown and restarts end every connection (the restart is logged itself); the rest is the client's doing.
        log[o.code === '57P01' ? 'info' : 'warn']({ pid: o.pid, code: o.code }, `database port connection ended: ${o.message}`);
        return;
      case 'realtime-error':
        log.warn({ where: o.where, error: o.message }, 'realtime error');
        return;
      case 'function-log':
        log[o.level]({ function: o.name, requestId: o.requestId ?? undefined }, o.message);
        return;
      case 'function-failed':
        log.error({ function: o.name, requestId: o.requestId, code: o.code }, `function ${o.name}: ${o.message}`);
        return;
      case 'function-worker': {
        const { type: _type, name, ...rest } = o;
        const fields = { function: name, ...rest };
        const bad = o.reason !== undefined && !['idle', 'changed', 'shutdown', 'evicted'].includes(o.reason);
        log[bad ? 'warn' : 'info'](fields, `function ${o.name} worker ${o.event}${o.reason === undefined ? '' : ` (${o.reason})`}`);
        return;
      }
      case 'db-notice':
        log.debug({ notice: o.message }, 'database notice');
        return;
      default: {
        const { type, ...fields } = o;
        log.info(fields, type);
      }
    }
  };
}
