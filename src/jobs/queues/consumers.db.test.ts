// Queue consumers Groundwork runs: messages POSTed to an endpoint, deleted on 2xx, retried
// with backoff otherwise, dead-lettered after the attempt limit.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import { DbError } from '../../db/errors.ts';
import type { Database } from '../../db/port.ts';
import { parseAllowList, type AllowList } from '../../lib/allow-list.ts';
import { sql } from '../../lib/sql.ts';
import { startConsumers, type Consumers } from './consumers.ts';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;

describe(`queue consumers (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  let server: Server;
  let base: string;
  let consumers: Consumers;
  const got: Array<{ path: string; body: Record<string, unknown>; verified: boolean }> = [];
  /** How many times each message (by its text) has been crashed on. */
  const crashes = new Map<string, number>();

  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const body = JSON.parse(text) as Record<string, unknown>;
        let verified = false;
        try {
          verified = new Webhook(SECRET).verify(text, req.headers as Record<string, string>) !== undefined;
        } catch {
          verified = false;
        }
        got.push({ path: req.url ?? '', body, verified });
        const what = JSON.stringify(body['message']);
        if (req.url === '/always-crash' || (req.url === '/crash-twice' && (crashes.get(what) ?? 0) < 2)) {
          crashes.set(what, (crashes.get(what) ?? 0) + 1);
          req.socket.destroy(); // the handler dies mid-request
          return;
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    consumers = await startConsumers({ db, allow: parseAllowList('127.0.0.1') as AllowList, secret: SECRET, policy: { maxAttempts: 5, baseMs: 10, maxMs: 50 }, observe: () => undefined });
  });
  after(async () => {
    await consumers.stop();
    server.close();
    await t.dispose();
  });

  const until = async (check: () => Promise<boolean>, what: string, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const length = async (queue: string) => Number((await db.query<{ n: string }>(sql`select queue_length::text as n from pgmq.metrics(${queue})`)).rows[0]?.n);

  it('hands each message to the endpoint, signed, and deletes it once answered', async () => {
    await db.query(sql`select pgmq.create('work')`);
    await db.query(sql`select groundwork.create_consumer('work', ${`${base}/ok`}, concurrency => 4)`);
    await consumers.reload();
    await db.query(sql`select pgmq.send_batch('work', array['{"n":1}', '{"n":2}', '{"n":3}']::jsonb[])`);
    await until(async () => (await length('work')) === 0 && got.filter((g) => g.path === '/ok').length === 3, 'three deliveries');
    const mine = got.filter((g) => g.path === '/ok');
    assert.deepEqual(mine.map((g) => g.body['message']).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.ok(mine.every((g) => g.verified && g.body['queue_name'] === 'work' && g.body['read_ct'] === 1));
    const { rows } = await db.query(sql`select queue_name, url, concurrency, max_attempts, dead_letter_queue from groundwork.consumers`);
    assert.deepEqual(rows, [{ queue_name: 'work', url: `${base}/ok`, concurrency: 4, max_attempts: 5, dead_letter_queue: 'work_dlq' }]);
  });

  it('retries a message whose handler crashed, until it succeeds', async () => {
    await db.query(sql`select pgmq.create('flaky')`);
    await db.query(sql`select groundwork.create_consumer('flaky', ${`${base}/crash-twice`}, max_attempts => 5)`);
    await consumers.reload();
    await db.query(sql`select pgmq.send('flaky', '{"job":"resize"}')`);
    await until(async () => (await length('flaky')) === 0, 'the message handled');
    assert.deepEqual(got.filter((g) => g.path === '/crash-twice').map((g) => g.body['read_ct']), [1, 2, 3]);
    assert.equal(await length('flaky_dlq'), 0);
  });

  it('dead-letters a message after its last attempt, saying where it came from', async () => {
    await db.query(sql`select pgmq.create('doomed')`);
    await db.query(sql`select groundwork.create_consumer('doomed', ${`${base}/always-crash`}, max_attempts => 2)`);
    await consumers.reload();
    await db.query(sql`select pgmq.send('doomed', '{"job":"never"}')`);
    await until(async () => (await length('doomed_dlq')) === 1, 'the dead letter');
    assert.equal(await length('doomed'), 0);
    assert.equal(got.filter((g) => g.path === '/always-crash').length, 2);
    const { rows } = await db.query<{ message: unknown; source: unknown }>(sql`select message, headers->'x-dead-letter'->>'queue' as source from pgmq.q_doomed_dlq`);
    assert.deepEqual(rows, [{ message: { job: 'never' }, source: 'doomed' }]);
  });

  it('refuses consumers for unknown queues and bad settings', async () => {
    const cases: ReadonlyArray<readonly [() => Promise<unknown>, string, RegExp]> = [
      [() => db.query(sql`select groundwork.create_consumer('nope', ${base})`), '42P01', /queue "nope" does not exist/],
      [() => db.query(sql`select groundwork.create_consumer('work', 'mailto:x')`), '22023', /invalid url/],
      [() => db.query(sql`select groundwork.create_consumer('work', ${base}, concurrency => 0)`), '22023', /invalid concurrency/],
      [() => db.query(sql`select groundwork.create_consumer('work', ${base}, visibility_timeout => 5, timeout_ms => 10000)`), '22023', /invalid visibility_timeout/],
    ];
    for (const [call, sqlstate, message] of cases) {
      await assert.rejects(call(), (e: unknown) => e instanceof DbError && e.sqlstate === sqlstate && message.test(e.message));
    }
  });
});
