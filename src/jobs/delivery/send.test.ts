import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAllowList, type AllowList } from '../../lib/allow-list.ts';
import { createSender, type OutboundRequest } from './send.ts';

const request = (url: string, over: Partial<OutboundRequest> = {}): OutboundRequest => ({ method: 'GET', url: new URL(url), headers: {}, body: undefined, timeoutMs: 2000, ...over });

describe('one outbound attempt', () => {
  it('refuses a name that resolves only to addresses outside the allow-list, before connecting', async () => {
    const sender = createSender(parseAllowList('*') as AllowList);
    try {
      const result = await sender.send(request('http://localhost:9/'));
      assert.equal(result.kind, 'error');
      assert.ok(result.kind === 'error' && result.refused);
      assert.match(result.kind === 'error' ? result.message : '', /^localhost resolves to .*outside the allow-list/);
      const literal = await sender.send(request('http://[::1]:9/'));
      assert.ok(literal.kind === 'error' && literal.refused && /::1 is outside the allow-list/.test(literal.message));
    } finally {
      sender.close();
    }
  });

  it('lets a listed host name through whatever it resolves to, and does not follow redirects', async () => {
    const server = createServer((_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sender = createSender(parseAllowList('localhost') as AllowList);
    try {
      const result = await sender.send(request(`http://localhost:${(server.address() as AddressInfo).port}/`));
      assert.ok(result.kind === 'response');
      assert.equal(result.status, 302);
    } finally {
      sender.close();
      server.close();
    }
  });

  it('keeps at most 1 MB of an answer', async () => {
    const server = createServer((_req, res) => res.end(Buffer.alloc(1_200_000, 97)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sender = createSender(parseAllowList('127.0.0.1') as AllowList);
    try {
      const result = await sender.send(request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
      assert.ok(result.kind === 'response');
      assert.equal(result.content.length, 1_048_576);
    } finally {
      sender.close();
      server.close();
    }
  });
});
