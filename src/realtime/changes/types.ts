// What a channel hands the change feed to receive postgres_changes, and what it gets back.
import type { Caller } from '../../db/port.ts';
import type { Frame, Vsn } from '../protocol/frames.ts';
import type { ChangeBinding } from '../protocol/join.ts';

export interface ChangeSink {
  readonly uid: number;
  readonly topic: string;
  readonly vsn: Vsn;
  /** Read at each check: an `access_token` push replaces it. */
  caller(): Caller;
  /** Role and claims as one string (kept until the token changes): equal identities share a check. */
  identity(): string;
  send(frame: Frame): void;
  /** A frame already encoded for this channel's protocol version. */
  sendText(text: string): void;
  system(extension: 'postgres_changes' | 'system', status: 'ok' | 'error', message: string): void;
}

export type SubscribeResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

export interface ChangeSubscriptions {
  subscribe(sink: ChangeSink, bindings: readonly ChangeBinding[]): Promise<SubscribeResult>;
  unsubscribe(sink: ChangeSink): void;
}
