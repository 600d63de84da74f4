// PostgreSQL's wire protocol (v3) as bytes: reading the messages a client sends, and
// building the few a server writes itself (authentication, parameter status, errors).
// Everything else PGlite writes. Pure: no sockets, no database.

/** A frontend message after start-up: its type byte and its body (without the length). */
export interface Message {
  readonly type: number;
  readonly body: Buffer;
}

/** Message type bytes by the letter the protocol documentation uses. */
export const T = {
  query: 0x51, // Q
  parse: 0x50, // P
  bind: 0x42, // B
  execute: 0x45, // E
  describe: 0x44, // D
  close: 0x43, // C
  sync: 0x53, // S
  flush: 0x48, // H
  functionCall: 0x46, // F
  copyData: 0x64, // d
  copyDone: 0x63, // c
  copyFail: 0x66, // f
  terminate: 0x58, // X
  password: 0x70, // p (password, SASL responses)
} as const;

/** Request codes a client sends in place of a protocol version. */
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;
export const PROTOCOL_3_0 = 196608;

/** PostgreSQL's own limits: a start-up packet, and any message (1 GB). */
export const MAX_STARTUP_LENGTH = 10000;
export const MAX_MESSAGE_LENGTH = 0x3fffffff;

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * Collects a client's bytes and hands out whole messages. Chunks are kept as they came and
 * copied once, when a message is complete, so a large COPY arriving in many pieces is not
 * copied again for every piece.
 */
export class MessageReader {
  #chunks: Buffer[] = [];
  #length = 0;

  /** The longest message accepted (smaller while a client is not authenticated yet). */
  constructor(public maxLength: number = MAX_MESSAGE_LENGTH) {}

  get buffered(): number {
    return this.#length;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** The next start-up packet (length, then version or request code, then parameters). */
  nextStartup(): Buffer | undefined {
    if (this.#length < 4) return undefined;
    const length = this.#peek(4).readInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_LENGTH) throw new ProtocolError(`invalid length of startup packet (${length})`);
    if (this.#length < length) return undefined;
    return this.#take(length).subarray(4);
  }

  /** The next typed message, or undefined until it has fully arrived. */
  next(): Message | undefined {
    if (this.#length < 5) return undefined;
    const head = this.#peek(5);
    const length = head.readInt32BE(1);
    if (length < 4 || length > this.maxLength) throw new ProtocolError(`invalid message length (${length})`);
    if (this.#length < length + 1) return undefined;
    const whole = this.#take(length + 1);
    return { type: head[0] as number, body: whole.subarray(5) };
  }

  #peek(n: number): Buffer {
    const first = this.#chunks[0] as Buffer;
    if (first.length >= n) return first;
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    for (const c of this.#chunks) {
      if (filled >= n) break;
      filled += c.copy(out, filled, 0, Math.min(c.length, n - filled));
    }
    return out;
  }

  #take(n: number): Buffer {
    const first = this.#chunks[0] as Buffer;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.#chunks[0] as Buffer;
        const used = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, used);
        filled += used;
        if (used === c.length) this.#chunks.shift();
        else this.#chunks[0] = c.subarray(used);
      }
    }
    this.#length -= n;
    return out;
  }
}

/** Reads NUL-terminated strings and integers from a message body. */
export class BodyReader {
  #at = 0;
  constructor(private readonly body: Buffer) {}

  get rest(): Buffer {
    return this.body.subarray(this.#at);
  }

  cstring(): string {
    const end = this.body.indexOf(0, this.#at);
    if (end < 0) throw new ProtocolError('invalid string in message');
    const s = this.body.toString('utf8', this.#at, end);
    this.#at = end + 1;
    return s;
  }

  int32(): number {
    if (this.#at + 4 > this.body.length) throw new ProtocolError('insufficient data left in message');
    const v = this.body.readInt32BE(this.#at);
    this.#at += 4;
    return v;
  }

  bytes(n: number): Buffer {
    if (n < 0 || this.#at + n > this.body.length) throw new ProtocolError('insufficient data left in message');
    const b = this.body.subarray(this.#at, this.#at + n);
    this.#at += n;
    return b;
  }

  byte(): number {
    return this.bytes(1)[0] as number;
  }
}

export const cstring = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);

export function int32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(n);
  return b;
}

/** A whole message: type byte, length, body. */
export function message(type: number, ...parts: readonly Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.allocUnsafe(5);
  head[0] = type;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** A frontend message (for the messages the port itself sends PGlite). */
export const frontend = (type: number, ...parts: readonly Buffer[]): Buffer => message(type, ...parts);

const R = 0x52; // Authentication*

export const authenticationOk = (): Buffer => message(R, int32(0));
export const authenticationSasl = (mechanisms: readonly string[]): Buffer => message(R, int32(10), ...mechanisms.map(cstring), Buffer.from([0]));
export const authenticationSaslContinue = (data: string): Buffer => message(R, int32(11), Buffer.from(data, 'utf8'));
export const authenticationSaslFinal = (data: string): Buffer => message(R, int32(12), Buffer.from(data, 'utf8'));
export const parameterStatus = (name: string, value: string): Buffer => message(0x53, cstring(name), cstring(value));
export const backendKeyData = (pid: number, secret: number): Buffer => message(0x4b, int32(pid), int32(secret));
export const readyForQuery = (status: 'I' | 'T' | 'E'): Buffer => message(0x5a, Buffer.from(status, 'latin1'));

/** CopyInResponse: the data's format (0 text, 1 binary); no per-column formats, which clients do not need. */
export const copyInResponse = (binary: boolean): Buffer => message(0x47, Buffer.from([binary ? 1 : 0, 0, 0]));

/** NegotiateProtocolVersion: the newest minor version served, and the options not understood. */
export const negotiateProtocolVersion = (minor: number, unrecognized: readonly string[]): Buffer =>
  message(0x76, int32(minor), int32(unrecognized.length), ...unrecognized.map(cstring));

export interface Problem {
  readonly severity: 'ERROR' | 'FATAL' | 'WARNING' | 'NOTICE';
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

function fields(p: Problem): Buffer[] {
  const f = (tag: string, v: string) => Buffer.concat([Buffer.from(tag, 'latin1'), cstring(v)]);
  return [
    f('S', p.severity),
    f('V', p.severity),
    f('C', p.code),
    f('M', p.message),
    ...(p.detail === undefined ? [] : [f('D', p.detail)]),
    ...(p.hint === undefined ? [] : [f('H', p.hint)]),
    Buffer.from([0]),
  ];
}

export const errorResponse = (p: Problem): Buffer => message(0x45, ...fields(p));
export const noticeResponse = (p: Problem): Buffer => message(0x4e, ...fields(p));
