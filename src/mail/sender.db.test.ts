import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../lib/sql.ts';
import { openTestDatabase, dbKind } from '../../test/support/db.ts';
import type { Database } from '../db/port.ts';
import type { Observation } from '../observe/events.ts';
import { DEFAULT_MAIL_SETTINGS, enqueueMail } from '../auth/messages/mail.ts';
import { startMailSender, type MailSender } from './sender.ts';
import { claim, MAX_ATTEMPTS, PermanentDeliveryError } from '../outbox/claims.ts';
import type { MailTransport, OutgoingMail } from './smtp.ts';

/** A transport that records what it is given, and fails while `failing` is set. */
function fakeTransport() {
  const sent: OutgoingMail[] = [];
  const t = {
    sent,
    failing: undefined as string | undefined,
    refusing: undefined as string | undefined,
    closed: false,
    send: async (m: OutgoingMail) => {
      if (t.failing !== undefined) throw new Error(t.failing);
      if (t.refusing !== undefined) throw new PermanentDeliveryError(t.refusing);
      sent.push(m);
    },
    close: () => {
      t.closed = true;
    },
  };
  return t satisfies MailTransport;
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe(`mail sender (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  let sender: MailSender | undefined;
  let events: Observation[];
  const observe = (e: Observation) => events.push(e);
  const mail = (to: string) => ({ kind: 'confirmation' as const, to, link: 'http://gw.test/verify?token=x', otp: '123456' });
  // A sweep far in the future: only the after-commit notification can wake the sender in time.
  const start = (transport: MailTransport) => startMailSender({ db, transport, observe, sweepMs: 600_000 }).then((s) => (sender = s));

  before(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  after(() => t.dispose());
  beforeEach(async () => {
    await sender?.stop();
    sender = undefined;
    events = [];
    await db.query(sql`truncate _groundwork.outbox`);
  });

  it('sends a queued email once its transaction commits, and marks it sent', async () => {
    const transport = fakeTransport();
    await start(transport);
    await db.transaction(async (tx) => {
      await enqueueMail(tx, observe, mail('ada@example.com'), DEFAULT_MAIL_SETTINGS);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(transport.sent.length, 0, 'nothing leaves before commit');
    });
    await until('the email', () => transport.sent.length === 1);
    assert.deepEqual(transport.sent[0], { to: 'ada@example.com', subject: 'Confirm Your Signup', html: transport.sent[0]?.html });
    assert.match(transport.sent[0]?.html ?? '', /123456/);
    await until('sent_at', async () => (await db.query(sql`select 1 from _groundwork.outbox where sent_at is not null`)).rowCount === 1);
    assert.ok(events.some((e) => e.type === 'mail-sent' && e.to === 'ada@example.com' && e.attempts === 1));
  });

  it('sends nothing for a transaction that rolls back', async () => {
    const transport = fakeTransport();
    await start(transport);
    await assert.rejects(
      db.transaction(async (tx) => {
        await enqueueMail(tx, observe, mail('gone@example.com'), DEFAULT_MAIL_SETTINGS);
        throw new Error('flow failed');
      }),
      /flow failed/,
    );
    await db.transaction((tx) => enqueueMail(tx, observe, mail('kept@example.com'), DEFAULT_MAIL_SETTINGS));
    await until('the committed email', () => transport.sent.length === 1);
    assert.deepEqual(transport.sent.map((m) => m.to), ['kept@example.com']);
  });

  it('delivers at start-up what was queued while no sender ran (a crash after commit)', async () => {
    await db.transaction((tx) => enqueueMail(tx, observe, mail('left@example.com'), DEFAULT_MAIL_SETTINGS));
    const transport = fakeTransport();
    await start(transport);
    await until('the left-over email', () => transport.sent.length === 1);
  });

  it('keeps a failed email with its error and a backoff, and logs the failure', async () => {
    const transport = fakeTransport();
    transport.failing = 'connect ECONNREFUSED 127.0.0.1:1';
    await start(transport);
    await db.transaction((tx) => enqueueMail(tx, observe, mail('bob@example.com'), DEFAULT_MAIL_SETTINGS));
    await until('the failure', () => events.some((e) => e.type === 'mail-failed'));
    const { rows } = await db.query(sql`select attempts, last_error, sent_at, leased_until > now() + interval '3 seconds' as held from _groundwork.outbox`);
    assert.deepEqual(rows, [{ attempts: 1, last_error: 'connect ECONNREFUSED 127.0.0.1:1', sent_at: null, held: true }]);
    assert.ok(events.some((e) => e.type === 'mail-failed' && e.retryInSeconds === 5 && e.error === 'connect ECONNREFUSED 127.0.0.1:1'));
  });

  it('gives an email up after a permanent refusal: one attempt, status failed, no retry', async () => {
    const transport = fakeTransport();
    transport.refusing = '550 5.1.1 no such mailbox';
    await start(transport);
    await db.transaction((tx) => enqueueMail(tx, observe, mail('nobody@example.com'), DEFAULT_MAIL_SETTINGS));
    await until('the refusal', () => events.some((e) => e.type === 'mail-failed'));
    const { rows } = await db.query(sql`select attempts, last_error, sent_at, leased_until from _groundwork.outbox`);
    assert.deepEqual(rows, [{ attempts: MAX_ATTEMPTS, last_error: '550 5.1.1 no such mailbox', sent_at: null, leased_until: null }]);
    assert.ok(events.some((e) => e.type === 'mail-failed' && e.retryInSeconds === null));
    assert.deepEqual(await claim(db, 'email', 10), [], 'never claimed again');
  });

  it('stops: no more sends, transport closed', async () => {
    const transport = fakeTransport();
    const s = await start(transport);
    await s.stop();
    sender = undefined;
    assert.equal(transport.closed, true);
    await db.transaction((tx) => enqueueMail(tx, observe, mail('late@example.com'), DEFAULT_MAIL_SETTINGS));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(transport.sent.length, 0);
    const { rows } = await db.query(sql`select attempts, sent_at from _groundwork.outbox`);
    assert.deepEqual(rows, [{ attempts: 0, sent_at: null }], 'left queued for the next start or another node');
  });
});
