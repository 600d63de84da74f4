// SCRAM-SHA-256 (RFC 5802, RFC 7677), the server's side, as PostgreSQL runs it: the user
// name inside the exchange is ignored (the start-up packet named it), and channel binding is
// not offered (the port has no TLS). The password never travels; the client proves it knows
// it. Pure apart from the random nonce.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ScramKeys {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

const hmac = (key: Buffer, text: string | Buffer): Buffer => createHmac('sha256', key).update(text).digest();
const sha256 = (b: Buffer): Buffer => createHash('sha256').update(b).digest();

/** What the server keeps instead of the password (PostgreSQL's verifier, 4096 rounds by default). The generated password is ASCII, which SASLprep leaves as it is. */
export function scramKeys(password: string, salt: Buffer = randomBytes(16), iterations = 4096): ScramKeys {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return { salt, iterations, storedKey: sha256(hmac(salted, 'Client Key')), serverKey: hmac(salted, 'Server Key') };
}

export type ScramStep = { readonly ok: true; readonly reply: string } | { readonly ok: false; readonly reason: string };

/** Attribute values of a SCRAM message (`a=...,b=...`), keeping the order they came in. */
function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== 1) continue;
    out.set(part.slice(0, 1), part.slice(2));
  }
  return out;
}

const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/; // a nonce: printable, no comma

/** One client's exchange: `first` answers client-first, `final` checks the proof. */
export class ScramExchange {
  #clientFirstBare = '';
  #serverFirst = '';
  #nonce = '';
  #gs2Header = '';

  constructor(
    private readonly keys: ScramKeys,
    private readonly serverNonce: string = randomBytes(18).toString('base64'),
  ) {}

  first(clientFirst: string): ScramStep {
    // gs2 header: "n" (no channel binding) or "y" (client could, but thinks we cannot), no authzid.
    const m = /^([ny]),(a=[^,]*)?,(.*)$/.exec(clientFirst);
    if (m === null) {
      return { ok: false, reason: clientFirst.startsWith('p=') ? 'channel binding is not supported (the port has no TLS)' : 'malformed SCRAM client-first message' };
    }
    if (m[2] !== undefined) return { ok: false, reason: 'SCRAM authorization identities are not supported' };
    this.#gs2Header = `${m[1] as string},,`;
    this.#clientFirstBare = m[3] as string;
    const attrs = attributes(this.#clientFirstBare);
    const clientNonce = attrs.get('r');
    if (clientNonce === undefined || !PRINTABLE.test(clientNonce)) return { ok: false, reason: 'malformed SCRAM nonce' };
    if (attrs.has('m')) return { ok: false, reason: 'SCRAM extensions are not supported' };
    this.#nonce = clientNonce + this.serverNonce;
    this.#serverFirst = `r=${this.#nonce},s=${this.keys.salt.toString('base64')},i=${this.keys.iterations}`;
    return { ok: true, reply: this.#serverFirst };
  }

  final(clientFinal: string): ScramStep {
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (this.#serverFirst === '' || proofAt < 0) return { ok: false, reason: 'malformed SCRAM client-final message' };
    const withoutProof = clientFinal.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('c') !== Buffer.from(this.#gs2Header).toString('base64')) return { ok: false, reason: 'SCRAM channel binding check failed' };
    if (attrs.get('r') !== this.#nonce) return { ok: false, reason: 'SCRAM nonce does not match' };
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    if (proof.length !== 32) return { ok: false, reason: 'malformed SCRAM proof' };
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const signature = hmac(this.keys.storedKey, authMessage);
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = (proof[i] as number) ^ (signature[i] as number);
    if (!timingSafeEqual(sha256(clientKey), this.keys.storedKey)) return { ok: false, reason: 'password does not match' };
    return { ok: true, reply: `v=${hmac(this.keys.serverKey, authMessage).toString('base64')}` };
  }
}
