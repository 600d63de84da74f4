// Phoenix channel frames as realtime-js writes and reads them (reference: realtime.md §2).
// vsn 1.0.0: JSON objects, and the server never sends `join_ref`. vsn 2.0.0: JSON arrays
// `[join_ref, ref, topic, event, payload]`, plus two binary kinds: 3 (a client's broadcast)
// and 4 (a broadcast to a client). realtime-js decodes no other binary kind, so none is sent.
// Pure: bytes in, typed values out, and back.

export type Vsn = '1.0.0' | '2.0.0';
export type JsonObject = { readonly [key: string]: unknown };

export interface Frame {
  readonly joinRef: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  readonly payload: JsonObject;
}

/** A broadcast's own payload: JSON, or raw bytes (v2 only). */
export type BroadcastBody = { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'binary'; readonly bytes: Uint8Array };

/** A kind-3 frame: `channel.send({type:'broadcast', event, payload})` on vsn 2.0.0. */
export interface BinaryBroadcast {
  readonly joinRef: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  readonly metadata: JsonObject | null;
  readonly body: BroadcastBody;
}

export type Inbound = { readonly type: 'frame'; readonly frame: Frame } | { readonly type: 'broadcast'; readonly broadcast: BinaryBroadcast };
export type Decoded = { readonly ok: true; readonly message: Inbound } | { readonly ok: false; readonly reason: string };

const KIND_PUSH_BROADCAST = 3;
const KIND_BROADCAST = 4;
const ENCODING_BINARY = 0;
const ENCODING_JSON = 1;

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A ref as the client sends it: a decimal string; numbers are tolerated, anything else is absent. */
function refOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function frameOf(joinRef: unknown, ref: unknown, topic: unknown, event: unknown, payload: unknown): Decoded {
  if (typeof topic !== 'string' || typeof event !== 'string') return { ok: false, reason: 'topic and event must be strings' };
  if (!isJsonObject(payload)) return { ok: false, reason: 'payload must be an object' };
  return { ok: true, message: { type: 'frame', frame: { joinRef: refOf(joinRef), ref: refOf(ref), topic, event, payload } } };
}

export function decode(vsn: Vsn, data: Buffer, isBinary: boolean): Decoded {
  if (isBinary) return vsn === '2.0.0' ? decodeBinary(data) : { ok: false, reason: 'binary frames need vsn 2.0.0' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length < 5) return { ok: false, reason: 'a vsn 2.0.0 frame is an array of five' };
    const [joinRef, ref, topic, event, payload] = parsed as unknown[];
    return frameOf(joinRef, ref, topic, event, payload);
  }
  if (!isJsonObject(parsed)) return { ok: false, reason: 'a vsn 1.0.0 frame is an object' };
  return frameOf(parsed['join_ref'], parsed['ref'], parsed['topic'], parsed['event'], parsed['payload']);
}

function decodeBinary(data: Buffer): Decoded {
  if (data.length < 7 || data[0] !== KIND_PUSH_BROADCAST) return { ok: false, reason: 'unknown binary frame' };
  const sizes = [data[1], data[2], data[3], data[4], data[5]].map((n) => n ?? 0);
  const encoding = data[6];
  let at = 7;
  const take = (n: number): string => {
    const s = data.subarray(at, at + n).toString('utf8');
    at += n;
    return s;
  };
  const [joinRefLen = 0, refLen = 0, topicLen = 0, eventLen = 0, metaLen = 0] = sizes;
  if (at + joinRefLen + refLen + topicLen + eventLen + metaLen > data.length) return { ok: false, reason: 'binary frame shorter than its header' };
  const joinRef = take(joinRefLen);
  const ref = take(refLen);
  const topic = take(topicLen);
  const event = take(eventLen);
  const metaText = take(metaLen);
  let metadata: JsonObject | null = null;
  if (metaText !== '') {
    try {
      const m: unknown = JSON.parse(metaText);
      metadata = isJsonObject(m) ? m : null;
    } catch {
      return { ok: false, reason: 'binary frame metadata is not JSON' };
    }
  }
  const rest = data.subarray(at);
  let body: BroadcastBody;
  if (encoding === ENCODING_JSON) {
    try {
      body = { kind: 'json', value: rest.length === 0 ? {} : (JSON.parse(rest.toString('utf8')) as unknown) };
    } catch {
      return { ok: false, reason: 'binary frame payload is not JSON' };
    }
  } else if (encoding === ENCODING_BINARY) {
    body = { kind: 'binary', bytes: new Uint8Array(rest) };
  } else {
    return { ok: false, reason: 'unknown payload encoding' };
  }
  return { ok: true, message: { type: 'broadcast', broadcast: { joinRef: joinRef === '' ? null : joinRef, ref: ref === '' ? null : ref, topic, event, metadata, body } } };
}

/** A text frame for `vsn`; v1 drops join_ref, as Phoenix's V1 serializer does. */
export function encodeFrame(vsn: Vsn, f: Frame): string {
  if (vsn === '2.0.0') return JSON.stringify([f.joinRef, f.ref, f.topic, f.event, f.payload]);
  return JSON.stringify({ topic: f.topic, event: f.event, payload: f.payload, ref: f.ref });
}

/**
 * A fan-out frame (no refs) around a payload already encoded as JSON: one change goes to
 * many channels whose frames differ only by the topic.
 */
export function encodeFanout(vsn: Vsn, topic: string, event: string, payloadJson: string): string {
  if (vsn === '2.0.0') return `[null,null,${JSON.stringify(topic)},${JSON.stringify(event)},${payloadJson}]`;
  return `{"topic":${JSON.stringify(topic)},"event":${JSON.stringify(event)},"payload":${payloadJson},"ref":null}`;
}

/** A kind-4 frame; undefined when a header field is over the format's 255 bytes. */
export function encodeBinaryBroadcast(topic: string, event: string, metadata: JsonObject | null, body: BroadcastBody): Buffer | undefined {
  const t = Buffer.from(topic, 'utf8');
  const e = Buffer.from(event, 'utf8');
  const m = metadata === null ? Buffer.alloc(0) : Buffer.from(JSON.stringify(metadata), 'utf8');
  if (t.length > 255 || e.length > 255 || m.length > 255) return undefined;
  const p = body.kind === 'binary' ? Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength) : Buffer.from(JSON.stringify(body.value ?? {}), 'utf8');
  const head = Buffer.from([KIND_BROADCAST, t.length, e.length, m.length, body.kind === 'binary' ? ENCODING_BINARY : ENCODING_JSON]);
  return Buffer.concat([head, t, e, m, p]);
}
