// Auth's limits on input (README "Limits"): bodies too deep or holding NUL, metadata too
// large for an access token, and rate-limit keys that no email, phone or address can
// make too long for their index.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError } from './errors.ts';
import { storedKey } from './store/rate-limits.ts';
import { checkBody, checkMetadataSize, METADATA_MAX_BYTES } from './validate.ts';

const refused = (fn: () => unknown, status: number, code: string, message: RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AuthError, `not an AuthError: ${String(e)}`);
    assert.equal(e.status, status);
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;
/** The body as the parser hands it over: its text and its value. */
const check = (body: unknown) => checkBody(JSON.stringify(body), body);

describe('Auth bodies', () => {
  it('accept 512 levels of JSON and refuse deeper, however deep', () => {
    check({ data: { a: nested(510) } });
    for (const depth of [511, 5000, 200_000]) refused(() => checkBody(`{"data":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`, {}), 400, 'validation_failed', /^JSON nested deeper than 512 levels$/);
  });
  it('refuse NUL anywhere: PostgreSQL text cannot hold it', () => {
    for (const body of [{ email: 'a\u0000@b.io' }, { password: 'secret\u0000' }, { data: { k: ['\u0000'] } }, { data: { 'k\u0000': 1 } }]) {
      refused(() => check(body), 400, 'validation_failed', /NUL/);
    }
  });
  it('refuse metadata fields that could not ride in an access token', () => {
    check({ data: { a: 'x'.repeat(METADATA_MAX_BYTES - 10) } });
    for (const field of ['data', 'user_metadata', 'app_metadata']) {
      refused(() => check({ [field]: { a: 'x'.repeat(METADATA_MAX_BYTES) } }), 400, 'validation_failed', /^user_metadata and app_metadata together may take at most 8192 bytes/);
    }
  });
});

describe('metadata size', () => {
  it('counts user_metadata and app_metadata together, in UTF-8 bytes of JSON', () => {
    checkMetadataSize({ a: 'x'.repeat(4000) }, { b: 'y'.repeat(4000) });
    refused(() => checkMetadataSize({ a: 'x'.repeat(4100) }, { b: 'y'.repeat(4100) }), 400, 'validation_failed', /\(8216 bytes\)/);
    refused(() => checkMetadataSize({ a: 'é'.repeat(4100) }, {}), 400, 'validation_failed', /8192/);
  });
});

describe('rate-limit keys', () => {
  it('stay readable when short', () => {
    assert.equal(storedKey('signup:email:ada@example.com'), 'signup:email:ada@example.com');
    assert.equal(storedKey('email-sent'), 'email-sent');
  });
  it('become a SHA-256 (keeping the action and kind) when long or holding NUL', () => {
    const long = storedKey(`signup:email:${'a'.repeat(3000)}@x.io`);
    assert.match(long, /^signup:email:sha256:[0-9a-f]{64}$/);
    assert.notEqual(long, storedKey(`signup:email:${'a'.repeat(3001)}@x.io`));
    assert.match(storedKey('sign-in:phone:1\u00002'), /^sign-in:phone:sha256:[0-9a-f]{64}$/);
    assert.match(storedKey(`token:ip:${'f'.repeat(5000)}`), /^token:ip:sha256:/);
    assert.match(storedKey('x'.repeat(5000)), /^sha256:[0-9a-f]{64}$/);
  });
});
