// Inputs the fuzzer found answered with a 500 by Auth: each now gets a 4xx in GoTrue's error
// shape (malformed session_id claims, huge pagination numbers, huge ban durations, lone
// UTF-16 surrogates in bodies, tokens of users that do not exist, concurrent sign-ups).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ALICE, mintToken } from '../support/tokens.ts';

const exp = () => Math.floor(Date.now() / 1000) + 600;

describe(`Auth fuzzer cases (${dbKind})`, () => {
  let s: TestServer;
  let service: string;
  const call = (path: string, init: { method?: string; body?: string; token?: string } = {}) =>
    fetch(`${s.url}/auth/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        apikey: s.gw.keys.anon,
        'content-type': 'application/json',
        'x-supabase-api-version': '2024-01-01',
        ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
      },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
  const expectError = async (res: Response, status: number, code: string) => {
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, status, JSON.stringify(body));
    assert.equal(body['code'], code, JSON.stringify(body));
    assert.equal(typeof body['message'], 'string');
  };

  before(async () => {
    s = await startTestServer({ env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_PHONE_ENABLED: 'true', GROUNDWORK_AUTH_MFA_PHONE_ENROLL_ENABLED: 'true' } });
    service = await mintToken({ role: 'service_role', exp: exp() });
  });
  after(() => s.stop());

  it('answers a token whose session_id is not a UUID with 403 bad_jwt', async () => {
    const token = await mintToken({ sub: ALICE, role: 'authenticated', aud: 'authenticated', session_id: 'x', exp: exp() });
    await expectError(await call('/user', { token }), 403, 'bad_jwt');
    await expectError(await call('/user', { method: 'PUT', token, body: '{"data":{"a":1}}' }), 403, 'bad_jwt');
    await expectError(await call('/logout', { method: 'POST', token }), 403, 'bad_jwt');
    await expectError(await call('/factors', { method: 'POST', token, body: '{"factor_type":"totp"}' }), 403, 'bad_jwt');
  });

  it('refuses huge pagination numbers with 400 validation_failed', async () => {
    for (const page of ['99999999999999999999', '100000000000000000000', '1000000001']) {
      await expectError(await call(`/admin/users?page=${page}&per_page=1`, { token: service }), 400, 'validation_failed');
      await expectError(await call(`/admin/users?page=1&per_page=${page}`, { token: service }), 400, 'validation_failed');
    }
    const ok = await call('/admin/users?page=1000000000&per_page=1', { token: service });
    assert.equal(ok.status, 200);
  });

  it('refuses a ban duration past 100 years with 400 validation_failed', async () => {
    await expectError(await call('/admin/users', { method: 'POST', token: service, body: '{"email":"ban@example.com","ban_duration":"99999999999h"}' }), 400, 'validation_failed');
    const created = await call('/admin/users', { method: 'POST', token: service, body: '{"email":"ban@example.com","ban_duration":"24h"}' });
    assert.equal(created.status, 200);
    const { id } = (await created.json()) as { id: string };
    await expectError(await call(`/admin/users/${id}`, { method: 'PUT', token: service, body: '{"ban_duration":"1e308h"}' }), 400, 'validation_failed');
    await expectError(await call(`/admin/users/${id}`, { method: 'PUT', token: service, body: '{"ban_duration":"876001h"}' }), 400, 'validation_failed');
  });

  it('refuses lone UTF-16 surrogates in a body with 400 validation_failed', async () => {
    const bodies = [
      '{"email":"sur1@example.com","password":"correct horse","data":{"k":"\\udc00"}}',
      '{"email":"sur2@example.com","password":"correct horse","data":{"\\ud800":1}}',
      '{"email":"sur3@example.com","password":"correct horse","data":{"k":"a\\ud800b"}}',
      '{"email":"sur4@example.com","password":"correct horse","data":{"k":"\\ud800\\u0041"}}',
      '{"email":"sur5@example.com","password":"correct horse","data":{"k":["ok",{"deep":"\\udfff\\ud800"}]}}',
    ];
    for (const body of bodies) await expectError(await call('/signup', { method: 'POST', body }), 400, 'validation_failed');
    // A valid pair, escaped or raw, is fine.
    const ok = await call('/signup', { method: 'POST', body: '{"email":"pair@example.com","password":"correct horse","data":{"k":"\\ud83d\\ude00 😀"}}' });
    assert.equal(ok.status, 200);
  });

  it('answers a token of a user that does not exist with 403 user_not_found', async () => {
    const token = await mintToken({ sub: '33333333-3333-4333-8333-333333333333', role: 'authenticated', aud: 'authenticated', exp: exp() });
    await expectError(await call('/user', { method: 'PUT', token, body: '{"phone":"+15555550100"}' }), 403, 'user_not_found');
    await expectError(await call('/user', { method: 'PUT', token, body: '{"email":"ghost@example.com"}' }), 403, 'user_not_found');
  });

  it('answers concurrent sign-ups with one email like sequential ones', async () => {
    const body = JSON.stringify({ email: 'race@example.com', password: 'correct horse' });
    const answers = await Promise.all([1, 2, 3, 4].map(() => call('/signup', { method: 'POST', body })));
    const statuses = answers.map((r) => r.status).sort();
    assert.equal(statuses.filter((x) => x === 200).length, 1, statuses.join());
    for (const r of answers) if (r.status !== 200) await expectError(r, 422, 'user_already_exists');
    const invite = JSON.stringify({ email: 'race2@example.com' });
    const admins = await Promise.all([1, 2, 3, 4].map(() => call('/admin/users', { method: 'POST', token: service, body: invite })));
    assert.equal(admins.filter((r) => r.status === 200).length, 1, admins.map((r) => r.status).join());
    for (const r of admins) if (r.status !== 200) await expectError(r, 422, 'email_exists');
  });
});
