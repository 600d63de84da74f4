// Messages between the main thread and the worker that owns PGlite. Kept as plain,
// structured-cloneable data so the worker boundary stays typed on both sides.
import type { DbErrorFields } from '../errors.ts';

export interface WorkerInit {
  readonly pgdata: string;
  /** PostgreSQL settings given at start (`-c name=value`), e.g. shared_buffers. */
  readonly settings: Readonly<Record<string, string>>;
  /** The initialised-database template's path (template.ts); undefined: none is kept. */
  readonly template: string | undefined;
  /** Each posted request's state, shared with the main thread (job-cells.ts). */
  readonly cells: SharedArrayBuffer;
}

/** A request as posted: its id (the reply's) and its cell in WorkerInit.cells. */
export type WorkerRequest = { readonly id: number; readonly slot: number } & WorkerOp;

export type WorkerOp =
  | { readonly op: 'query'; readonly text: string; readonly params: readonly unknown[] }
  | { readonly op: 'script'; readonly text: string }
  /** Several statements in order; the first failure stops the batch. Results of each. */
  | { readonly op: 'batch'; readonly items: ReadonlyArray<{ readonly text: string; readonly params: readonly unknown[] }> }
  /**
   * A transaction in one exchange (prepared-pipeline.ts), with text parameters: its items
   * from BEGIN on, then `end` (COMMIT or ROLLBACK) if given, once its cell allows.
   */
  | {
      readonly op: 'pipeline';
      readonly items: ReadonlyArray<{ readonly text: string; readonly values: Array<string | null> }>;
      readonly end?: 'commit' | 'rollback';
    }
  | { readonly op: 'listen'; readonly channel: string }
  | { readonly op: 'unlisten'; readonly channel: string }
  /** A database port client's raw frontend messages; the backend's bytes come back as 'wire-data' events before the reply. */
  | { readonly op: 'wire'; readonly bytes: Uint8Array }
  | { readonly op: 'close' };

export type SerializedError =
  | { readonly kind: 'db'; readonly fields: DbErrorFields }
  | { readonly kind: 'other'; readonly message: string };

export interface BatchResult {
  readonly rows: Record<string, unknown>[];
  readonly rowCount: number;
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly rows: Record<string, unknown>[]; readonly rowCount: number; readonly batch?: readonly BatchResult[] }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

export type WorkerEvent =
  | { readonly event: 'ready' }
  | { readonly event: 'init-failed'; readonly message: string }
  | { readonly event: 'notify'; readonly channel: string; readonly payload: string }
  | { readonly event: 'wire-data'; readonly id: number; readonly data: Uint8Array };

export type WorkerMessage = WorkerReply | WorkerEvent;
