import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { derivedPassword, loginUrl, scramVerifier } from './logins.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('login passwords', () => {
  it('derives one password per role from the JWT secret, the same on every node', () => {
    assert.equal(derivedPassword(SECRET, 'authenticator'), derivedPassword(SECRET, 'authenticator'));
    assert.notEqual(derivedPassword(SECRET, 'authenticator'), derivedPassword(SECRET, 'supabase_auth_admin'));
    assert.notEqual(derivedPassword(SECRET, 'authenticator'), derivedPassword(`${SECRET}!`, 'authenticator'));
    assert.match(derivedPassword(SECRET, 'authenticator'), /^[A-Za-z0-9_-]{43}$/);
  });

  const cases: Array<[name: string, databaseUrl: string, role: string, user: string, password: string]> = [
    ['another role in the URL: the derived password', 'postgres://postgres:root@db.test:5433/app?sslmode=require', 'authenticator', 'authenticator', derivedPassword(SECRET, 'authenticator')],
    ['the role itself in the URL: its password', 'postgres://authenticator:s%40cret@db.test/app', 'authenticator', 'authenticator', 's@cret'],
    ['the role itself without a password: the derived one', 'postgres://authenticator@db.test/app', 'authenticator', 'authenticator', derivedPassword(SECRET, 'authenticator')],
    ["Auth's role beside an authenticator URL", 'postgres://authenticator:pw@db.test/app', 'supabase_auth_admin', 'supabase_auth_admin', derivedPassword(SECRET, 'supabase_auth_admin')],
  ];
  for (const [name, databaseUrl, role, user, password] of cases) {
    it(name, () => {
      const got = loginUrl(databaseUrl, role, SECRET);
      const u = new URL(got.url);
      assert.deepEqual([decodeURIComponent(u.username), decodeURIComponent(u.password), got.password], [user, password, password]);
      const given = new URL(databaseUrl);
      assert.deepEqual([u.host, u.pathname, u.search], [given.host, given.pathname, given.search], 'same server, database and options');
    });
  }
});

describe('SCRAM-SHA-256 verifiers', () => {
  it('has the form PostgreSQL stores', () => {
    assert.match(scramVerifier('pw'), /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(scramVerifier('pw'), scramVerifier('pw'), 'a new salt each time');
  });

  // RFC 7677's exchange for password "pencil": the client's proof must check out against the
  // StoredKey, and the server's signature made with the ServerKey must be the one given.
  it("verifies RFC 7677's example exchange", () => {
    const verifier = scramVerifier('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
    const m = /^SCRAM-SHA-256\$4096:([^$]+)\$([^:]+):(.+)$/.exec(verifier);
    assert.ok(m);
    const storedKey = Buffer.from(m[2] as string, 'base64');
    const serverKey = Buffer.from(m[3] as string, 'base64');
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    const proof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
    const signature = createHmac('sha256', storedKey).update(authMessage).digest();
    const clientKey = Buffer.from(proof.map((b, i) => b ^ (signature[i] as number)));
    assert.deepEqual(createHash('sha256').update(clientKey).digest(), storedKey);
    assert.equal(createHmac('sha256', serverKey).update(authMessage).digest('base64'), '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });
});
