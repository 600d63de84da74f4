// Asymmetric signing keys (RS256, ES256) from a JWK set file, as Supabase's
// `signing_keys.json`: the first private key signs access tokens; every key verifies tokens
// with its `kid`; the public halves are published at /auth/v1/.well-known/jwks.json.
import { createPrivateKey, createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

export type Algorithm = 'RS256' | 'ES256';

export interface SigningKey {
  readonly kid: string;
  readonly alg: Algorithm;
  readonly key: KeyObject;
}

export interface KeySet {
  /** The key that signs access tokens, when one was given. */
  readonly signer: SigningKey | undefined;
  readonly verifiers: ReadonlyMap<string, SigningKey>;
  /** Public JWKs (private members removed) for the JWKS endpoint. */
  readonly published: readonly Record<string, unknown>[];
}

export const EMPTY_KEY_SET: KeySet = { signer: undefined, verifiers: new Map(), published: [] };

const jwk = z.looseObject({ kty: z.enum(['RSA', 'EC']), kid: z.string().min(1), alg: z.enum(['RS256', 'ES256']).optional(), crv: z.string().optional() });
const file = z.union([z.array(jwk), z.object({ keys: z.array(jwk) })]);
const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'key_ops']);

/** Builds the key set from a parsed JWK set; throws with a message naming the bad key. */
export function keySetFrom(json: unknown): KeySet {
  const parsed = file.safeParse(json);
  if (!parsed.success) throw new Error(`not a JWK set: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim());
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.keys;
  let signer: SigningKey | undefined;
  const verifiers = new Map<string, SigningKey>();
  const published: Record<string, unknown>[] = [];
  for (const k of list) {
    const alg: Algorithm = k.alg ?? (k.kty === 'RSA' ? 'RS256' : 'ES256');
    if ((alg === 'RS256') !== (k.kty === 'RSA') || (alg === 'ES256' && k.crv !== 'P-256')) throw new Error(`key ${k.kid}: ${alg} does not fit a ${k.kty} key`);
    const isPrivate = typeof k['d'] === 'string';
    const pub = Object.fromEntries(Object.entries(k).filter(([name]) => !PRIVATE_MEMBERS.has(name)));
    const publicKey = createPublicKey({ key: pub as JsonWebKey, format: 'jwk' });
    verifiers.set(k.kid, { kid: k.kid, alg, key: publicKey });
    published.push({ ...pub, alg, use: 'sig', key_ops: ['verify'] });
    if (isPrivate && signer === undefined) signer = { kid: k.kid, alg, key: createPrivateKey({ key: k as JsonWebKey, format: 'jwk' }) };
  }
  return { signer, verifiers, published };
}

const DIGEST = 'sha256';
// JWS wants ECDSA signatures as r||s, not DER.
const options = (k: SigningKey) => (k.alg === 'ES256' ? { key: k.key, dsaEncoding: 'ieee-p1363' as const } : k.key);

export function signAsymmetric(payload: Readonly<Record<string, unknown>>, k: SigningKey): string {
  const h = Buffer.from(JSON.stringify({ alg: k.alg, kid: k.kid, typ: 'JWT' })).toString('base64url');
  const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${h}.${p}.${sign(DIGEST, Buffer.from(`${h}.${p}`), options(k)).toString('base64url')}`;
}

/** Whether the token's signature is right for the key its header names. */
export function verifyAsymmetric(token: string, alg: string, kid: unknown, keys: KeySet): boolean {
  const k = typeof kid === 'string' ? keys.verifiers.get(kid) : undefined;
  if (k === undefined || k.alg !== alg) return false;
  const [h = '', p = '', s = ''] = token.split('.');
  return verify(DIGEST, Buffer.from(`${h}.${p}`), options(k), Buffer.from(s, 'base64url'));
}
