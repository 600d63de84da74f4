// Auth's emails delivered over SMTP to an in-process receiver, driven through supabase-js:
// the right recipient, sender, subject and a working code or link; the project's own
// templates and subjects; and a mail server that is down at first, whose email waits in the
// outbox with its error and is delivered on a later attempt.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '../../src/lib/sql.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { outbox, type OutboxMessage } from '../support/outbox.ts';
import { freePort, startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../support/smtp.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const password = 'correct horse';
const codeOf = (m: ReceivedMail) => /(?:enter the code|Code): (\d{6})/.exec(m.html)?.[1] ?? '';
const linkOf = (m: ReceivedMail) => (/href="([^"]+)"/.exec(m.html)?.[1] ?? '').replaceAll('&amp;', '&');

async function outboxRow(s: TestServer, to: string, until: (m: OutboxMessage) => boolean, timeoutMs = 10_000): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = (await outbox(s)).find((x) => x.to === to);
    if (m !== undefined && until(m)) return m;
    if (Date.now() > deadline) throw new Error(`outbox row for ${to}: ${JSON.stringify(m)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`Auth emails over SMTP (${dbKind})`, () => {
  let s: TestServer;
  let smtp: SmtpReceiver;
  const templates = mkdtempSync(join(tmpdir(), 'gw-mail-templates-'));
  const client = () => supabase(s.url, s.gw.keys.anon);
  before(async () => {
    writeFileSync(join(templates, 'magic_link.html'), '<p>Hello {{ .Data.name }}, sign in to {{ .SiteURL }}.</p>\n<p>Code: {{ .Token }}</p>\n<p>hash={{ .TokenHash }}</p>\n');
    smtp = await startSmtpReceiver();
    s = await startTestServer({
      projectDir: blog,
      env: {
        GROUNDWORK_AUTH_AUTOCONFIRM: 'false',
        GROUNDWORK_AUTH_SITE_URL: 'http://app.test',
        GROUNDWORK_SMTP_HOST: '127.0.0.1',
        GROUNDWORK_SMTP_PORT: String(smtp.port),
        GROUNDWORK_SMTP_ADMIN_EMAIL: 'auth@groundwork.test',
        GROUNDWORK_SMTP_SENDER_NAME: 'Groundwork Test',
        GROUNDWORK_AUTH_MAIL_TEMPLATES_DIR: templates,
        GROUNDWORK_AUTH_MAIL_SUBJECTS: JSON.stringify({ recovery: 'Reset the password of {{ .Email }}' }),
      },
    });
  });
  after(async () => {
    await s.stop();
    await smtp.close();
    rmSync(templates, { recursive: true, force: true });
  });

  it('delivers the sign-up confirmation, whose code confirms the user', async () => {
    const signUp = await client().auth.signUp({ email: 'ada@example.com', password });
    assert.equal(signUp.error, null);
    assert.equal(signUp.data.session, null);
    const mail = await smtp.waitFor('ada@example.com');
    assert.deepEqual(mail.envelopeTo, ['ada@example.com']);
    assert.equal(mail.envelopeFrom, 'auth@groundwork.test');
    assert.equal(mail.headers['from'], 'Groundwork Test <auth@groundwork.test>');
    assert.equal(mail.subject, 'Confirm Your Signup');
    assert.match(mail.headers['content-type'] ?? '', /^text\/html/);
    const { data, error } = await client().auth.verifyOtp({ email: 'ada@example.com', token: codeOf(mail), type: 'signup' });
    assert.equal(error, null);
    assert.equal(data.user?.email, 'ada@example.com');
    const row = await outboxRow(s, 'ada@example.com', (m) => m.status === 'sent');
    assert.deepEqual([row.attempts, row.last_error, row.kind], [1, null, 'confirmation']);
    assert.match(row.sent_at ?? '', /^\d{4}-/);
    assert.ok(s.events.some((e) => e.type === 'mail-sent' && e.to === 'ada@example.com' && e.kind === 'confirmation'));
    const queued = s.events.find((e) => e.type === 'mail' && e.to === 'ada@example.com');
    assert.ok(queued !== undefined && !('link' in queued), 'with SMTP the log holds no working link');
  });

  it('delivers recovery with the configured subject, and its link signs the user in', async () => {
    const before = smtp.messages.length;
    assert.equal((await client().auth.resetPasswordForEmail('ada@example.com')).error, null);
    const mail = await smtp.waitFor('ada@example.com', 10_000, 1);
    assert.equal(smtp.messages.length, before + 1, 'one email per request');
    assert.equal(mail.subject, 'Reset the password of ada@example.com');
    const res = await fetch(linkOf(mail), { redirect: 'manual' });
    assert.equal(res.status, 303);
    const to = new URL(res.headers.get('location') ?? '');
    assert.equal(to.origin, 'http://app.test');
    const fragment = new URLSearchParams(to.hash.slice(1));
    assert.equal(fragment.get('type'), 'recovery');
    assert.equal((await client().auth.getUser(fragment.get('access_token') ?? '')).data.user?.email, 'ada@example.com');
  });

  it('renders the project template, escaping user metadata; its token hash verifies', async () => {
    await client().auth.signUp({ email: 'bea@example.com', password, options: { data: { name: 'Bea <Byron>' } } });
    const confirmation = await smtp.waitFor('bea@example.com');
    assert.equal((await client().auth.verifyOtp({ email: 'bea@example.com', token: codeOf(confirmation), type: 'signup' })).error, null);
    assert.equal((await client().auth.signInWithOtp({ email: 'bea@example.com' })).error, null);
    const mail = await smtp.waitFor('bea@example.com', 10_000, 1);
    assert.equal(mail.subject, 'Your Magic Link', 'subjects not configured keep the default');
    assert.match(mail.html, /^<p>Hello Bea &lt;Byron&gt;, sign in to http:\/\/app\.test\.<\/p>\n<p>Code: \d{6}<\/p>\n<p>hash=[0-9a-f]{56}<\/p>/);
    const hash = /hash=([0-9a-f]+)/.exec(mail.html)?.[1] ?? '';
    const { data, error } = await client().auth.verifyOtp({ token_hash: hash, type: 'magiclink' });
    assert.equal(error, null);
    assert.ok(data.session?.access_token);
  });

  it('caps the emails sent per hour for the whole project (429 over_email_send_rate_limit), queueing nothing over it', async () => {
    await s.gw.db.admin.query(sql`insert into _groundwork.rate_limits (key, window_start, hits) values ('email-sent', now(), 30)
      on conflict (key) do update set window_start = now(), hits = 30`);
    const over = await client().auth.signUp({ email: 'capped@example.com', password });
    assert.deepEqual([over.error?.status, over.error?.code, over.error?.message], [429, 'over_email_send_rate_limit', 'Email rate limit exceeded']);
    assert.equal((await outbox(s)).some((m) => m.to === 'capped@example.com'), false);
    await s.gw.db.admin.query(sql`delete from _groundwork.rate_limits where key = 'email-sent'`);
    assert.equal((await client().auth.signUp({ email: 'capped@example.com', password })).error, null, 'the sign-up was rolled back whole: it can be made again');
  });
});

describe(`Auth emails while the SMTP server is down (${dbKind})`, () => {
  let s: TestServer;
  let smtp: SmtpReceiver | undefined;
  let port: number;
  before(async () => {
    port = await freePort();
    s = await startTestServer({
      projectDir: blog,
      env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'false', GROUNDWORK_SMTP_HOST: '127.0.0.1', GROUNDWORK_SMTP_PORT: String(port), GROUNDWORK_SMTP_ADMIN_EMAIL: 'auth@groundwork.test' },
    });
  });
  after(async () => {
    await s.stop();
    await smtp?.close();
  });

  it('keeps the email with its error, then delivers it once the server is up', async () => {
    assert.equal((await client(s).auth.signUp({ email: 'grace@example.com', password })).error, null);
    const failed = await outboxRow(s, 'grace@example.com', (m) => m.last_error !== null);
    assert.equal(failed.status, 'retrying');
    assert.equal(failed.attempts, 1);
    assert.equal(failed.sent_at, null);
    assert.match(failed.last_error ?? '', /ECONNREFUSED/);
    assert.ok(s.events.some((e) => e.type === 'mail-failed' && e.to === 'grace@example.com' && e.retryInSeconds === 5));

    smtp = await startSmtpReceiver(port);
    // The first retry is due 5 s after the failure; the sweep runs every 5 s.
    const mail = await smtp.waitFor('grace@example.com', 20_000);
    assert.equal(mail.subject, 'Confirm Your Signup');
    const { error } = await client(s).auth.verifyOtp({ email: 'grace@example.com', token: codeOf(mail), type: 'signup' });
    assert.equal(error, null);
    const sent = await outboxRow(s, 'grace@example.com', (m) => m.status === 'sent');
    assert.deepEqual([sent.attempts, sent.last_error], [2, null]);
    assert.equal(smtp.messages.length, 1, 'sent once');
  });
});

function client(s: TestServer) {
  return supabase(s.url, s.gw.keys.anon);
}

// Several nodes over one PostgreSQL: each runs a sender, and every email goes out once.
if (dbKind === 'postgres') {
  describe(`Auth emails from two nodes over one database (${dbKind})`, () => {
    let first: TestServer;
    let second: TestServer;
    let smtp: SmtpReceiver;
    before(async () => {
      smtp = await startSmtpReceiver();
      const env = {
        GROUNDWORK_AUTH_AUTOCONFIRM: 'false',
        GROUNDWORK_SMTP_HOST: '127.0.0.1',
        GROUNDWORK_SMTP_PORT: String(smtp.port),
        GROUNDWORK_SMTP_ADMIN_EMAIL: 'auth@groundwork.test',
      };
      first = await startTestServer({ projectDir: blog, env });
      second = await startTestServer({ database: first.database, env });
    });
    after(async () => {
      await second.stop();
      await first.stop();
      await smtp.close();
    });

    it('delivers each email once, whichever node queued it and whichever sender woke', async () => {
      const emails = Array.from({ length: 12 }, (_, i) => `node${i}@example.com`);
      await Promise.all(emails.map((email, i) => supabase((i % 2 === 0 ? first : second).url, first.gw.keys.anon).auth.signUp({ email, password })));
      for (const email of emails) await smtp.waitFor(email);
      await new Promise((r) => setTimeout(r, 1_000)); // room for a duplicate to arrive, were there one
      assert.deepEqual(smtp.messages.map((m) => m.envelopeTo[0]).sort(), [...emails].sort());
      const sent = [...first.events, ...second.events].filter((e) => e.type === 'mail-sent').map((e) => (e.type === 'mail-sent' ? e.to : ''));
      assert.deepEqual(sent.sort(), [...emails].sort(), 'one send in all, across both nodes');
    });
  });
}
