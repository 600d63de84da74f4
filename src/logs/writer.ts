// The log store's sink and its flusher. The sink runs inside whatever observed (a request's
// response hook): it describes the observation, keeps it if its level passes, and returns;
// nothing there waits or throws. The flusher writes the buffer in batches, one statement
// each, every `flushMs` or as soon as a batch is full. While the database is away a batch
// goes back into the buffer (bounded: the oldest entries go first, counted) and is tried
// again with a growing pause; a batch the database refuses for what it holds is dropped,
// counted, so it cannot block the ones behind it. The counts are written to the store as a
// warning once it takes writes again.
import { trace } from '@opentelemetry/api';
import { DbError } from '../db/errors.ts';
import type { Database } from '../db/port.ts';
import type { LogLevel } from '../config/load.ts';
import { describe, LEVEL_VALUES, quickLevel, type Description } from '../observe/describe.ts';
import type { Observation, Observer } from '../observe/events.ts';
import { BoundedQueue } from './buffer.ts';
import { toLogRow, type LogEntry, type LogRow } from './row.ts';
import { insertLogs } from './store-sql.ts';

export interface LogWriterOptions {
  /** The admin connection. */
  readonly db: Database;
  /** This process, as the `node` column names it. */
  readonly node: string;
  /** The lowest level kept. */
  readonly level: LogLevel;
  readonly bufferRows?: number;
  readonly batchRows?: number;
  readonly flushMs?: number;
  /** The longest pause between attempts while the database is away. */
  readonly maxBackoffMs?: number;
}

export interface LogWriterStats {
  readonly buffered: number;
  readonly written: number;
  /** Lost to a full buffer. */
  readonly dropped: number;
  /** Lost with a batch the database refused. */
  readonly refused: number;
  readonly failedFlushes: number;
  readonly lastError: string | null;
}

export interface LogWriter {
  readonly sink: Observer;
  /** Flushes on a timer from now on. */
  start(): void;
  /** Writes what is buffered; resolves when the buffer is empty or a batch had to wait. */
  flush(): Promise<void>;
  /** Stops the timer and the sink, then writes what is left (one attempt). */
  stop(): Promise<void>;
  stats(): LogWriterStats;
}

export const DEFAULT_BUFFER_ROWS = 10_000;
// Small enough that a batch holds the embedded database's one session for milliseconds, not a request's worth.
export const DEFAULT_BATCH_ROWS = 250;
export const DEFAULT_FLUSH_MS = 1_000;
const DEFAULT_MAX_BACKOFF_MS = 10_000;

// Connection trouble, conflicts, resources, an operator's intervention: worth trying again.
// Anything else the database says about a batch (bad data, a missing table) would repeat.
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '55', '57', '58']);
// Any other failure (DbUnavailableError: the database is away) is worth it too.
const transient = (e: unknown) => !(e instanceof DbError) || TRANSIENT_CLASSES.has(e.sqlstate.slice(0, 2));

/** The trace id the JSON log's mixin adds to a line observed inside a traced request (src/observe/logger.ts). */
function withTrace(d: Description): Description {
  if (d.fields['traceId'] !== undefined) return d;
  const span = trace.getActiveSpan();
  return span === undefined ? d : { ...d, fields: { ...d.fields, traceId: span.spanContext().traceId } };
}

export function createLogWriter(options: LogWriterOptions): LogWriter {
  const { db, node } = options;
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const minimum = options.level === 'silent' ? Infinity : LEVEL_VALUES[options.level];
  const queue = new BoundedQueue<LogEntry>(options.bufferRows ?? DEFAULT_BUFFER_ROWS);
  let written = 0;
  let dropped = 0;
  let refused = 0;
  let failedFlushes = 0;
  let lastError: string | null = null;
  // Losses not yet reported in the store.
  let unreported = { dropped: 0, refused: 0 };
  let failures = 0;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let soon = false;
  let started = false;
  let stopped = false;

  function lossNotice(): LogRow | undefined {
    const overflow = queue.takeDropped();
    dropped += overflow;
    unreported.dropped += overflow;
    const { dropped: d, refused: r } = unreported;
    if (d === 0 && r === 0) return undefined;
    return toLogRow({
      at: Date.now(),
      event: 'log-store-loss',
      description: {
        level: 'warn',
        service: 'server',
        message: `log store lost ${d + r} entries (${d} past its buffer while the database was slow or away, ${r} refused by the database)`,
        fields: { dropped: d, refused: r, ...(lastError === null ? {} : { lastError }) },
      },
    });
  }

  /** One batch: true when written, false when it went back to wait. */
  async function writeBatch(): Promise<boolean> {
    const batch = queue.take(batchRows);
    const notice = lossNotice();
    const rows = batch.map(toLogRow);
    if (notice !== undefined) rows.push(notice);
    try {
      await insertLogs(db, node, rows);
      written += batch.length;
      if (notice !== undefined) unreported = { dropped: 0, refused: 0 };
      failures = 0;
      return true;
    } catch (e) {
      failedFlushes++;
      lastError = e instanceof Error ? e.message : String(e);
      if (!transient(e)) {
        refused += batch.length;
        unreported.refused += batch.length;
        return true;
      }
      queue.putBack(batch);
      failures++;
      return false;
    }
  }

  async function drain(): Promise<void> {
    // Each round takes at least one entry, so a refusing database cannot hold it here.
    while (queue.size > 0) {
      if (!(await writeBatch())) return;
    }
  }

  function flush(): Promise<void> {
    // Never rejects: the timer's chain must survive a bug here, and callers are fire-and-forget.
    running ??= drain()
      .catch((e: unknown) => {
        lastError = e instanceof Error ? e.message : String(e);
        failures++;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  function schedule(ms: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void flush().then(() => schedule(failures === 0 ? flushMs : Math.min(flushMs * 2 ** failures, maxBackoffMs))), ms);
    timer.unref();
  }

  const sink: Observer = (o: Observation) => {
    if (stopped) return;
    const quick = quickLevel(o);
    if (quick !== undefined && LEVEL_VALUES[quick] < minimum) return;
    const description = describe(o);
    if (LEVEL_VALUES[description.level] < minimum) return;
    queue.push({ at: Date.now(), event: o.type, description: withTrace(description) });
    // A full batch goes now, outside the caller's stack; not while the database is away.
    if (started && !soon && failures === 0 && queue.size >= batchRows) {
      soon = true;
      setImmediate(() => {
        soon = false;
        void flush();
      });
    }
  };

  return {
    sink,
    start() {
      started = true;
      schedule(flushMs);
    },
    flush,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await flush();
    },
    stats: () => ({ buffered: queue.size, written, dropped: dropped + queue.dropped, refused, failedFlushes, lastError }),
  };
}
