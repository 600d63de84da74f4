// Auth's SMS delivered through the webhook provider to an in-process HTTP receiver, driven
// through supabase-js: the signed JSON request with the number and the code, which then
// verifies; and a provider that answers 500 at first, whose SMS waits in the outbox with
// its error and is delivered on a later attempt.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { sql } from '../../src/lib/sql.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { outbox, type OutboxMessage } from '../support/outbox.ts';
import { startSmsReceiver, type ReceivedSms, type SmsReceiver } from '../support/sms-webhook.ts';

const secret = 'webhook-test-secret';
const codeOf = (m: ReceivedSms) => /\b(\d{6})\b/.exec(m.json.body)?.[1] ?? '';

async function outboxRow(s: TestServer, to: string, until: (m: OutboxMessage) => boolean, timeoutMs = 10_000): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = (await outbox(s)).find((x) => x.to === to && x.channel === 'sms');
    if (m !== undefined && until(m)) return m;
    if (Date.now() > deadline) throw new Error(`outbox row for ${to}: ${JSON.stringify(m)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startWith(receiver: SmsReceiver, env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({
    env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'false', GROUNDWORK_AUTH_PHONE_ENABLED: 'true', GROUNDWORK_SMS_WEBHOOK_URL: receiver.url, GROUNDWORK_SMS_WEBHOOK_SECRET: secret, ...env },
  });
}

describe(`Auth SMS through the webhook provider (${dbKind})`, () => {
  let s: TestServer;
  let hook: SmsReceiver;
  const client = () => supabase(s.url, s.gw.keys.anon);
  before(async () => {
    hook = await startSmsReceiver();
    s = await startWith(hook);
  });
  after(async () => {
    await s.stop();
    await hook.close();
  });

  it('reports the provider in /settings', async () => {
    const settings = (await (await fetch(`${s.url}/auth/v1/settings`)).json()) as { sms_provider: string };
    assert.equal(settings.sms_provider, 'webhook');
  });

  it('posts the SMS code of signInWithOtp, signed, and the code signs the user in', async () => {
    const { data, error } = await client().auth.signInWithOtp({ phone: '+44 7700 900777' });
    assert.equal(error, null);
    const sms = await hook.waitFor('+447700900777');
    assert.equal(sms.headers['content-type'], 'application/json');
    assert.equal(sms.headers['x-groundwork-signature'], `sha256=${createHmac('sha256', secret).update(sms.raw).digest('hex')}`);
    assert.match(sms.json.body, /^Your code is \d{6}$/);
    assert.equal(String(sms.json.id), data.messageId, 'the outbox id is the message id the client got');
    const verified = await client().auth.verifyOtp({ phone: '+447700900777', token: codeOf(sms), type: 'sms' });
    assert.equal(verified.error, null);
    assert.equal(verified.data.user?.phone, '447700900777');
    assert.ok(verified.data.session?.access_token);
    const row = await outboxRow(s, '447700900777', (m) => m.status === 'sent');
    assert.deepEqual([row.attempts, row.last_error, row.kind], [1, null, 'confirmation']);
    assert.ok(s.events.some((e) => e.type === 'sms-sent' && e.to === '447700900777' && e.provider === 'webhook' && e.providerId?.startsWith('hook-') === true));
    const queued = s.events.find((e) => e.type === 'sms' && e.to === '447700900777');
    assert.ok(queued !== undefined && !('body' in queued), 'with a provider the log holds no code');
  });

  it('posts the confirmation of a phone sign-up with a password, once', async () => {
    const { error } = await client().auth.signUp({ phone: '+15005550123', password: 'correct horse' });
    assert.equal(error, null);
    const sms = await hook.waitFor('+15005550123');
    assert.equal((await client().auth.verifyOtp({ phone: '15005550123', token: codeOf(sms), type: 'sms' })).error, null);
    assert.equal(hook.requests.filter((r) => r.json.to === '+15005550123').length, 1);
  });

  it('caps the SMS sent per hour for the whole project (429 over_sms_send_rate_limit), against SMS pumping', async () => {
    await s.gw.db.admin.query(sql`insert into _groundwork.rate_limits (key, window_start, hits) values ('sms-sent', now(), 30)
      on conflict (key) do update set window_start = now(), hits = 30`);
    const { error } = await client().auth.signInWithOtp({ phone: '+15005550199' });
    assert.deepEqual([error?.status, error?.code, error?.message], [429, 'over_sms_send_rate_limit', 'SMS rate limit exceeded']);
    await s.gw.db.admin.query(sql`delete from _groundwork.rate_limits where key = 'sms-sent'`);
  });
});

describe(`Auth SMS while the provider is failing (${dbKind})`, () => {
  let s: TestServer;
  let hook: SmsReceiver;
  before(async () => {
    hook = await startSmsReceiver();
    hook.status = 500;
    s = await startWith(hook, { GROUNDWORK_AUTH_SMS_TEMPLATE: 'Acme: {{ .Code }} is your code' });
  });
  after(async () => {
    await s.stop();
    await hook.close();
  });

  it('keeps the SMS with its error, then delivers it once the provider recovers', async () => {
    const client = supabase(s.url, s.gw.keys.anon);
    assert.equal((await client.auth.signInWithOtp({ phone: '+491511230000' })).error, null);
    const failed = await outboxRow(s, '491511230000', (m) => m.last_error !== null);
    assert.deepEqual([failed.status, failed.attempts, failed.sent_at], ['retrying', 1, null]);
    assert.match(failed.last_error ?? '', /^HTTP 500: .*provider unavailable/);
    assert.ok(s.events.some((e) => e.type === 'sms-failed' && e.to === '491511230000' && e.retryInSeconds === 5));

    hook.status = 200;
    // The first retry is due 5 s after the failure; the sweep runs every 5 s.
    const sms = await hook.waitFor('+491511230000', 20_000);
    assert.equal(sms.json.body, `Acme: ${codeOf(sms)} is your code`, 'the configured template');
    assert.equal((await client.auth.verifyOtp({ phone: '+491511230000', token: codeOf(sms), type: 'sms' })).error, null);
    const sent = await outboxRow(s, '491511230000', (m) => m.status === 'sent');
    assert.deepEqual([sent.attempts, sent.last_error], [2, null]);
    assert.equal(hook.requests.length, 2, 'one refused request, one accepted');
  });
});
