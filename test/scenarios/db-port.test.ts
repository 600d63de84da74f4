// The embedded database's PostgreSQL port, through real clients: psql and pg_dump (the
// PostgreSQL 15 client binaries), node-postgres and postgres.js pools beside REST and Auth
// traffic, Drizzle's migrator and drizzle-kit. The session is PGlite's one: clients take
// turns with the API, keep their own settings and statement names, and a client idle in a
// transaction, a cancel or a restart is handled as PostgreSQL would. Embedded mode only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import postgres from 'postgres';
import { cstring, message, T } from '../../src/db/embedded/wire/frames.ts';
import { sql } from '../../src/lib/sql.ts';
import { dbKind } from '../support/db.ts';
import { findPgBin } from '../support/pg-cluster.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/drizzle');
const IDLE_TIMEOUT_MS = 1500;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], input = '', cwd?: string): Promise<Run> {
  const child = spawn(command, args, { cwd, env: { ...process.env, PGCONNECT_TIMEOUT: '10' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const psql = (url: string, script: string) => run(join(findPgBin(), 'psql'), ['-X', '-v', 'ON_ERROR_STOP=1', '-d', url], script);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = performance.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || performance.now() > until) return v;
    await sleep(100);
  }
}

if (dbKind === 'pglite') {
  describe('the embedded database port', () => {
    let s: TestServer;
    let url: string;
    let anon: Record<string, string>;
    const admin = <R extends Record<string, unknown>>(text: TemplateStringsArray) => s.gw.db.admin.query<R>(sql(text)).then((r) => r.rows);
    const notes = () => fetch(`${s.url}/rest/v1/notes?select=id&order=id`, { headers: anon });

    before(async () => {
      s = await startTestServer({ env: { GROUNDWORK_DB_PORT: '0', GROUNDWORK_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: String(IDLE_TIMEOUT_MS) } });
      assert.ok(s.gw.dbUrl);
      url = s.gw.dbUrl;
      await s.gw.db.admin.script(`
        create table public.notes (id int primary key, body text not null);
        grant select on public.notes to anon;
        insert into public.notes values (1, 'one'), (2, 'two'), (3, 'three');`);
      await s.gw.schema.reload('test');
      anon = { apikey: s.gw.keys.anon, authorization: `Bearer ${s.gw.keys.anon}` };
    });
    after(() => s.stop());

    it("takes its password from the data directory (0600) and refuses any other, another user or database", async () => {
      const file = join(s.database.config.dataDir, 'db-password');
      const password = readFileSync(file, 'utf8').trim();
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.match(url, new RegExp(`^postgresql://postgres:${password}@127\\.0\\.0\\.1:\\d+/postgres$`));
      const wrong = new URL(url);
      wrong.password = 'not-the-password';
      const refused = await psql(wrong.toString(), 'select 1');
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /FATAL: {2}password authentication failed for user "postgres"/);
      assert.ok(s.events.some((e) => e.type === 'db-port-connection-ended' && e.code === '28P01'));
      for (const [user, database, code] of [['anon', 'postgres', '28P01'], ['postgres', 'app', '3D000']] as const) {
        const u = new URL(url);
        u.username = user;
        u.pathname = `/${database}`;
        const client = new pg.Client({ connectionString: u.toString() });
        await assert.rejects(client.connect(), (e: unknown) => (e as { code?: string }).code === code);
      }
    });

    it("applies the start-up packet's parameters and options to the client's session only; refuses unknown ones", async () => {
      const client = new pg.Client({ connectionString: url, application_name: 'port-test', options: '-c search_path=nowhere -c statement_timeout=5s' });
      await client.connect();
      try {
        const { rows } = await client.query("select current_setting('application_name') as a, current_setting('search_path') as p, current_setting('statement_timeout') as t");
        assert.deepEqual(rows, [{ a: 'port-test', p: 'nowhere', t: '5s' }]);
        assert.notDeepEqual(await admin`select current_setting('search_path') as p`, [{ p: 'nowhere' }]);
      } finally {
        await client.end();
      }
      // What the server reports at start-up (ParameterStatus) is the client's session.
      const reported = postgres(url, { max: 1, connection: { application_name: 'port-test-2', TimeZone: 'Europe/Paris' } });
      await reported`select 1`;
      assert.equal(reported.parameters['application_name'], 'port-test-2');
      assert.equal(reported.parameters['TimeZone'], 'Europe/Paris');
      assert.match(String(reported.parameters['server_version']), /^18\./);
      assert.equal(reported.parameters['is_superuser'], 'on');
      await reported.end();
      const refused = new pg.Client({ connectionString: url, options: '-c no_such_setting=1' });
      await assert.rejects(refused.connect(), (e: unknown) => (e as { code?: string }).code === '42704');
    });

    it('ends a connection that breaks the protocol with 08P01 before PGlite sees it, and goes on serving', async () => {
      const broken = [message(0x7a, Buffer.from('x')), message(T.parse, Buffer.from('no terminator')), Buffer.concat([message(T.query, cstring('select 1')), message(T.terminate)])];
      for (const bytes of broken) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        const failed = new Promise<unknown>((resolve) => client.on('error', resolve));
        const ended = new Promise<void>((resolve) => client.on('end', () => resolve()));
        (client as unknown as { connection: { stream: Socket } }).connection.stream.write(bytes);
        await ended;
        // A Terminate inside a batch just ends the connection: it never reaches PGlite, whose backend would exit.
        if (bytes !== broken[2]) assert.equal(((await failed) as { code?: string }).code, '08P01');
      }
      assert.deepEqual(await admin`select 1 as one`, [{ one: 1 }]);
      const after = new pg.Client({ connectionString: url });
      await after.connect();
      assert.deepEqual((await after.query('select 2 as two')).rows, [{ two: 2 }]);
      await after.end();
    });

    it('serves psql: queries, \\dt, a transaction, a rollback and COPY FROM STDIN', async () => {
      const r = await psql(
        url,
        `select 40 + 2 as answer;
create table public.port_psql (id int primary key, note text);
\\dt public.port_psql
begin;
insert into public.port_psql values (1, 'one');
insert into public.port_psql values (2, 'two');
commit;
begin;
insert into public.port_psql values (3, 'rolled back');
rollback;
copy public.port_psql from stdin;
4\tfour
5\tfive
\\.
select string_agg(id::text, ',' order by id) as ids from public.port_psql;
`,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /answer \n-+\n +42\n/);
      assert.match(r.stdout, /public \| port_psql \| table \| postgres/);
      assert.match(r.stdout, /COMMIT\n/);
      assert.match(r.stdout, /ROLLBACK\nCOPY 2\n/);
      assert.match(r.stdout, / 1,2,4,5\n/);
    });

    it('lets pg_dump in; a PostgreSQL 15 pg_dump then refuses the version 18 server itself', async () => {
      const r = await run(join(findPgBin(), 'pg_dump'), ['--schema-only', '--table=public.notes', '-d', url]);
      const major = Number(/pg_dump \(PostgreSQL\) (\d+)/.exec((await run(join(findPgBin(), 'pg_dump'), ['--version'])).stdout)?.[1]);
      if (major >= 18) {
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /CREATE TABLE public\.notes/);
      } else {
        assert.equal(r.code, 1);
        assert.match(r.stderr, /aborting because of server version mismatch/);
        assert.match(r.stderr, /server version: 18\.\d+; pg_dump version: 15\./);
      }
    });

    it('gives each client its own named prepared statements, and closes them when it leaves', async () => {
      const a = new pg.Client({ connectionString: url });
      const b = new pg.Client({ connectionString: url });
      await Promise.all([a.connect(), b.connect()]);
      for (let i = 0; i < 3; i++) {
        const [ra, rb] = await Promise.all([a.query({ name: 'which', text: 'select $1::int + 1 as v', values: [i] }), b.query({ name: 'which', text: "select $1::text || '!' as v", values: [`b${i}`] })]);
        assert.deepEqual([ra.rows, rb.rows], [[{ v: i + 1 }], [{ v: `b${i}!` }]]);
      }
      const named = await admin<{ n: number }>`select count(*)::int as n from pg_prepared_statements where name like 'gw%\\_which'`;
      assert.equal(named[0]?.n, 2);
      await Promise.all([a.end(), b.end()]);
      const left = await eventually(
        () => admin<{ n: number }>`select count(*)::int as n from pg_prepared_statements where name like 'gw%\\_which'`,
        (rows) => rows[0]?.n === 0,
      );
      assert.equal(left[0]?.n, 0);
    });

    it("serves a postgres.js pool beside REST and Auth: clients' SET ROLE and search_path stay theirs", async () => {
      const api = await admin<{ u: string; p: string }>`select current_user as u, current_setting('search_path') as p`;
      const pool = postgres(url, { max: 4, onnotice: () => undefined });
      try {
        const asAnon = await pool.reserve();
        const elsewhere = await pool.reserve();
        await asAnon`set role anon`;
        await elsewhere`set search_path = nowhere`;
        const [queries, rest, signups, anonRoles, paths, apiState] = await Promise.all([
          Promise.all(Array.from({ length: 120 }, (_, i) => pool`select body from public.notes where id = ${(i % 3) + 1}`)),
          Promise.all(Array.from({ length: 40 }, () => notes().then(async (r) => [r.status, await r.json()] as const))),
          Promise.all(
            Array.from({ length: 4 }, (_, i) =>
              fetch(`${s.url}/auth/v1/signup`, { method: 'POST', headers: { apikey: s.gw.keys.anon, 'content-type': 'application/json' }, body: JSON.stringify({ email: `port${i}@example.com`, password: 'a-long-password' }) }).then((r) => r.status),
            ),
          ),
          Promise.all(Array.from({ length: 20 }, () => asAnon`select current_user as u`)),
          Promise.all(Array.from({ length: 20 }, () => elsewhere`select current_setting('search_path') as p`)),
          Promise.all(Array.from({ length: 20 }, () => admin<{ u: string; p: string }>`select current_user as u, current_setting('search_path') as p`)),
        ]);
        assert.deepEqual(new Set(queries.map((r) => r[0]?.['body'])), new Set(['one', 'two', 'three']));
        for (const [status, body] of rest) assert.deepEqual([status, body], [200, [{ id: 1 }, { id: 2 }, { id: 3 }]]);
        assert.deepEqual(signups, [200, 200, 200, 200]);
        assert.ok(anonRoles.every((r) => r[0]?.['u'] === 'anon'));
        assert.ok(paths.every((r) => r[0]?.['p'] === 'nowhere'));
        for (const rows of apiState) assert.deepEqual(rows, api);
        asAnon.release();
        elsewhere.release();
      } finally {
        await pool.end();
      }
    });

    it("never interleaves a client's transaction with the API's: a request waits for its COMMIT", async () => {
      const pool = postgres(url, { max: 1, onnotice: () => undefined });
      try {
        let rest: Promise<unknown> | undefined;
        await pool.begin(async (tx) => {
          await tx`insert into public.notes values (100, 'in a transaction')`;
          rest = fetch(`${s.url}/rest/v1/notes?id=gte.100&select=id`, { headers: anon }).then((r) => r.json());
          await sleep(300);
          await tx`insert into public.notes values (101, 'same transaction')`;
        });
        assert.deepEqual(await rest, [{ id: 100 }, { id: 101 }]);
      } finally {
        await pool`delete from public.notes where id >= 100`;
        await pool.end();
      }
    });

    it('runs Drizzle migrations, with its migrator and with drizzle-kit migrate; REST sees the new tables', async () => {
      const pool = new pg.Pool({ connectionString: url, max: 3 });
      try {
        await migrate(drizzle(pool), { migrationsFolder: join(FIXTURES, 'app') });
        const applied = await pool.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
        assert.equal(applied.rows[0]?.n, 2);
        // The DDL's NOTIFY pgrst, raised in a port client's transaction, reloads the API's schema cache.
        const todos = await eventually(
          () => fetch(`${s.url}/rest/v1/todos?select=title,done&order=id`, { headers: anon }).then(async (r) => [r.status, await r.json()] as const),
          ([status]) => status === 200,
        );
        assert.deepEqual(todos, [
          200,
          [
            { title: 'write the port', done: true },
            { title: 'test it', done: false },
          ],
        ]);
        await migrate(drizzle(pool), { migrationsFolder: join(FIXTURES, 'app') }); // nothing left to apply
        assert.equal((await pool.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations')).rows[0]?.n, 2);
      } finally {
        await pool.end();
      }
      const dir = mkdtempSync(join(tmpdir(), 'gw-drizzle-kit-'));
      try {
        const config = { dialect: 'postgresql', out: join(FIXTURES, 'kit'), dbCredentials: { url }, migrations: { schema: 'drizzle', table: '__kit_migrations' } };
        writeFileSync(join(dir, 'drizzle.config.json'), JSON.stringify(config));
        const bin = join(dirname(createRequire(import.meta.url).resolve('drizzle-kit')), 'bin.cjs');
        const r = await run(process.execPath, [bin, 'migrate', '--config', join(dir, 'drizzle.config.json')], '', dir);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const tags = await admin<{ name: string }>`select name from public.tags order by id`;
        assert.deepEqual(tags, [{ name: 'embedded' }, { name: 'port' }]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("hands a client's NOTIFY to the API's listeners; LISTEN gets a warning and its channel is taken back", async () => {
      const heard: string[] = [];
      const unlisten = await s.gw.db.admin.listen('port_test', (payload) => heard.push(payload));
      try {
        const r = await psql(url, "listen somewhere;\nnotify port_test, 'from psql';\n");
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /WARNING: {2}LISTEN is not supported on Groundwork's database port/);
        await eventually(async () => heard, (h) => h.length > 0);
        assert.deepEqual(heard, ['from psql']);
        const channels = (await admin<{ c: string }>`select pg_listening_channels() as c`).map((row) => row.c);
        assert.ok(channels.includes('port_test') && channels.includes('pgrst') && !channels.includes('somewhere'), channels.join());
      } finally {
        await unlisten();
      }
    });

    it('closes a client idle in a transaction with 25P03 and rolls it back, without stalling REST past the timeout', async () => {
      const client = psql(url, `begin;\ninsert into public.notes values (200, 'idle');\n\\! sleep 4\nselect 'still here';\n`);
      await sleep(500);
      const started = performance.now();
      const res = await notes();
      const waited = performance.now() - started;
      assert.equal(res.status, 200);
      assert.ok(waited < IDLE_TIMEOUT_MS + 1000, `REST waited ${Math.round(waited)} ms`);
      const r = await client;
      assert.equal(r.code, 2);
      assert.match(r.stderr, /FATAL: {2}terminating connection due to idle-in-transaction timeout/);
      assert.deepEqual(await admin`select id from public.notes where id = 200`, []);
      assert.ok(s.events.some((e) => e.type === 'db-port-connection-ended' && e.code === '25P03'));
    });

    it('cancels a query still waiting for its turn without restarting anything; the connection goes on', async () => {
      const pool = postgres(url, { max: 1, onnotice: () => undefined });
      await pool`select 0`; // connected: a cancel needs the key the server sent
      let release = () => undefined as void;
      const held = s.gw.db.admin.transaction(() => new Promise<void>((r) => (release = () => r())));
      try {
        await sleep(100);
        const queued = pool`select 1 as one`;
        setTimeout(() => queued.cancel(), 300);
        await assert.rejects(queued, (e: unknown) => (e as { code?: string }).code === '57014');
        release();
        await held;
        assert.deepEqual([...(await pool`select 2 as two`)], [{ two: 2 }]);
        assert.ok(!s.events.some((e) => e.type === 'db-worker-restarted'));
      } finally {
        release();
        await pool.end();
      }
    });

    // The last two restart the embedded database's worker.
    it('stops a statement whose client left once it has run a second more, as the API does', async () => {
      const pool = postgres(url, { max: 1, onnotice: () => undefined });
      await pool`select 0`;
      const slow = pool`select pg_sleep(30)`.catch(() => undefined);
      await sleep(300);
      await pool.end({ timeout: 0 });
      await slow;
      const started = performance.now();
      assert.equal((await notes()).status, 200);
      assert.ok(performance.now() - started < 10_000, `REST waited ${Math.round(performance.now() - started)} ms`);
      assert.ok(s.events.some((e) => e.type === 'db-worker-restarted' && e.reason === 'abort'));
    });


    it('cancels a running statement by restarting the worker: 57014 for it, the other clients closed, REST goes on', async () => {
      const pool = postgres(url, { max: 2, onnotice: () => undefined });
      try {
        const other = await pool.reserve();
        await other`select 1`;
        const slow = pool`select pg_sleep(30)`;
        setTimeout(() => slow.cancel(), 500);
        const started = performance.now();
        await assert.rejects(slow, (e: unknown) => (e as { code?: string }).code === '57014');
        assert.ok(performance.now() - started < 10_000);
        await assert.rejects(other`select 1`);
        other.release();
        assert.equal((await notes()).status, 200);
        assert.ok(s.events.some((e) => e.type === 'db-worker-restarted' && e.reason === 'cancel'));
        const fresh = postgres(url, { max: 1 });
        assert.deepEqual([...(await fresh`select 1 as one`)], [{ one: 1 }]);
        await fresh.end();
      } finally {
        await pool.end({ timeout: 1 });
      }
    });
  });
}
