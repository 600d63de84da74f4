// Refresh-token rotation with a reuse interval, over HTTP: a token reused after the interval
// ends its whole session (every refresh token and the access tokens Auth checks), and a
// client that lost the answer to a refresh gets the same token again (GoTrue's semantics).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const password = 'correct horse';

interface Answer {
  readonly status: number;
  readonly body: { access_token?: string; refresh_token?: string; code?: string; message?: string };
}

function client(s: () => TestServer) {
  const call = async (path: string, init: RequestInit): Promise<Answer> => {
    const res = await fetch(`${s().url}/auth/v1${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', apikey: s().gw.keys.anon, 'x-supabase-api-version': '2024-01-01', ...(init.headers as Record<string, string>) },
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };
  return {
    signUp: (email: string) => call('/signup', { method: 'POST', body: JSON.stringify({ email, password }) }),
    signIn: (email: string) => call('/token?grant_type=password', { method: 'POST', body: JSON.stringify({ email, password }) }),
    refresh: (token: string | undefined) => call('/token?grant_type=refresh_token', { method: 'POST', body: JSON.stringify({ refresh_token: token }) }),
    user: (accessToken: string | undefined) => call('/user', { method: 'GET', headers: { authorization: `Bearer ${accessToken ?? ''}` } }),
  };
}

const ok = (a: Answer): string => {
  assert.equal(a.status, 200, JSON.stringify(a.body));
  return a.body.refresh_token as string;
};
const refused = (a: Answer) => [a.status, a.body.code];

describe(`Refresh-token reuse past the interval (${dbKind})`, () => {
  let s: TestServer;
  const auth = client(() => s);
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_REFRESH_REUSE_INTERVAL: '1' } });
  });
  after(() => s.stop());

  it('ends the session: every refresh token of it and its access tokens fail, other sessions live on', async () => {
    const first = await auth.signUp('reuse@example.com');
    const t1 = ok(first);
    const other = await auth.signIn('reuse@example.com');
    const r2 = await auth.refresh(t1);
    const t2 = ok(r2);
    const r3 = await auth.refresh(t2);
    const t3 = ok(r3);
    assert.equal((await auth.user(r3.body.access_token)).status, 200);

    await sleep(1300); // past the 1 s reuse interval of t1 (revoked when it was rotated)
    const reuse = await auth.refresh(t1);
    assert.deepEqual([reuse.status, reuse.body], [400, { code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' }]);

    // The detection happened within t3's own reuse interval: that must not keep t3 alive.
    assert.deepEqual(refused(await auth.refresh(t3)), [400, 'refresh_token_not_found'], 'the active token (the owner) is out too');
    assert.deepEqual(refused(await auth.refresh(t2)), [400, 'refresh_token_not_found']);
    assert.deepEqual(refused(await auth.refresh(t1)), [400, 'refresh_token_not_found']);
    for (const access of [first.body.access_token, r2.body.access_token, r3.body.access_token]) {
      assert.deepEqual(refused(await auth.user(access)), [403, 'session_not_found'], 'Auth checks the session of an access token');
    }

    // The user's other session is untouched.
    assert.equal((await auth.user(other.body.access_token)).status, 200);
    ok(await auth.refresh(other.body.refresh_token));
  });

  it('answers the immediate parent of the active token with that token even past the interval', async () => {
    const t1 = ok(await auth.signUp('late@example.com'));
    const t2 = ok(await auth.refresh(t1));
    await sleep(1300);
    const again = await auth.refresh(t1);
    assert.equal(ok(again), t2, 'the client lost the answer: the same token again');
    assert.equal((await auth.user(again.body.access_token)).status, 200);
    ok(await auth.refresh(t2));
  });
});

describe(`Refresh-token reuse within the interval (${dbKind})`, () => {
  let s: TestServer;
  const auth = client(() => s);
  before(async () => {
    // The default interval (10 s): every step below happens well within it.
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true' } });
  });
  after(() => s.stop());

  it('answers the immediate parent of the active token with the active token, not another child', async () => {
    const t1 = ok(await auth.signUp('retry@example.com'));
    const r2 = await auth.refresh(t1);
    const t2 = ok(r2);
    const again = await auth.refresh(t1);
    assert.equal(ok(again), t2, 'the client lost the answer: the same token again');
    assert.notEqual(again.body.access_token, undefined);
    assert.equal((await auth.user(again.body.access_token)).status, 200);
    const t3 = ok(await auth.refresh(t2));
    assert.notEqual(t3, t2);
    ok(await auth.refresh(t3));
  });

  it('answers concurrent refreshes with one token the same new token', async () => {
    const t1 = ok(await auth.signUp('tabs@example.com'));
    const answers = await Promise.all([auth.refresh(t1), auth.refresh(t1), auth.refresh(t1)]);
    const tokens = new Set(answers.map(ok));
    assert.equal(tokens.size, 1, `one child for all: ${[...tokens].join(', ')}`);
  });

  it('gives an older ancestor reused within the interval a new child of its own (GoTrue)', async () => {
    const t1 = ok(await auth.signUp('ancestor@example.com'));
    const t2 = ok(await auth.refresh(t1));
    const t3 = ok(await auth.refresh(t2));
    const fromT1 = ok(await auth.refresh(t1));
    assert.ok(![t1, t2, t3].includes(fromT1), 'not the active token: t1 is not its parent');
    // Both lines of the session live on (concurrent tabs), and neither is reuse.
    ok(await auth.refresh(fromT1));
    ok(await auth.refresh(t3));
  });
});
