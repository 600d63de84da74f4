// The log: one JSON line per observation (pino), with the level, message and fields
// describe.ts chooses for it (the log store prints the same description).
import { trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/load.ts';
import { describe, quickLevel } from './describe.ts';
import type { Observation, Observer } from './events.ts';

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  // A line written while a traced request runs carries its trace id (no span without tracing: src/observe/tracing/).
  const mixin = (): Record<string, string> => {
    const span = trace.getActiveSpan();
    return span === undefined ? {} : { traceId: span.spanContext().traceId };
  };
  return pino({ level, base: { service: 'groundwork' }, timestamp: pino.stdTimeFunctions.isoTime, mixin }, destination);
}

export function loggingObserver(log: Logger): Observer {
  return (o: Observation) => {
    const quick = quickLevel(o);
    if (quick !== undefined && !log.isLevelEnabled(quick)) return;
    const { level, message, fields } = describe(o);
    log[level](fields, message);
  };
}
