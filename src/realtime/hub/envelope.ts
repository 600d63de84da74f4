// What nodes say to each other on the bus, as JSON text: binary broadcast bodies travel as
// base64. Pure.
import { isJsonObject, type BroadcastBody, type JsonObject } from '../protocol/frames.ts';
import type { BroadcastMessage } from './broadcast.ts';
import type { Meta, PresenceDiff } from './presence.ts';

export interface PresenceEntry {
  readonly stream: string;
  readonly owner: string;
  readonly key: string;
  readonly meta: Meta;
}

export interface Envelope {
  readonly node: string;
  readonly body:
    | { readonly kind: 'broadcast'; readonly message: BroadcastMessage }
    | { readonly kind: 'presence'; readonly stream: string; readonly owner: string; readonly diff: PresenceDiff }
    | { readonly kind: 'hello' }
    | { readonly kind: 'state'; readonly to: string; readonly entries: readonly PresenceEntry[] }
    | { readonly kind: 'alive' }
    | { readonly kind: 'bye' };
}

type WireBody = { kind: 'json'; value: unknown } | { kind: 'base64'; data: string };

function bodyToWire(b: BroadcastBody): WireBody {
  return b.kind === 'json' ? b : { kind: 'base64', data: Buffer.from(b.bytes).toString('base64') };
}

function bodyFromWire(w: unknown): BroadcastBody | undefined {
  if (!isJsonObject(w)) return undefined;
  if (w['kind'] === 'json') return { kind: 'json', value: w['value'] };
  if (w['kind'] === 'base64' && typeof w['data'] === 'string') return { kind: 'binary', bytes: new Uint8Array(Buffer.from(w['data'], 'base64')) };
  return undefined;
}

export function encodeEnvelope(e: Envelope): string {
  if (e.body.kind !== 'broadcast') return JSON.stringify(e);
  const { senderUid: _local, ...message } = e.body.message;
  return JSON.stringify({ node: e.node, body: { kind: 'broadcast', message: { ...message, body: bodyToWire(message.body) } } });
}

/** Undefined for text that is not an envelope (another program on the channel). */
export function decodeEnvelope(text: string): Envelope | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(v) || typeof v['node'] !== 'string' || !isJsonObject(v['body']) || typeof v['body']['kind'] !== 'string') return undefined;
  const body = v['body'] as JsonObject;
  if (body['kind'] !== 'broadcast') return v as unknown as Envelope;
  const m = body['message'];
  if (!isJsonObject(m) || typeof m['name'] !== 'string' || typeof m['event'] !== 'string') return undefined;
  const decoded = bodyFromWire(m['body']);
  if (decoded === undefined) return undefined;
  const message: BroadcastMessage = {
    name: m['name'],
    private: m['private'] === true,
    event: m['event'],
    body: decoded,
    meta: isJsonObject(m['meta']) ? m['meta'] : null,
    binary: m['binary'] === true,
  };
  return { node: v['node'], body: { kind: 'broadcast', message } };
}
