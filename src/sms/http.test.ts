import { it } from 'node:test';
import assert from 'node:assert/strict';
import { isFinalRefusal, post, providerId, type Fetch } from './http.ts';
import { PermanentDeliveryError } from '../outbox/claims.ts';

it('reads the provider message id from message_id or sid in a JSON answer', () => {
  const table: Array<[answer: string, id: string | undefined]> = [
    ['{"message_id":"abc"}', 'abc'],
    ['{"sid":"SM123","status":"queued"}', 'SM123'],
    ['{"message_id":42}', '42'],
    ['{"ok":true}', undefined],
    ['{"sid":null}', undefined],
    ['[1]', undefined],
    ['accepted', undefined],
    ['', undefined],
  ];
  for (const [answer, id] of table) assert.equal(providerId(answer), id, answer);
});

it('posts the request with a timeout; any 2xx is sent, anything else rejects with the status and the start of the answer', async () => {
  const seen: RequestInit[] = [];
  const answering = (status: number, text: string): Fetch => (_url, init) => {
    seen.push(init ?? {});
    return Promise.resolve(new Response(status === 204 ? null : text, { status }));
  };
  const request = { url: 'http://sms.test/send', headers: { 'content-type': 'application/json' }, body: '{}' };
  const table: Array<[status: number, text: string, outcome: string | undefined | RegExp]> = [
    [200, '{"sid":"SM1"}', 'SM1'],
    [201, 'created', undefined],
    [204, '', undefined],
    [500, 'boom', /^HTTP 500: boom$/],
    [400, '', /^HTTP 400$/],
    [302, '', /^HTTP 302$/],
    [429, 'x'.repeat(1000), /^HTTP 429: x{300}$/],
  ];
  for (const [status, text, outcome] of table) {
    const sending = post(request, answering(status, text));
    if (outcome instanceof RegExp) await assert.rejects(sending, { message: outcome }, `HTTP ${status}`);
    else assert.equal(await sending, outcome, `HTTP ${status}`);
  }
  assert.ok(seen.every((init) => init.method === 'POST' && init.body === '{}' && init.signal instanceof AbortSignal));
});

it('gives up at once on a 4xx refusal, but not on 408, 429 or 5xx', async () => {
  const table: Array<[status: number, final: boolean]> = [
    [400, true],
    [401, true],
    [404, true],
    [408, false],
    [429, false],
    [500, false],
    [503, false],
  ];
  for (const [status, final] of table) {
    assert.equal(isFinalRefusal(status), final, String(status));
    const answering: Fetch = () => Promise.resolve(new Response('no', { status }));
    await assert.rejects(post({ url: 'http://sms.test/send', headers: {}, body: '{}' }, answering), (e: unknown) => (e instanceof PermanentDeliveryError) === final);
  }
});
