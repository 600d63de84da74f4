import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import type { ClaimedRequest } from './claims.ts';
import { loggedUrl, outboundRequest } from './request.ts';

const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const row = (over: Partial<ClaimedRequest>): ClaimedRequest => ({
  id: '1', method: 'POST', url: 'https://hooks.example.com/in?x=1', params: {}, headers: {}, body: null, timeoutMs: 1000,
  webhook: null, webhookTable: null, messageId: 'msg_abc', attempt: 1, try: 1, secret: null, maxAttempts: null, ...over,
});

describe('outbound request', () => {
  it('adds params to the query string and makes header values text', () => {
    const req = outboundRequest(row({ params: { q: 'a b', n: 2 }, headers: { Authorization: 'Bearer k', 'X-N': 3 } }), secret, new Date());
    assert.equal(req.url.toString(), 'https://hooks.example.com/in?x=1&q=a+b&n=2');
    assert.equal(req.headers['authorization'], 'Bearer k');
    assert.equal(req.headers['x-n'], '3');
    assert.equal(req.headers['webhook-id'], undefined, 'net.http_* calls are not signed');
    assert.equal(loggedUrl(req.url), 'https://hooks.example.com/in');
  });

  it('signs a database webhook so that standardwebhooks verifies it, with its own secret when it has one', () => {
    const body = JSON.stringify({ type: 'INSERT', table: 't', schema: 'public', record: { id: 1 }, old_record: null });
    const now = new Date();
    for (const own of [null, `whsec_${Buffer.alloc(24, 9).toString('base64')}`]) {
      const req = outboundRequest(row({ webhook: 'hook', body: Buffer.from(body).toString('base64'), secret: own }), secret, now);
      assert.equal(req.headers['webhook-id'], 'msg_abc');
      assert.equal(req.headers['webhook-timestamp'], String(Math.floor(now.getTime() / 1000)));
      assert.deepEqual(new Webhook(own ?? secret).verify(req.body?.toString() ?? '', req.headers), JSON.parse(body));
    }
  });
});
