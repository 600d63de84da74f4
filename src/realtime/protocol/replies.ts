// The frames the server itself sends, as Phoenix shapes them (realtime.md §3.2–3.3, §5.6):
// replies echo the push's refs; a channel's own pushes (close, system, presence_state)
// carry its join_ref and no ref; fan-out carries neither. Pure.
import type { Frame, JsonObject } from './frames.ts';

export function reply(topic: string, joinRef: string | null, ref: string | null, status: 'ok' | 'error', response: JsonObject = {}): Frame {
  return { joinRef, ref, topic, event: 'phx_reply', payload: { status, response } };
}

/** `realtime-js` ignores a close unless its ref is the channel's join ref. */
export function closeFrame(topic: string, joinRef: string | null): Frame {
  return { joinRef, ref: joinRef, topic, event: 'phx_close', payload: {} };
}

export function systemFrame(topic: string, joinRef: string | null, extension: 'postgres_changes' | 'system', status: 'ok' | 'error', message: string): Frame {
  return { joinRef, ref: null, topic, event: 'system', payload: { extension, status, message, channel: topic.slice('realtime:'.length) } };
}

export function pushFrame(topic: string, joinRef: string | null, event: string, payload: JsonObject): Frame {
  return { joinRef, ref: null, topic, event, payload };
}

export function fanoutFrame(topic: string, event: string, payload: JsonObject): Frame {
  return { joinRef: null, ref: null, topic, event, payload };
}
