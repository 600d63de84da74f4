import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ScramExchange, scramKeys } from './scram.ts';

// RFC 7677 section 3: password "pencil", salt and nonces as given there.
const keys = scramKeys('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
const SERVER_NONCE = '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const CLIENT_FINAL = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';

it("answers RFC 7677's example exchange with its server signature", () => {
  const x = new ScramExchange(keys, SERVER_NONCE);
  assert.deepEqual(x.first('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'), { ok: true, reply: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096' });
  assert.deepEqual(x.final(CLIENT_FINAL), { ok: true, reply: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=' });
});

it('refuses a proof made with another password', () => {
  const x = new ScramExchange(scramKeys('not pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64')), SERVER_NONCE);
  assert.equal(x.first('n,,n=user,r=rOprNGfwEbeRWgbNEkqO').ok, true);
  assert.deepEqual(x.final(CLIENT_FINAL), { ok: false, reason: 'password does not match' });
});

it('refuses channel binding, authorization identities, a changed nonce or header, and a final before a first', () => {
  assert.equal(new ScramExchange(keys).first('p=tls-server-end-point,,n=,r=abc').ok, false);
  assert.equal(new ScramExchange(keys).first('n,a=admin,n=,r=abc').ok, false);
  assert.equal(new ScramExchange(keys).final(CLIENT_FINAL).ok, false);
  const x = new ScramExchange(keys, SERVER_NONCE);
  x.first('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
  assert.deepEqual(x.final(CLIENT_FINAL.replace('r=rOpr', 'r=XOpr')), { ok: false, reason: 'SCRAM nonce does not match' });
  const y = new ScramExchange(keys, SERVER_NONCE);
  y.first('y,,n=user,r=rOprNGfwEbeRWgbNEkqO');
  assert.deepEqual(y.final(CLIENT_FINAL), { ok: false, reason: 'SCRAM channel binding check failed' });
});
