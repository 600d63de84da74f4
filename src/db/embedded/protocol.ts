// Messages between the main thread and the worker that owns PGlite. Kept as plain,
// structured-cloneable data so the worker boundary stays typed on both sides.
import type { DbErrorFields } from '../errors.ts';

export interface WorkerInit {
  readonly pgdata: string;
}

export type WorkerRequest =
  | { readonly id: number; readonly op: 'query'; readonly text: string; readonly params: readonly unknown[] }
  | { readonly id: number; readonly op: 'script'; readonly text: string }
  | { readonly id: number; readonly op: 'listen'; readonly channel: string }
  | { readonly id: number; readonly op: 'unlisten'; readonly channel: string }
  | { readonly id: number; readonly op: 'close' };

export type SerializedError =
  | { readonly kind: 'db'; readonly fields: DbErrorFields }
  | { readonly kind: 'other'; readonly message: string };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly rows: Record<string, unknown>[]; readonly rowCount: number }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

export type WorkerEvent =
  | { readonly event: 'ready' }
  | { readonly event: 'init-failed'; readonly message: string }
  | { readonly event: 'notify'; readonly channel: string; readonly payload: string };

export type WorkerMessage = WorkerReply | WorkerEvent;
