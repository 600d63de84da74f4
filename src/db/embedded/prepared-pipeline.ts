// A pipeline in one exchange with PGlite, on the worker's side. PGlite's own query() costs
// six protocol calls into WebAssembly per statement and parses and plans the statement
// every time; here each statement text is parsed once into a named prepared statement
// (kept per worker, so per session), and the transaction (BEGIN, scope, statements, and
// for a read its COMMIT) goes in as one message with one Sync.
import type { messages } from '@electric-sql/pglite';

type BackendMessage = messages.BackendMessage;

export interface PipelineItem {
  readonly text: string;
  readonly params: readonly unknown[];
}

export interface ItemResult {
  readonly rows: Record<string, unknown>[];
  readonly rowCount: number;
}

/**
 * Parameters as the text PostgreSQL reads for whatever type it inferred, or undefined when
 * one is of a kind whose text depends on that type (arrays, objects, bytes, dates): such a
 * pipeline takes PGlite's query(), which asks for the types first.
 */
export function textParams(params: readonly unknown[]): Array<string | null> | undefined {
  const out: Array<string | null> = [];
  for (const v of params) {
    if (v === null || v === undefined) out.push(null);
    else if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') out.push(String(v));
    else return undefined;
  }
  return out;
}

/** Statement texts → names of the session's prepared statements, least recently used first out. */
export class StatementCache {
  readonly #names = new Map<string, string>();
  /** Names evicted since the last message: closed at the start of the next one. */
  #evicted: string[] = [];
  #next = 1;

  constructor(
    readonly capacity: number,
    readonly prefix = 'gw_api_',
  ) {}

  /** The name for `text` and whether it must be parsed first. */
  take(text: string): { name: string; parse: boolean } {
    const known = this.#names.get(text);
    if (known !== undefined) {
      this.#names.delete(text); // re-inserted: most recently used last
      this.#names.set(text, known);
      return { name: known, parse: false };
    }
    return { name: `${this.prefix}${this.#next++}`, parse: true };
  }

  /** A statement PostgreSQL confirmed (ParseComplete). */
  add(text: string, name: string): void {
    this.#names.set(text, name);
    while (this.#names.size > this.capacity) {
      const [oldest, evicted] = this.#names.entries().next().value as [string, string];
      this.#names.delete(oldest);
      this.#evicted.push(evicted);
    }
  }

  drainEvicted(): string[] {
    const out = this.#evicted;
    this.#evicted = [];
    return out;
  }

  /** Forgets every name (one may be stale); each is closed with the next message (closing a missing one is no error). */
  clear(): void {
    this.#evicted.push(...this.#names.values());
    this.#names.clear();
  }

  get size(): number {
    return this.#names.size;
  }
}

/** What PGlite's protocol serializer offers that the pipeline uses. */
export interface Serializer {
  parse(o: { name: string; text: string }): Uint8Array;
  bind(o: { statement: string; values: Array<string | null> }): Uint8Array;
  describe(o: { type: 'P' | 'S'; name?: string }): Uint8Array;
  execute(): Uint8Array;
  close(o: { type: 'S' | 'P'; name: string }): Uint8Array;
  sync(): Uint8Array;
}

export interface EncodedPipeline {
  readonly message: Uint8Array;
  /** Statements parsed by this message, in order: [text, name]. */
  readonly fresh: ReadonlyArray<readonly [string, string]>;
  /** How many Close messages lead it (each answered by CloseComplete). */
  readonly closes: number;
}

/** One message: Close for evicted names, then per item Parse (if new), Bind, Describe, Execute; one Sync. */
export function encodePipeline(items: ReadonlyArray<{ readonly text: string; readonly values: Array<string | null> }>, cache: StatementCache, s: Serializer): EncodedPipeline {
  const parts: Uint8Array[] = [];
  const evicted = cache.drainEvicted();
  for (const name of evicted) parts.push(s.close({ type: 'S', name }));
  const fresh: Array<[string, string]> = [];
  for (const item of items) {
    const { name, parse } = cache.take(item.text);
    if (parse) {
      parts.push(s.parse({ name, text: item.text }));
      fresh.push([item.text, name]);
    }
    parts.push(s.bind({ statement: name, values: item.values }), s.describe({ type: 'P' }), s.execute());
  }
  parts.push(s.sync());
  let size = 0;
  for (const p of parts) size += p.length;
  const message = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    message.set(p, at);
    at += p.length;
  }
  return { message, fresh, closes: evicted.length };
}

export type ResultsOf = (messages: BackendMessage[]) => ItemResult;

export interface ReadPipeline {
  readonly results: ItemResult[];
  /** The first error PostgreSQL reported; everything after it up to Sync was skipped. */
  readonly failure: (Error & { code?: string }) | undefined;
}

/**
 * Splits the backend's messages into one result per item (each ends at its
 * CommandComplete or EmptyQueryResponse) and records the statements PostgreSQL parsed.
 */
export function readPipeline(messages: readonly BackendMessage[], encoded: EncodedPipeline, cache: StatementCache, resultOf: ResultsOf): ReadPipeline {
  const results: ItemResult[] = [];
  let failure: ReadPipeline['failure'];
  let parsed = 0;
  let start = 0;
  messages.forEach((m, i) => {
    if (m.name === 'parseComplete') {
      const f = encoded.fresh[parsed++];
      if (f !== undefined) cache.add(f[0], f[1]);
    } else if (m.name === 'error') {
      failure ??= m as unknown as Error & { code?: string };
    } else if (m.name === 'commandComplete' || m.name === 'emptyQuery') {
      results.push(resultOf(messages.slice(start, i + 1)));
      start = i + 1;
    }
  });
  return { results, failure };
}
