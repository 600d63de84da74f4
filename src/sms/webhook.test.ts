import { it } from 'node:test';
import assert from 'node:assert/strict';
import { signature, webhookRequest } from './webhook.ts';

// Expected values computed independently: printf '%s' BODY | openssl dgst -sha256 -hmac SECRET
it('signs the exact body with HMAC-SHA256 as sha256=<hex>', () => {
  const table: Array<[secret: string, body: string, expected: string]> = [
    ['topsecret', '{"to":"+447700900123","body":"Your code is 123456","id":7}', 'sha256=69d4916c51a22498fa63297884c1b2550f545ac7274b7afa776925008a0a7950'],
    ['k', '', 'sha256=8bb990c40a7d61cb97597a942125025be50ac8beb74436e3735b98893a7f6620'],
  ];
  for (const [secret, body, expected] of table) assert.equal(signature(secret, body), expected, `${secret} / ${body}`);
});

it('builds the webhook request: JSON with the number in E.164 with +, the text and the outbox id; signed only with a secret', () => {
  const sms = { id: 7, to: '447700900123', body: 'Your code is 123456' };
  const table: Array<[secret: string | undefined, headers: Record<string, string>]> = [
    [undefined, { 'content-type': 'application/json' }],
    ['topsecret', { 'content-type': 'application/json', 'x-groundwork-signature': 'sha256=69d4916c51a22498fa63297884c1b2550f545ac7274b7afa776925008a0a7950' }],
  ];
  for (const [secret, headers] of table) {
    const req = webhookRequest({ url: 'https://hooks.example.test/sms', secret }, sms);
    assert.deepEqual(req, { url: 'https://hooks.example.test/sms', headers, body: '{"to":"+447700900123","body":"Your code is 123456","id":7}' }, `secret ${String(secret)}`);
  }
});
