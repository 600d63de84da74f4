// Holds the current schema cache and swaps in a new one on reload: after migrations, on
// NOTIFY pgrst ('reload schema', or an empty payload as PostgREST accepts), and after DDL
// through the event trigger on server PostgreSQL. Bursts of notifications are debounced
// into one reload; a failed reload keeps the previous cache.
import type { Database, Unlisten } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';
import { buildSchemaCache } from './build.ts';
import { introspectionQuery, introspectionSettings } from './introspect.ts';
import { readSnapshot, snapshotKey, writeSnapshot } from './snapshot.ts';
import type { SchemaCache } from './types.ts';

export const RELOAD_CHANNEL = 'pgrst';
const DEBOUNCE_MS = 50;

/** The introspection's document, in one round trip: BEGIN, the introspection's settings, the query, COMMIT. */
async function introspect(db: Database): Promise<unknown> {
  const [result] = await db.pipeline([introspectionQuery], { settings: introspectionSettings });
  return result?.rows[0]?.['cache'];
}

export async function loadSchemaCache(db: Database): Promise<SchemaCache> {
  return buildSchemaCache(await introspect(db));
}

type Loaded = { readonly cache: SchemaCache; readonly source: 'snapshot' | 'database' };

/** A snapshot read and built ahead of its key (start-up does it while the database opens). */
export interface KeptCache {
  readonly key: string;
  readonly cache: SchemaCache;
}

/** Where loads read and keep the snapshot (snapshot.ts), and what was read of it already. */
export interface SnapshotOptions {
  readonly path: string;
  readonly kept?: KeptCache | undefined;
}

/** A snapshot's document built; undefined when this release cannot read it. */
function built(found: { readonly key: string; readonly document: unknown } | undefined): KeptCache | undefined {
  if (found === undefined) return undefined;
  try {
    return { key: found.key, cache: buildSchemaCache(found.document) };
  } catch {
    return undefined;
  }
}

/** The snapshot at `path`, built; undefined when there is none this release can read. */
export function readKeptCache(path: string): KeptCache | undefined {
  return built(readSnapshot(path));
}

/** From the snapshot while its key matches; otherwise introspects and keeps a new snapshot. Without one, always introspects. */
async function load(db: Database, snapshot: SnapshotOptions | undefined): Promise<Loaded> {
  const key = snapshot === undefined ? undefined : await snapshotKey(db);
  if (snapshot === undefined || key === undefined) return { cache: await loadSchemaCache(db), source: 'database' };
  if (snapshot.kept?.key === key) return { cache: snapshot.kept.cache, source: 'snapshot' };
  // Built only under the right key: on a reload after DDL the file holds the schema before it.
  const found = readSnapshot(snapshot.path);
  const kept = found?.key === key ? built(found) : undefined;
  if (kept !== undefined) return { cache: kept.cache, source: 'snapshot' };
  const document = await introspect(db);
  const cache = buildSchemaCache(document);
  writeSnapshot(snapshot.path, key, document);
  return { cache, source: 'database' };
}

/** What requests read of the schema cache: its current value. */
export interface SchemaSource {
  readonly current: SchemaCache;
}

export class SchemaCacheStore implements SchemaSource {
  #current: SchemaCache;
  #inflight: Promise<SchemaCache> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #unlisten: Unlisten | undefined;

  private constructor(
    private readonly db: Database,
    private readonly observe: Observer,
    private readonly snapshot: SnapshotOptions | undefined,
    initial: SchemaCache,
  ) {
    this.#current = initial;
  }

  /**
   * Loads the cache; a failure here is the caller's (start-up stops). `reason` is for the log.
   * With `snapshot` (a file in the data directory), loads and reloads read and keep it.
   */
  static async open(db: Database, observe: Observer, reason = 'start', snapshot?: SnapshotOptions): Promise<SchemaCacheStore> {
    const started = performance.now();
    const { cache, source } = await load(db, snapshot);
    observe({ type: 'schema-cache-loaded', reason, source, relations: cache.relations.size, routines: cache.routines.size, ms: Math.round(performance.now() - started) });
    // Reloads read the file again: what start-up read ahead is the schema before any DDL.
    return new SchemaCacheStore(db, observe, snapshot === undefined ? undefined : { path: snapshot.path }, cache);
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
    this.#inflight = load(this.db, this.snapshot)
      .then(({ cache, source }) => {
        this.#current = cache;
        this.observe({ type: 'schema-cache-loaded', reason, source, relations: cache.relations.size, routines: cache.routines.size, ms: Math.round(performance.now() - started) });
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
