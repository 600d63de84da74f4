// The log store as a module: the second sink of the observation stream (the JSON log on
// stdout is the first). `register` subscribes the sink, so what start-up observes before
// listening is buffered too; the workers flush it to `_groundwork.logs` on the admin
// connection and keep the table within its retention. Readers: query.ts and get-logs.ts.
import { hostname } from 'node:os';
import type { Config } from '../config/load.ts';
import type { ApiModule, ModuleContext, Worker } from '../http/module.ts';
import { logsErrors } from './errors.ts';
import { startRetention, type RetentionTimer } from './retention.ts';
import { createLogWriter, type LogWriter } from './writer.ts';

type LogsConfig = Config['logs'];

/** This process in the `node` column: which node of a cluster wrote an entry. */
export const NODE = `${hostname()}:${process.pid}`;

/** Whether the store keeps anything at all. */
const storing = (s: LogsConfig) => s.enabled && s.level !== 'silent';

// One writer per started server (tests start several in one process), made in `register`.
const writers = new WeakMap<ModuleContext<LogsConfig>['settings'], { writer: LogWriter; unsubscribe: () => void }>();

function writerWorker(ctx: ModuleContext<LogsConfig>): Worker {
  return {
    name: 'log-writer',
    start: async () => writers.get(ctx.settings)?.writer.start(),
    stop: async () => {
      const held = writers.get(ctx.settings);
      held?.unsubscribe();
      await held?.writer.stop();
    },
  };
}

function retentionWorker(ctx: ModuleContext<LogsConfig>): Worker {
  let timer: RetentionTimer | undefined;
  return {
    name: 'log-retention',
    start: async () => {
      timer = startRetention(ctx.db.admin, { hours: ctx.settings.retentionHours, maxRows: ctx.settings.maxRows });
    },
    stop: async () => timer?.stop(),
  };
}

export const logsModule: ApiModule<LogsConfig> = {
  name: 'logs',
  errors: logsErrors,
  // A copy: the writer is found by this object, one per start.
  settings: (config) => ({ ...config.logs }),
  register(_http, ctx) {
    if (!storing(ctx.settings)) return;
    const writer = createLogWriter({ db: ctx.db.admin, node: NODE, level: ctx.settings.level });
    writers.set(ctx.settings, { writer, unsubscribe: ctx.subscribe(writer.sink) });
  },
  workers: (ctx) => (storing(ctx.settings) ? [writerWorker(ctx), retentionWorker(ctx)] : []),
};
