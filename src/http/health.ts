// GET /health: a real database round trip, so a load balancer sees a node whose database
// is gone as unhealthy (503) until the pool reconnects; it answers within a second either
// way, and at once with "busy" while the embedded database runs a transaction.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/port.ts';
import { DbUnavailableError } from '../db/errors.ts';
import { coreErrors } from '../errors/core-catalogue.ts';
import type { SchemaSource } from '../schema-cache/store.ts';

// Load balancers and the bar: /health answers within a second, up or down.
const PING_TIMEOUT_MS = 800;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DbUnavailableError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function registerHealth(app: FastifyInstance, db: Database, schema: SchemaSource): void {
  app.get('/health', async () => {
    // The embedded database's one session may be held by a long transaction: that is busy,
    // not down, and waiting behind it would make /health as slow as that transaction.
    const activity = db.activity?.();
    if (activity !== undefined && activity.busyMs > 0) {
      return {
        status: 'ok',
        database: { status: 'busy', mode: db.mode, busy_ms: activity.busyMs, waiting: activity.waiting },
        schema_cache: { loaded_at: schema.current.loadedAt },
      };
    }
    const started = performance.now();
    try {
      await withTimeout(db.ping(), PING_TIMEOUT_MS);
    } catch (e) {
      throw coreErrors.dbUnavailable(e instanceof Error ? e.message : String(e));
    }
    return {
      status: 'ok',
      database: { status: 'up', mode: db.mode, latency_ms: Math.round((performance.now() - started) * 10) / 10 },
      schema_cache: { loaded_at: schema.current.loadedAt },
    };
  });
}
