// Phone auth driven through supabase-js: sign-up with a phone and password confirmed by SMS
// code, password sign-in by phone, SMS codes (signInWithOtp), resending, phone changes,
// test numbers with a fixed code, the admin API with phones, and the refusals (wrong,
// expired and reused codes, bad numbers, taken numbers, rate limits, phone switched off).
// SMS are read back from the outbox through the service-role admin endpoint.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../../src/lib/sql.ts';
import { tokenHash } from '../../src/auth/codes/otp.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { lastSms, outbox } from '../support/outbox.ts';
import type { OutgoingSms, SmsProvider } from '../../src/sms/provider.ts';
import { startSmsSender } from '../../src/sms/sender.ts';

const password = 'correct horse';
const errorOf = (r: { error: unknown }) => {
  const e = r.error as { status?: number; code?: string } | null;
  return e === null ? null : [e.status, e.code];
};
const claimsOf = (token: string | undefined) => JSON.parse(Buffer.from((token ?? '').split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
const smsCount = async (s: TestServer) => (await outbox(s)).filter((m) => m.channel === 'sms').length;

describe(`Auth phone flows (${dbKind})`, () => {
  let s: TestServer;
  const client = () => supabase(s.url, s.gw.keys.anon);
  const admin = () => supabase(s.url, s.gw.keys.serviceRole).auth.admin;
  before(async () => {
    s = await startTestServer({ env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'false', GROUNDWORK_AUTH_PHONE_ENABLED: 'true', GROUNDWORK_AUTH_SMS_TEST_OTP: '1234567890=123456' } });
  });
  after(() => s.stop());

  it('reports phone sign-in in /settings', async () => {
    const res = await fetch(`${s.url}/auth/v1/settings`);
    const settings = (await res.json()) as { external: { phone: boolean }; phone_autoconfirm: boolean; sms_provider: string };
    assert.deepEqual([settings.external.phone, settings.phone_autoconfirm, settings.sms_provider], [true, false, 'outbox']);
  });

  it('signs up with a phone and password: no session, a phone identity, an SMS code queued', async () => {
    const { data, error } = await client().auth.signUp({ phone: '+44 7700 900123', password, options: { data: { name: 'Ada' } } });
    assert.equal(error, null);
    assert.equal(data.session, null);
    assert.equal(data.user?.phone, '447700900123');
    assert.equal(data.user?.phone_confirmed_at, undefined);
    assert.deepEqual(data.user?.app_metadata, { provider: 'phone', providers: ['phone'] });
    assert.deepEqual(data.user?.identities?.map((i) => [i.provider, i.identity_data?.['phone'], i.identity_data?.['name']]), [['phone', '447700900123', 'Ada']]);
    const sms = await lastSms(s, '447700900123');
    assert.equal(sms.kind, 'confirmation');
    const logged = s.events.find((e) => e.type === 'sms' && e.to === '447700900123');
    assert.equal(logged?.type === 'sms' ? logged.body : undefined, `Your code is ${sms.code}`, 'no provider: the log shows the code');
  });

  it('refuses password sign-in until the phone is confirmed', async () => {
    assert.deepEqual(errorOf(await client().auth.signInWithPassword({ phone: '+447700900123', password })), [400, 'phone_not_confirmed']);
  });

  it('refuses a wrong code (403 otp_expired) and a malformed number (400, Supabase Auth’s text)', async () => {
    const { code } = await lastSms(s, '447700900123');
    const wrong = code === '000000' ? '000001' : '000000';
    assert.deepEqual(errorOf(await client().auth.verifyOtp({ phone: '447700900123', token: wrong, type: 'sms' })), [403, 'otp_expired']);
    const bad = await client().auth.verifyOtp({ phone: '12ab', token: code, type: 'sms' });
    assert.deepEqual(errorOf(bad), [400, 'validation_failed']);
    assert.equal(bad.error?.message, 'Invalid phone number format (E.164 required)');
    assert.deepEqual(errorOf(await client().auth.verifyOtp({ phone: '15550000000', token: code, type: 'sms' })), [403, 'otp_expired'], 'unknown number');
    assert.deepEqual(errorOf(await client().auth.signUp({ phone: '0044 1', password })), [400, 'validation_failed']);
  });

  it('confirms the phone with the SMS code and signs in, once', async () => {
    const { code } = await lastSms(s, '447700900123');
    const { data, error } = await client().auth.verifyOtp({ phone: '+44 7700 900123', token: code, type: 'sms' });
    assert.equal(error, null);
    assert.match(data.user?.phone_confirmed_at ?? '', /^\d{4}-/);
    assert.equal(claimsOf(data.session?.access_token)['phone'], '447700900123');
    assert.deepEqual(errorOf(await client().auth.verifyOtp({ phone: '447700900123', token: code, type: 'sms' })), [403, 'otp_expired'], 'a code works once');
  });

  it('texts the reauthentication nonce to a user with only a phone, once a minute', async () => {
    const c = client();
    assert.equal((await c.auth.signInWithPassword({ phone: '447700900123', password })).error, null);
    assert.equal((await c.auth.reauthenticate()).error, null);
    const sms = await lastSms(s, '447700900123');
    assert.equal(sms.kind, 'reauthentication');
    const stored = await s.gw.db.admin.query<{ token: string }>(sql`select reauthentication_token as token from auth.users where phone = '447700900123'`);
    assert.equal(stored.rows[0]?.token, tokenHash('447700900123', sms.code), 'the nonce is kept hashed with the phone');
    assert.deepEqual(errorOf(await c.auth.reauthenticate()), [429, 'over_sms_send_rate_limit']);
  });

  it('signs in with phone and password (+ and spaces ignored), refusing a wrong password', async () => {
    const { data, error } = await client().auth.signInWithPassword({ phone: '+44 7700 900 123', password });
    assert.equal(error, null);
    assert.equal(data.user?.phone, '447700900123');
    assert.equal((claimsOf(data.session?.access_token)['amr'] as Array<{ method: string }>)[0]?.method, 'password');
    assert.deepEqual(errorOf(await client().auth.signInWithPassword({ phone: '447700900123', password: 'wrong password' })), [400, 'invalid_credentials']);
    assert.deepEqual(errorOf(await client().auth.signInWithPassword({ phone: '447700900999', password })), [400, 'invalid_credentials']);
  });

  it('answers a repeated sign-up of a confirmed phone with a look-alike user, sending nothing', async () => {
    const before = await smsCount(s);
    const { data, error } = await client().auth.signUp({ phone: '447700900123', password: 'another one' });
    assert.equal(error, null);
    assert.equal(data.session, null);
    assert.equal(data.user?.phone, '447700900123');
    assert.equal(data.user?.phone_confirmed_at, undefined);
    assert.deepEqual(data.user?.identities, []);
    const real = await client().auth.signInWithPassword({ phone: '447700900123', password });
    assert.notEqual(data.user?.id, real.data.user?.id);
    assert.equal(await smsCount(s), before);
  });

  it('sends one SMS per minute per purpose (429 over_sms_send_rate_limit), for resends and repeated sign-ups alike', async () => {
    await client().auth.signUp({ phone: '447700900200', password });
    const before = await smsCount(s);
    const resent = await client().auth.resend({ type: 'sms', phone: '447700900200' });
    assert.deepEqual(errorOf(resent), [429, 'over_sms_send_rate_limit']);
    assert.match(resent.error?.message ?? '', /after \d+ seconds/);
    assert.deepEqual(errorOf(await client().auth.signUp({ phone: '447700900200', password })), [429, 'over_sms_send_rate_limit']);
    assert.deepEqual(errorOf(await client().auth.signInWithOtp({ phone: '447700900200' })), [429, 'over_sms_send_rate_limit']);
    assert.equal(await smsCount(s), before);
    const nothing = await client().auth.resend({ type: 'sms', phone: '447700900123' });
    assert.deepEqual([nothing.error, nothing.data.messageId], [null, undefined], 'a confirmed number has nothing to resend');
  });

  it('signs a new number up by SMS code, unless told not to create users', async () => {
    assert.deepEqual(errorOf(await client().auth.signInWithOtp({ phone: '447700900300', options: { shouldCreateUser: false } })), [422, 'otp_disabled']);
    const asked = await client().auth.signInWithOtp({ phone: '+447700900300' });
    assert.equal(asked.error, null);
    const sms = await lastSms(s, '447700900300');
    assert.equal(asked.data.messageId, String(sms.id), 'the message id is the outbox row');
    const { data, error } = await client().auth.verifyOtp({ phone: '447700900300', token: sms.code, type: 'sms' });
    assert.equal(error, null);
    assert.match(data.user?.phone_confirmed_at ?? '', /^\d{4}-/);
    assert.equal((claimsOf(data.session?.access_token)['amr'] as Array<{ method: string }>)[0]?.method, 'otp');
  });

  it('signs a confirmed number in by SMS code', async () => {
    const created = await admin().createUser({ phone: '447700900350', phone_confirm: true });
    assert.equal(created.error, null);
    const asked = await client().auth.signInWithOtp({ phone: '447700900350' });
    assert.equal(asked.error, null);
    const { code } = await lastSms(s, '447700900350');
    const { data, error } = await client().auth.verifyOtp({ phone: '447700900350', token: code, type: 'sms' });
    assert.equal(error, null);
    assert.equal(data.user?.id, created.data.user?.id);
  });

  it('refuses WhatsApp, which the outbox cannot send', async () => {
    assert.deepEqual(errorOf(await client().auth.signInWithOtp({ phone: '447700900400', options: { channel: 'whatsapp' } })), [400, 'validation_failed']);
  });

  it('accepts a test number\'s fixed code, queueing no SMS for it', async () => {
    const before = await smsCount(s);
    const asked = await client().auth.signInWithOtp({ phone: '+1 234 567 890' });
    assert.equal(asked.error, null);
    assert.equal(asked.data.messageId, 'test-otp');
    assert.equal(await smsCount(s), before);
    assert.deepEqual(errorOf(await client().auth.verifyOtp({ phone: '1234567890', token: '654321', type: 'sms' })), [403, 'otp_expired']);
    const { data, error } = await client().auth.verifyOtp({ phone: '+1234567890', token: '123456', type: 'sms' });
    assert.equal(error, null);
    assert.equal(data.user?.phone, '1234567890');
    const again = await client().auth.verifyOtp({ phone: '1234567890', token: '123456', type: 'sms' });
    assert.equal(again.error, null, 'a test code keeps working');
  });

  it('changes a phone: code to the new number, applied by verify type phone_change', async () => {
    const c = client();
    await c.auth.signInWithPassword({ phone: '447700900123', password });
    const { data, error } = await c.auth.updateUser({ phone: '+44 7700 900500' });
    assert.equal(error, null);
    assert.deepEqual([data.user?.phone, data.user?.new_phone], ['447700900123', '447700900500']);
    assert.match(String((data.user as unknown as Record<string, unknown> | null)?.['phone_change_sent_at']), /^\d{4}-/);
    const sms = await lastSms(s, '447700900500');
    assert.equal(sms.kind, 'phone_change');
    assert.deepEqual(errorOf(await client().auth.resend({ type: 'phone_change', phone: '447700900500' })), [429, 'over_sms_send_rate_limit']);
    assert.deepEqual(errorOf(await client().auth.verifyOtp({ phone: '447700900500', token: sms.code, type: 'sms' })), [403, 'otp_expired'], 'not an sms code');
    const verified = await client().auth.verifyOtp({ phone: '447700900500', token: sms.code, type: 'phone_change' });
    assert.equal(verified.error, null);
    assert.equal(verified.data.user?.phone, '447700900500');
    assert.equal(verified.data.user?.new_phone, undefined);
    assert.deepEqual(verified.data.user?.identities?.map((i) => [i.provider, i.identity_data?.['phone']]), [['phone', '447700900500']]);
    assert.equal(errorOf(await client().auth.signInWithPassword({ phone: '447700900500', password })), null);
    assert.deepEqual(errorOf(await client().auth.signInWithPassword({ phone: '447700900123', password })), [400, 'invalid_credentials']);
  });

  it('refuses a phone change to a number another user has (422 phone_exists)', async () => {
    const c = client();
    await c.auth.signInWithPassword({ phone: '447700900500', password });
    const r = await c.auth.updateUser({ phone: '447700900300' });
    assert.deepEqual(errorOf(r), [422, 'phone_exists']);
    assert.deepEqual(errorOf(await c.auth.updateUser({ phone: 'nope' })), [400, 'validation_failed']);
  });

  it('adds a phone to an email user as a second identity', async () => {
    const created = await admin().createUser({ email: 'grace@example.com', password, email_confirm: true });
    assert.equal(created.error, null);
    const c = client();
    await c.auth.signInWithPassword({ email: 'grace@example.com', password });
    await c.auth.updateUser({ phone: '447700900600' });
    const { code } = await lastSms(s, '447700900600');
    const { data, error } = await c.auth.verifyOtp({ phone: '447700900600', token: code, type: 'phone_change' });
    assert.equal(error, null);
    assert.deepEqual(data.user?.app_metadata['providers'], ['email', 'phone']);
    assert.deepEqual(data.user?.identities?.map((i) => i.provider), ['email', 'phone']);
  });

  it('creates and updates users with phones through the admin API', async () => {
    const { data, error } = await admin().createUser({ phone: '+49 151 1234567', password, phone_confirm: true, user_metadata: { team: 'a' } });
    assert.equal(error, null);
    assert.equal(data.user?.phone, '491511234567');
    assert.match(data.user?.phone_confirmed_at ?? '', /^\d{4}-/);
    assert.deepEqual(data.user?.app_metadata, { provider: 'phone', providers: ['phone'] });
    assert.deepEqual(data.user?.user_metadata, { team: 'a' });
    assert.equal(errorOf(await client().auth.signInWithPassword({ phone: '491511234567', password })), null);
    const taken = await admin().createUser({ phone: '491511234567' });
    assert.deepEqual(errorOf(taken), [422, 'phone_exists']);
    assert.equal(taken.error?.message, 'Phone number already registered by another user');
    assert.deepEqual(errorOf(await admin().createUser({ phone: '12ab' })), [400, 'validation_failed']);

    const both = await admin().createUser({ email: 'both@example.com', phone: '491511234568', password });
    assert.deepEqual(both.data.user?.app_metadata, { provider: 'email', providers: ['email', 'phone'] });
    assert.equal(both.data.user?.phone_confirmed_at, undefined);
    assert.deepEqual(errorOf(await client().auth.signInWithPassword({ phone: '491511234568', password })), [400, 'phone_not_confirmed']);
    const updated = await admin().updateUserById(both.data.user?.id ?? '', { phone: '+49 151 1234569', phone_confirm: true });
    assert.equal(updated.error, null);
    assert.equal(updated.data.user?.phone, '491511234569');
    assert.match(updated.data.user?.phone_confirmed_at ?? '', /^\d{4}-/);
    assert.equal(errorOf(await client().auth.signInWithPassword({ phone: '491511234569', password })), null);
    assert.deepEqual(errorOf(await admin().updateUserById(both.data.user?.id ?? '', { phone: '491511234567' })), [422, 'phone_exists']);
  });

  it('hands queued SMS to a provider after commit, each once, with two nodes draining the outbox', async () => {
    const queued = (await outbox(s)).filter((m) => m.channel === 'sms' && m.status === 'pending').length;
    assert.ok(queued > 5, `${queued} SMS queued by the flows above`);
    const sent: OutgoingSms[] = [];
    const provider: SmsProvider = { name: 'recording', send: (sms) => Promise.resolve(`m${sent.push(sms)}`) };
    const nodes = await Promise.all([1, 2].map(() => startSmsSender({ db: s.gw.db.auth, provider, observe: () => undefined })));
    try {
      const deadline = Date.now() + 10_000;
      while ((await outbox(s)).some((m) => m.channel === 'sms' && m.status !== 'sent')) {
        assert.ok(Date.now() < deadline, 'every SMS sent in time');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
    assert.equal(sent.length, queued);
    assert.equal(new Set(sent.map((m) => m.id)).size, queued, 'no SMS sent twice');
    assert.ok(sent.some((m) => m.to === '447700900600' && /^Your code is \d{6}$/.test(m.body)));
  });
});

describe(`Auth phone limits and expiry (${dbKind})`, () => {
  let s: TestServer;
  const from = (ip: string) => supabase(s.url, s.gw.keys.anon, undefined, { 'x-forwarded-for': ip });
  before(async () => {
    s = await startTestServer({
      env: { GROUNDWORK_AUTH_PHONE_ENABLED: 'true', GROUNDWORK_AUTH_SMS_OTP_EXPIRY: '0', GROUNDWORK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: '2', GROUNDWORK_AUTH_RATE_LIMIT_HEADER: 'X-Forwarded-For' },
    });
  });
  after(() => s.stop());

  it('refuses an expired code', async () => {
    assert.equal(errorOf(await from('10.0.0.1').auth.signInWithOtp({ phone: '447700900700' })), null);
    const { code } = await lastSms(s, '447700900700');
    assert.deepEqual(errorOf(await from('10.0.0.1').auth.verifyOtp({ phone: '447700900700', token: code, type: 'sms' })), [403, 'otp_expired']);
  });

  it('limits SMS-code requests per phone, whatever the address or spelling', async () => {
    assert.equal(errorOf(await from('10.1.0.1').auth.signInWithOtp({ phone: '447700900800' })), null);
    assert.deepEqual(errorOf(await from('10.1.0.2').auth.signInWithOtp({ phone: '+44 7700 900800' })), [429, 'over_sms_send_rate_limit']);
    assert.deepEqual(errorOf(await from('10.1.0.3').auth.signInWithOtp({ phone: '+447700900800' })), [429, 'over_request_rate_limit']);
    assert.equal(errorOf(await from('10.1.0.3').auth.signInWithOtp({ phone: '447700900801' })), null, 'another number from that address');
  });
});

describe(`Auth phone autoconfirm and switched off (${dbKind})`, () => {
  let on: TestServer;
  let off: TestServer;
  before(async () => {
    // `on` also has no SMS outbox and no provider: only its test number can get a code.
    on = await startTestServer({
      env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'false', GROUNDWORK_AUTH_PHONE_ENABLED: 'true', GROUNDWORK_AUTH_PHONE_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_SMS_OUTBOX: 'false', GROUNDWORK_AUTH_SMS_TEST_OTP: '15555550123=654321' },
    });
    off = await startTestServer();
  });
  after(async () => {
    await on.stop();
    await off.stop();
  });

  it('with phone autoconfirm, signs up with a session, refuses a second sign-up, applies phone changes at once', async () => {
    const c = supabase(on.url, on.gw.keys.anon);
    const { data, error } = await c.auth.signUp({ phone: '447700900900', password });
    assert.equal(error, null);
    assert.ok(data.session?.access_token);
    assert.match(data.user?.phone_confirmed_at ?? '', /^\d{4}-/);
    assert.equal(await smsCount(on), 0);
    assert.deepEqual(errorOf(await supabase(on.url, on.gw.keys.anon).auth.signUp({ phone: '447700900900', password })), [422, 'user_already_exists']);
    const changed = await c.auth.updateUser({ phone: '447700900901' });
    assert.equal(changed.error, null);
    assert.deepEqual([changed.data.user?.phone, changed.data.user?.new_phone], ['447700900901', undefined]);
  });

  it('without an SMS outbox or provider, refuses codes to real numbers but not to test numbers', async () => {
    const c = supabase(on.url, on.gw.keys.anon);
    // A 5xx reaches supabase-js as a retryable error without code or text; the body has Supabase Auth's.
    assert.equal((await c.auth.signInWithOtp({ phone: '447700900920' })).error?.status, 500);
    assert.equal((await c.auth.signInWithOtp({ phone: '447700900901' })).error?.status, 500, 'a known number answers alike');
    const raw = await fetch(`${on.url}/auth/v1/otp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"phone":"447700900921"}' });
    assert.deepEqual([raw.status, ((await raw.json()) as { msg: string }).msg], [500, 'Unable to get SMS provider']);
    assert.equal(errorOf(await c.auth.signInWithOtp({ phone: '15555550123' })), null);
    assert.equal(errorOf(await c.auth.verifyOtp({ phone: '15555550123', token: '654321', type: 'sms' })), null);
    assert.equal(await smsCount(on), 0);
    const settings = (await (await fetch(`${on.url}/auth/v1/settings`)).json()) as { sms_provider: string };
    assert.equal(settings.sms_provider, '');
  });

  it('keeps email confirmations private when only phones autoconfirm', async () => {
    const admin = supabase(on.url, on.gw.keys.serviceRole);
    assert.equal((await admin.auth.admin.createUser({ email: 'taken@example.com', password, email_confirm: true })).error, null);
    const again = await supabase(on.url, on.gw.keys.anon).auth.signUp({ email: 'taken@example.com', password });
    assert.equal(again.error, null, 'no user_already_exists: email sign-ups still need confirming');
    assert.deepEqual(again.data.user?.identities, []);
  });

  it('with phone sign-in off (the default), refuses phone sign-up, codes and sign-in', async () => {
    const c = supabase(off.url, off.gw.keys.anon);
    const settings = (await (await fetch(`${off.url}/auth/v1/settings`)).json()) as { external: { phone: boolean }; sms_provider: string };
    assert.deepEqual([settings.external.phone, settings.sms_provider], [false, '']);
    assert.deepEqual(errorOf(await c.auth.signUp({ phone: '447700900910', password })), [400, 'phone_provider_disabled']);
    assert.deepEqual(errorOf(await c.auth.signInWithOtp({ phone: '447700900910' })), [400, 'phone_provider_disabled']);
    assert.deepEqual(errorOf(await c.auth.signInWithPassword({ phone: '447700900910', password })), [422, 'phone_provider_disabled']);
  });
});
