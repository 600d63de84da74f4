// An in-process SMS webhook receiver (node:http) for scenario tests: keeps every request it
// gets (headers and the raw body) and answers with `status`, which a test can change to
// play a provider that is down and then recovers.
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ReceivedSms {
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  readonly json: { readonly to: string; readonly body: string; readonly id: number };
}

export interface SmsReceiver {
  readonly url: string;
  /** Every request, including the refused ones. */
  readonly requests: ReceivedSms[];
  /** The answer to the next requests: 200 with a message id, or an error status. */
  status: number;
  /** The first request for `to` (E.164 with +) answered with 2xx, after `skip` earlier ones, waiting up to `timeoutMs`. */
  waitFor(to: string, timeoutMs?: number, skip?: number): Promise<ReceivedSms>;
  close(): Promise<void>;
}

export async function startSmsReceiver(): Promise<SmsReceiver> {
  const accepted: ReceivedSms[] = [];
  const receiver: SmsReceiver = {
    url: '',
    requests: [],
    status: 200,
    waitFor: async (to, timeoutMs = 10_000, skip = 0) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = accepted.filter((r) => r.json.to === to)[skip];
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no SMS to ${to} within ${timeoutMs} ms (got ${JSON.stringify(receiver.requests.map((r) => r.json))})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const sms: ReceivedSms = { headers: req.headers, raw, json: JSON.parse(raw) as ReceivedSms['json'] };
      receiver.requests.push(sms);
      const status = receiver.status;
      if (status >= 200 && status < 300) accepted.push(sms);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? { message_id: `hook-${receiver.requests.length}` } : { error: 'provider unavailable' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  // The port is known only now; the handler and the caller share this one object.
  (receiver as { url: string }).url = `http://127.0.0.1:${address.port}/sms`;
  return receiver;
}
