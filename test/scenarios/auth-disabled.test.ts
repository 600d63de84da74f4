// Auth features Groundwork does not offer answer as Supabase Auth does when they are off:
// supabase-js gets a stable error code, never a 404 page or a 500.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';

const blog = join(import.meta.dirname, '../../examples/blog');

describe(`Auth features that are off (${dbKind})`, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true' } });
  });
  after(() => s.stop());
  const errorOf = (r: { error: unknown }) => {
    const e = r.error as { status?: number; code?: string } | null;
    return e === null ? null : [e.status, e.code];
  };

  it('refuses OIDC id tokens naming the provider issuer: 400 provider_disabled', async () => {
    const r = await supabase(s.url, s.gw.keys.anon).auth.signInWithIdToken({ provider: 'google', token: 'mock-id-token' });
    assert.deepEqual(errorOf(r), [400, 'provider_disabled']);
    assert.match((r.error as { message: string }).message, /not enabled/);
  });

  it('refuses SAML single sign-on: 404 saml_provider_disabled', async () => {
    const r = await supabase(s.url, s.gw.keys.anon).auth.signInWithSSO({ domain: 'example.com' });
    assert.deepEqual(errorOf(r), [404, 'saml_provider_disabled']);
  });

  it('refuses WebAuthn and phone factors: 422 mfa_webauthn_enroll_not_enabled / mfa_phone_enroll_not_enabled', async () => {
    const c = supabase(s.url, s.gw.keys.anon);
    await c.auth.signUp({ email: 'mfa@example.com', password: 'correct horse' });
    assert.deepEqual(errorOf(await c.auth.mfa.enroll({ factorType: 'webauthn', friendlyName: 'key' })), [422, 'mfa_webauthn_enroll_not_enabled']);
    assert.deepEqual(errorOf(await c.auth.mfa.enroll({ factorType: 'phone', phone: '+15555550100' })), [422, 'mfa_phone_enroll_not_enabled']);
  });

  it('refuses identity linking: 404 manual_linking_disabled', async () => {
    const c = supabase(s.url, s.gw.keys.anon);
    await c.auth.signUp({ email: 'link@example.com', password: 'correct horse' });
    const linked = await c.auth.linkIdentity({ provider: 'github', options: { skipBrowserRedirect: true } });
    assert.deepEqual(errorOf(linked), [404, 'manual_linking_disabled']);
    const { data } = await c.auth.getUserIdentities();
    const identity = data?.identities[0];
    assert.ok(identity);
    assert.deepEqual(errorOf(await c.auth.unlinkIdentity(identity)), [404, 'manual_linking_disabled']);
  });

  it('checks phone codes: a malformed number is 400, any code 403 (no SMS codes are sent)', async () => {
    const c = supabase(s.url, s.gw.keys.anon);
    const bad = await c.auth.verifyOtp({ phone: '555-invalid', token: '123456', type: 'sms' });
    assert.deepEqual(errorOf(bad), [400, 'validation_failed']);
    assert.equal((bad.error as { message: string }).message, 'Invalid phone number format (E.164 required)');
    assert.deepEqual(errorOf(await c.auth.verifyOtp({ phone: '+15551234567', token: '123456', type: 'sms' })), [403, 'otp_expired']);
  });

  const raw: Array<[string, string, string, number, string]> = [
    ['GET', '/authorize?provider=github', '', 400, 'validation_failed'],
    ['POST', '/token?grant_type=web3', '{"chain":"ethereum"}', 422, 'web3_provider_disabled'],
    ['POST', '/passkeys/registration/options', '{}', 404, 'passkey_disabled'],
    ['GET', '/admin/oauth/clients', '', 404, 'feature_disabled'],
  ];
  for (const [method, path, body, status, code] of raw) {
    it(`answers ${method} ${path.split('?')[0]} with ${status} ${code}`, async () => {
      const res = await fetch(`${s.url}/auth/v1${path}`, { method, headers: { apikey: s.gw.keys.anon, 'content-type': 'application/json' }, ...(body === '' ? {} : { body }) });
      assert.deepEqual([res.status, res.headers.get('x-sb-error-code')], [status, code]);
    });
  }
});
