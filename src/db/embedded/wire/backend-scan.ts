// Reads what PGlite answers a port client, on its way to the client: ReadyForQuery says
// whether the client's turn may end (idle) or must go on (in a transaction); notifications
// are taken out (every client shares one session, so a NOTIFY's echo belongs to the API's
// listeners, not to whoever committed it); a LISTEN gets a warning that nothing will arrive;
// a CopyInResponse the port already answered itself (copy-in.ts) is not sent twice.
import { BodyReader, noticeResponse } from './frames.ts';

export interface ScanHooks {
  ready(status: 'I' | 'T' | 'E'): void;
  notification(channel: string, payload: string): void;
}

const LISTEN_WARNING = noticeResponse({
  severity: 'WARNING',
  code: '0A000',
  message: "LISTEN is not supported on Groundwork's database port: no notifications will be delivered to this connection",
  detail: "The embedded database has one session shared by the API and every port client; the port takes the channel back when this client's turn ends.",
});

const Z = 0x5a;
const A = 0x41;
const C = 0x43;
const G = 0x47;

export class BackendScanner {
  /** CopyInResponses to drop: the client got them from the port before its data was sent. */
  copyInsAnswered = 0;
  /** An incomplete message carried over to the next chunk. */
  #held: Buffer[] = [];
  #heldLength = 0;
  #need = 0;

  constructor(private readonly hooks: ScanHooks) {}

  /** The bytes to pass on to the client for this chunk of PGlite's output. */
  push(chunk: Uint8Array): Buffer {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.#heldLength > 0) {
      this.#held.push(data);
      this.#heldLength += data.length;
      // A large message (a big row) arrives in many chunks: join them once, when it is whole.
      if (this.#heldLength < this.#need) return Buffer.alloc(0);
      data = Buffer.concat(this.#held, this.#heldLength);
      this.#held = [];
      this.#heldLength = 0;
    }
    const out: Buffer[] = [];
    let keepFrom = 0;
    let at = 0;
    while (at < data.length) {
      if (at + 5 > data.length) break;
      const length = data.readInt32BE(at + 1);
      const end = at + 1 + length;
      if (end > data.length) break;
      const type = data[at] as number;
      if (type === G && this.copyInsAnswered > 0) {
        this.copyInsAnswered--;
        out.push(data.subarray(keepFrom, at));
        keepFrom = end;
      } else if (type === A) {
        out.push(data.subarray(keepFrom, at));
        keepFrom = end;
        const r = new BodyReader(data.subarray(at + 5, end));
        r.int32();
        const channel = r.cstring();
        this.hooks.notification(channel, r.cstring());
      } else if (type === Z) {
        this.hooks.ready(String.fromCharCode(data[at + 5] as number) as 'I' | 'T' | 'E');
      } else if (type === C && data.toString('latin1', at + 5, end - 1) === 'LISTEN') {
        out.push(data.subarray(keepFrom, end), LISTEN_WARNING);
        keepFrom = end;
      }
      at = end;
    }
    out.push(data.subarray(keepFrom, at));
    if (at < data.length) {
      const rest = data.subarray(at);
      this.#held = [Buffer.from(rest)];
      this.#heldLength = rest.length;
      this.#need = rest.length >= 5 ? 1 + rest.readInt32BE(1) : 5;
    }
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  }
}
