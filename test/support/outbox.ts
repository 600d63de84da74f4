// Reading Auth's emails and SMS back in scenario tests, through the service-role outbox endpoint.
import assert from 'node:assert/strict';
import type { TestServer } from './server.ts';

export interface OutboxMessage {
  id: number;
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  body: string;
  kind: string;
  status: 'sent' | 'pending' | 'retrying' | 'failed';
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
}

export async function outbox(s: TestServer): Promise<OutboxMessage[]> {
  const res = await fetch(`${s.url}/auth/v1/admin/outbox?limit=500`, { headers: { apikey: s.gw.keys.serviceRole, authorization: `Bearer ${s.gw.keys.serviceRole}` } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { messages: OutboxMessage[] }).messages;
}

/** The newest email to `to`, with its 6-digit code and (when it has one) its link pulled out. */
export async function lastMail(s: TestServer, to: string): Promise<OutboxMessage & { code: string; link: string; tokenHash: string }> {
  const m = (await outbox(s)).find((x) => x.to === to);
  assert.ok(m, `an email to ${to}`);
  const code = /(?:enter the code|confirm it is you): (\d{6})/.exec(m.body)?.[1];
  assert.ok(code !== undefined, m.body);
  const link = /href="([^"]+)"/.exec(m.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
  return { ...m, code, link, tokenHash: link === '' ? '' : (new URL(link).searchParams.get('token') ?? '') };
}

/** The newest SMS to `phone` (E.164 digits), with its code pulled out. */
export async function lastSms(s: TestServer, phone: string): Promise<OutboxMessage & { code: string }> {
  const m = (await outbox(s)).find((x) => x.to === phone && x.channel === 'sms');
  assert.ok(m, `an SMS to ${phone}`);
  const code = /^Your code is (\d{6})$/.exec(m.body)?.[1];
  assert.ok(code !== undefined, m.body);
  return { ...m, code };
}
