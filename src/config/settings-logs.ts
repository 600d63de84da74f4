// The log store (src/logs/): observations kept in the database, beside the JSON lines on
// stdout, for the MCP server's log tools. Part of the one settings table in settings.ts.
import { z } from 'zod';
import { bool, positive } from './schemas.ts';

export const logsSettings = {
  logStore: {
    env: 'GROUNDWORK_LOG_STORE',
    flag: 'log-store',
    default: 'true',
    doc: 'Keep logs in the database (`_groundwork.logs`, one log for every node) for the MCP `get_logs` and `query_logs` tools. Written in batches every second, never in a request’s way.',
    schema: bool,
  },
  logStoreLevel: {
    env: 'GROUNDWORK_LOG_STORE_LEVEL',
    flag: 'log-store-level',
    default: '(LOG_LEVEL)',
    doc: 'The lowest level the log store keeps: fatal, error, warn, info, debug, trace or silent (nothing).',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  },
  logRetentionHours: {
    env: 'GROUNDWORK_LOG_RETENTION_HOURS',
    flag: 'log-retention-hours',
    default: '24',
    doc: 'Stored log entries older than this are deleted (checked every minute).',
    schema: positive,
  },
  logMaxRows: {
    env: 'GROUNDWORK_LOG_MAX_ROWS',
    flag: 'log-max-rows',
    default: '100000',
    doc: 'The most log entries the store keeps; the oldest beyond it are deleted (checked every minute).',
    schema: positive,
  },
};
