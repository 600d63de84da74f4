// GET /metrics on a real server: REST reads, Auth calls, a realtime socket and a waiting
// email, then a scrape parsed line by line: request counts and latency per API family and
// status, the database pool, schema-cache loads, realtime frames, the outbox lag and the
// process. Only the service_role key or the metrics token may read it (401 OBS401
// otherwise); with metrics off the route does not exist.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { sql } from '../../src/lib/sql.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const TOKEN = 'scrape-token-for-the-test-0123';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Prometheus text format, just enough of it: `name{a="x",…} value` lines; comments keep the types. */
function parseMetrics(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name as string, type as string);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `unparsable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, '$1');
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

/** The one sample of `name` whose labels include `labels`. */
function value(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value;
}

describe(`metrics at /metrics (${dbKind})`, () => {
  let server: TestServer;
  let project: string;

  const scrape = async (headers: Record<string, string>) => {
    const res = await fetch(`${server.url}/metrics`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text(), headers: res.headers };
  };

  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'gw-metrics-'));
    mkdirSync(join(project, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(
      join(project, 'supabase', 'migrations', '20250101000000_notes.sql'),
      `create table public.notes (id int primary key, body text not null);
       insert into public.notes values (1, 'a'), (2, 'b');
       grant select on public.notes to anon, authenticated;`,
    );
    server = await startTestServer({ projectDir: project, env: { GROUNDWORK_METRICS_TOKEN: TOKEN } });
  });
  after(async () => {
    await server?.stop();
    rmSync(project, { recursive: true, force: true });
  });

  it('refuses callers without the service_role key or the token with 401 OBS401', async () => {
    const refused: Array<Record<string, string>> = [
      {},
      { apikey: server.gw.keys.anon },
      { apikey: server.gw.keys.anon, authorization: `Bearer ${server.gw.keys.anon}` },
      { authorization: `Bearer ${TOKEN}-not` },
      { authorization: 'Bearer not-a-token' },
    ];
    for (const headers of refused) {
      const res = await scrape(headers);
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal((JSON.parse(res.text) as { code: string }).code, 'OBS401');
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    }
  });

  it('counts requests per family and status, with their latency, the pools, loads, realtime and the outbox lag', async () => {
    const anon = { apikey: server.gw.keys.anon };
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${server.url}/rest/v1/notes?select=id`, { headers: anon })).status, 200);
    assert.equal((await fetch(`${server.url}/rest/v1/missing`, { headers: anon })).status, 404);
    assert.equal((await fetch(`${server.url}/auth/v1/settings`, { headers: anon })).status, 200);
    const signIn = await fetch(`${server.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { ...anon, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' }),
    });
    assert.equal(signIn.status, 400);
    assert.equal((await fetch(`${server.url}/health`)).status, 200);

    // A socket that beats once: its frames are reported when it closes.
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${server.gw.keys.anon}&vsn=1.0.0`);
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    const replied = new Promise<void>((resolve) => ws.once('message', () => resolve()));
    ws.send(JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1' }));
    await replied;
    ws.close();

    // An email waiting in the outbox for 90 s (no SMTP: nothing takes it).
    await server.gw.db.admin.query(
      sql`insert into _groundwork.outbox (channel, recipient, subject, body, kind, created_at) values ('email', 'a@example.com', 's', 'b', 'signup', now() - interval '90 seconds')`,
    );

    let samples: Sample[] = [];
    let types = new Map<string, string>();
    for (let tries = 0; ; tries++) {
      const res = await scrape({ apikey: server.gw.keys.serviceRole });
      assert.equal(res.status, 200);
      assert.match(res.type ?? '', /^text\/plain; version=0\.0\.4/);
      ({ samples, types } = parseMetrics(res.text));
      // The socket's close reaches the server a moment after ours.
      if (value(samples, 'groundwork_realtime_connections') === 0 || tries > 50) break;
      await new Promise((r) => setTimeout(r, 50));
    }

    const requests = (labels: Record<string, string>) => value(samples, 'groundwork_http_requests_total', labels);
    assert.equal(requests({ family: 'rest', method: 'GET', status: '200' }), 3);
    assert.equal(requests({ family: 'rest', method: 'GET', status: '404' }), 1);
    assert.equal(requests({ family: 'auth', method: 'GET', status: '200' }), 1);
    assert.equal(requests({ family: 'auth', method: 'POST', status: '400' }), 1);
    assert.equal(requests({ family: 'health', method: 'GET', status: '200' }), 1);
    assert.equal(requests({ family: 'metrics', method: 'GET', status: '401' }), 5);
    assert.equal(value(samples, 'groundwork_http_request_duration_seconds_count', { family: 'rest', status: '200' }), 3);
    assert.ok((value(samples, 'groundwork_http_request_duration_seconds_sum', { family: 'rest', status: '200' }) ?? 0) > 0);
    assert.equal(value(samples, 'groundwork_http_request_duration_seconds_bucket', { family: 'rest', status: '200', le: '+Inf' }), 3);
    assert.equal(types.get('groundwork_http_requests_total'), 'counter');
    assert.equal(types.get('groundwork_http_request_duration_seconds'), 'histogram');

    // The pools: one session embedded; the three login pools on a server.
    if (dbKind === 'pglite') {
      assert.equal(value(samples, 'groundwork_db_pool_max_connections', { pool: 'embedded' }), 1);
      assert.ok((value(samples, 'groundwork_db_pool_acquires_total', { pool: 'embedded' }) ?? 0) > 0);
    } else {
      assert.equal(value(samples, 'groundwork_db_pool_max_connections', { pool: 'api' }), 10);
      assert.ok((value(samples, 'groundwork_db_pool_acquires_total', { pool: 'api' }) ?? 0) >= 4, 'the REST reads took api connections');
      assert.ok((value(samples, 'groundwork_db_pool_acquires_total', { pool: 'auth' }) ?? 0) >= 1, 'the sign-in took an auth connection');
      assert.ok(value(samples, 'groundwork_db_pool_wait_seconds_total', { pool: 'api' }) !== undefined);
    }
    const loads = samples.filter((s) => s.name === 'groundwork_schema_cache_loads_total').reduce((n, s) => n + s.value, 0);
    assert.ok(loads >= 1, 'the start loaded the schema cache');

    assert.equal(value(samples, 'groundwork_realtime_connections'), 0);
    assert.ok((value(samples, 'groundwork_realtime_messages_total', { direction: 'in' }) ?? 0) >= 1);
    assert.ok((value(samples, 'groundwork_realtime_messages_total', { direction: 'out' }) ?? 0) >= 1);

    assert.equal(value(samples, 'groundwork_outbox_pending_messages', { channel: 'email' }), 1);
    assert.ok((value(samples, 'groundwork_outbox_oldest_pending_age_seconds', { channel: 'email' }) ?? 0) >= 89);
    assert.equal(value(samples, 'groundwork_outbox_pending_messages', { channel: 'http' }), 0);
    assert.equal(value(samples, 'groundwork_outbox_oldest_pending_age_seconds', { channel: 'sms' }), 0);

    assert.ok((value(samples, 'process_cpu_seconds_total') ?? 0) > 0);
    assert.ok(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds'));
  });

  it('serves the metrics token and the service_role key as bearer', async () => {
    assert.equal((await scrape({ authorization: `Bearer ${TOKEN}` })).status, 200);
    assert.equal((await scrape({ authorization: `Bearer ${server.gw.keys.serviceRole}` })).status, 200);
  });

  it('is not mounted with metrics off', async () => {
    const off = await startTestServer({ env: { GROUNDWORK_METRICS: 'false' } });
    try {
      const res = await fetch(`${off.url}/metrics`, { headers: { apikey: off.gw.keys.serviceRole } });
      assert.equal(res.status, 404);
      await res.text();
    } finally {
      await off.stop();
    }
  });
});
