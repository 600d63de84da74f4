// Webhooks and cron when things go wrong: the server killed with SIGKILL between commit and
// delivery, a receiver down for a long outage, and (server mode) two nodes sharing one
// database. Every committed event must reach the receiver, at least once; in normal
// operation with two nodes, exactly once; each cron tick runs once.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { deriveApiKeys } from '../../src/keys/api-keys.ts';
import { deriveWebhookSecret } from '../../src/keys/webhook-secret.ts';
import { sql } from '../../src/lib/sql.ts';
import { collect, dbEnv, spawnCli } from '../support/cli.ts';
import { createTestDatabase, dbKind, TEST_JWT_SECRET, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const SECRET = deriveWebhookSecret(TEST_JWT_SECRET);

/** A receiver that can hold requests unanswered, refuse connections (down) or answer 200. */
class Receiver {
  mode: 'ok' | 'hold' = 'ok';
  /** webhook-id → times answered 200; and the records seen. */
  readonly delivered = new Map<string, number>();
  readonly records: Array<Record<string, unknown>> = [];
  private held: ServerResponse[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  port = 0;

  async up(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Refuses connections from now on (and drops those open). */
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
    this.server = undefined;
  }

  release(): void {
    for (const res of this.held.splice(0)) res.destroy();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    if (this.mode === 'hold') {
      this.held.push(res);
      return;
    }
    const text = Buffer.concat(chunks).toString();
    new Webhook(SECRET).verify(text, req.headers as Record<string, string>);
    const id = req.headers['webhook-id'] as string;
    this.delivered.set(id, (this.delivered.get(id) ?? 0) + 1);
    this.records.push((JSON.parse(text) as { record: Record<string, unknown> }).record);
    res.writeHead(200).end();
  }
}

const until = async (check: () => boolean | Promise<boolean>, what: string, ms: number) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const ids = (records: ReadonlyArray<Record<string, unknown>>) => [...new Set(records.map((r) => Number(r['id'])))].sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

function projectWithHook(url: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-jobs-faults-'));
  mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
  writeFileSync(
    join(dir, 'supabase/migrations/20260101000000_events.sql'),
    `create extension if not exists pg_net with schema extensions;
create table public.events (id int primary key, note text);
create trigger events_hook after insert on public.events for each row
  execute function supabase_functions.http_request('${url}', 'POST', '{"Content-Type":"application/json"}', '{}', '2000');
`,
  );
  return dir;
}

describe(`webhooks and cron under faults (${dbKind})`, () => {
  const receiver = new Receiver();
  before(() => receiver.up());
  after(() => receiver.down());
  afterEach(() => {
    receiver.mode = 'ok';
    receiver.release();
    receiver.delivered.clear();
    receiver.records.length = 0;
  });

  it('delivers every event committed before a SIGKILL, once the server is back', async () => {
    const project = projectWithHook(receiver.url);
    const t: TestDatabase = await createTestDatabase({ projectDir: project });
    const env = { ...dbEnv(t), GROUNDWORK_PROJECT_DIR: project, PORT: '0', GROUNDWORK_WEBHOOK_ALLOW: '127.0.0.1', GROUNDWORK_WEBHOOK_RETRY_BASE_MS: '100' };
    const keys = await deriveApiKeys(TEST_JWT_SECRET);
    const start = async () => {
      const child = spawnCli(['start'], env);
      let out = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      const done = collect(child);
      await until(() => /API URL: http/.test(out) || child.exitCode !== null, 'the server to start', 60_000);
      const url = /API URL: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      assert.ok(url, out);
      return { child, done, url };
    };
    try {
      receiver.mode = 'hold'; // the first deliveries hang: the kill lands between commit and delivery
      const first = await start();
      const rows = range(20).map((id) => ({ id, note: `event ${id}` }));
      const inserted = await fetch(`${first.url}/rest/v1/events`, {
        method: 'POST',
        headers: { apikey: keys.serviceRole, authorization: `Bearer ${keys.serviceRole}`, 'content-type': 'application/json' },
        body: JSON.stringify(rows),
      });
      assert.equal(inserted.status, 201);
      await until(() => receiver['held'].length > 0, 'a delivery under way', 20_000);
      first.child.kill('SIGKILL');
      assert.equal((await first.done).signal, 'SIGKILL');
      receiver.release();
      receiver.mode = 'ok';

      const second = await start();
      // Embedded: its one node takes back what it had claimed at once; server: when the claims' lease runs out (15 s + the 2 s timeout).
      await until(() => ids(receiver.records).length === 20, 'all 20 events delivered after the restart', 45_000);
      assert.deepEqual(ids(receiver.records), range(20));
      second.child.kill('SIGTERM');
      assert.equal((await second.done).code, 0);
    } finally {
      await t.dispose();
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('delivers every event after the receiver was down for a long outage (retry schedule scaled down)', async () => {
    // GW_OUTAGE_SCALE=1 runs the real thing: five minutes with the default retry schedule.
    const scale = Number(process.env['GW_OUTAGE_SCALE'] ?? 60);
    const outageMs = 300_000 / scale;
    const server: TestServer = await startTestServer({
      env: {
        GROUNDWORK_WEBHOOK_ALLOW: '127.0.0.1',
        GROUNDWORK_WEBHOOK_RETRY_BASE_MS: String(Math.round(5_000 / scale)),
        GROUNDWORK_WEBHOOK_RETRY_MAX_MS: String(Math.round(3_600_000 / scale)),
      },
    });
    try {
      const db = server.gw.db.admin;
      await db.script(`create table public.orders (id int primary key)`);
      await db.query(sql`select groundwork.create_webhook('orders_out', 'public.orders', array['INSERT'], ${receiver.url})`);
      await receiver.down();
      const t0 = Date.now();
      // Events keep coming during the outage.
      for (let i = 1; i <= 30; i++) {
        await db.query(sql`insert into public.orders values (${i})`);
        await new Promise((r) => setTimeout(r, outageMs / 40));
      }
      await new Promise((r) => setTimeout(r, Math.max(0, outageMs - (Date.now() - t0))));
      const failedMeanwhile = server.events.filter((e) => e.type === 'http-delivery' && e.outcome === 'pending').length;
      assert.ok(failedMeanwhile >= 30, `every event was attempted and failed while the receiver was down (${failedMeanwhile})`);
      await receiver.up();
      await until(() => ids(receiver.records).length === 30, 'all 30 events delivered after the outage', 2 * outageMs + 20_000);
      assert.deepEqual(ids(receiver.records), range(30));
      // The receiver has the last event a moment before its attempt is recorded.
      const states = async () => (await db.query<{ state: string; n: number }>(sql`select state, count(*)::int as n from net.http_request_queue group by state`)).rows;
      await until(async () => (await states()).every((r) => r.state !== 'pending'), 'the last attempts recorded', 10_000);
      assert.deepEqual(await states(), [{ state: 'succeeded', n: 30 }], 'none dead, none lost');
      assert.equal(server.events.filter((e) => e.type === 'http-delivery' && (e.outcome === 'dead' || e.outcome === 'failed')).length, 0);
    } finally {
      await server.stop();
    }
  });

  // Two nodes over one database: server mode only (an embedded data directory is one process's).
  if (dbKind === 'postgres') {
    it('two nodes: each webhook delivered once, each cron tick run once', async () => {
      const env = { GROUNDWORK_WEBHOOK_ALLOW: '127.0.0.1' };
      const a = await startTestServer({ env });
      const b = await startTestServer({ database: a.database, env });
      try {
        const db = a.gw.db.admin;
        await db.script(`create table public.orders (id int primary key); create table public.ticks (at timestamptz not null default clock_timestamp())`);
        await db.query(sql`select groundwork.create_webhook('orders_out', 'public.orders', array['INSERT'], ${receiver.url})`);
        await db.script(`insert into public.orders select generate_series(1, 200)`);
        await db.query(sql`select cron.schedule('tick', '1 seconds', 'insert into public.ticks default values')`);
        await until(() => ids(receiver.records).length === 200, 'all 200 events delivered', 30_000);
        await new Promise((r) => setTimeout(r, 5_000));
        await db.query(sql`select cron.unschedule('tick')`);
        assert.deepEqual([...receiver.delivered.values()].filter((n) => n !== 1), [], 'no webhook-id delivered twice');
        assert.equal(receiver.delivered.size, 200);
        const both = [a, b].map((s) => s.events.filter((e) => e.type === 'http-delivery').length);
        assert.equal(both[0]! + both[1]!, 200, `the two nodes shared the deliveries (${both.join(' + ')})`);
        const { rows } = await db.query<{ at: string }>(sql`select at::text from public.ticks order by at`);
        assert.ok(rows.length >= 4 && rows.length <= 7, `about one run a second for 5 s (${rows.length})`);
        const gaps = rows.slice(1).map((r, i) => Date.parse(r.at) - Date.parse(rows[i]!.at));
        assert.ok(gaps.every((g) => g > 500), `no tick ran twice (gaps ${gaps.join(', ')} ms)`);
        const runs = [a, b].map((s) => s.events.filter((e) => e.type === 'cron-run').length);
        assert.equal(runs[0]! + runs[1]!, rows.length);
      } finally {
        await b.stop();
        await a.stop();
      }
    });
  }
});
