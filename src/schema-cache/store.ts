// Holds the current schema cache and swaps in a new one on reload: after migrations, on
// NOTIFY pgrst ('reload schema', or an empty payload as PostgREST accepts), and after DDL
// through the event trigger on server PostgreSQL. Bursts of notifications are debounced
// into one reload; a failed reload keeps the previous cache.
import type { Database, Unlisten } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';
import { buildSchemaCache } from './build.ts';
import { introspectionQuery, introspectionSettings } from './introspect.ts';
import type { SchemaCache } from './types.ts';

export const RELOAD_CHANNEL = 'pgrst';
const DEBOUNCE_MS = 50;

/** One round trip: BEGIN, the introspection's settings, the query, COMMIT. */
export async function loadSchemaCache(db: Database): Promise<SchemaCache> {
  const [result] = await db.pipeline([introspectionQuery], { settings: introspectionSettings });
  return buildSchemaCache(result?.rows[0]?.['cache']);
}

export class SchemaCacheStore {
  #current: SchemaCache;
  #inflight: Promise<SchemaCache> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #unlisten: Unlisten | undefined;

  private constructor(
    private readonly db: Database,
    private readonly observe: Observer,
    initial: SchemaCache,
  ) {
    this.#current = initial;
  }

  /** Loads the cache; a failure here is the caller's (start-up stops). `reason` is for the log. */
  static async open(db: Database, observe: Observer, reason = 'start'): Promise<SchemaCacheStore> {
    const started = performance.now();
    const cache = await loadSchemaCache(db);
    observe({ type: 'schema-cache-loaded', reason, relations: cache.relations.size, routines: cache.routines.size, ms: Math.round(performance.now() - started) });
    return new SchemaCacheStore(db, observe, cache);
  }

  get current(): SchemaCache {
    return this.#current;
  }

  /** Reloads now; concurrent calls share one introspection, and one more runs if asked meanwhile. */
  reload(reason: string): Promise<SchemaCache> {
    if (this.#inflight !== undefined) {
      this.#again = true;
      return this.#inflight;
    }
    const started = performance.now();
    this.#inflight = loadSchemaCache(this.db)
      .then((cache) => {
        this.#current = cache;
        this.observe({ type: 'schema-cache-loaded', reason, relations: cache.relations.size, routines: cache.routines.size, ms: Math.round(performance.now() - started) });
        return cache;
      })
      .catch((e: unknown) => {
        this.observe({ type: 'schema-cache-failed', reason, error: e instanceof Error ? e.message : String(e) });
        return this.#current;
      })
      .finally(() => {
        this.#inflight = undefined;
        if (this.#again) {
          this.#again = false;
          void this.reload(reason);
        }
      });
    return this.#inflight;
  }

  /** Starts listening for reload notifications. */
  async watch(): Promise<void> {
    this.#unlisten = await this.db.listen(
      RELOAD_CHANNEL,
      (payload) => {
        if (payload !== '' && payload !== 'reload schema') return;
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => void this.reload('notify'), DEBOUNCE_MS);
      },
      // DDL while the listening connection was down sent notifications nobody received.
      () => void this.reload('reconnect'),
    );
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#unlisten?.();
    await this.#inflight;
  }
}
