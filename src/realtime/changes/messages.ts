// A realtime.messages row, as the capture trigger recorded it, made a broadcast (realtime.md
// §6.2): `realtime.send()` and `broadcast_changes()` from SQL, delivered on every node by
// the change feed. Pure.
import type { BroadcastMessage } from '../hub/broadcast.ts';
import type { ChangeRow } from './payload.ts';

/** to_jsonb renders bytea as `\x0a1b…`. */
function bytesOf(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.startsWith('\\x') ? hex.slice(2) : hex, 'hex'));
}

export function messageOf(change: ChangeRow): BroadcastMessage | undefined {
  const r = change.record;
  if (change.op !== 'INSERT' || r === null || r['extension'] !== 'broadcast' || typeof r['topic'] !== 'string') return undefined;
  const binary = typeof r['binary_payload'] === 'string' ? bytesOf(r['binary_payload']) : undefined;
  return {
    name: r['topic'],
    private: r['private'] !== false,
    event: typeof r['event'] === 'string' ? r['event'] : '',
    body: binary === undefined ? { kind: 'json', value: r['payload'] ?? {} } : { kind: 'binary', bytes: binary },
    meta: typeof r['id'] === 'string' ? { id: r['id'] } : null,
    binary: true,
  };
}
