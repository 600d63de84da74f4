// The MCP server at /mcp, driven by the MCP SDK's client the way developers configure
// Supabase's: tools listed, a migration applied, SQL run, Edge Functions deployed; read-only
// mode, feature groups, the confirmation of destructive SQL, and per-user sessions under RLS.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { dbKind } from '../support/db.ts';
import { connectMcp, output, rowsOf, toolError } from '../support/mcp.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ALICE, BOB, mintToken } from '../support/tokens.ts';

const NOTES = `
create table public.notes (
  id bigint generated always as identity primary key,
  owner uuid not null default auth.uid(),
  body text not null
);
alter table public.notes enable row level security;
create policy "own notes" on public.notes for all to authenticated using (owner = (select auth.uid())) with check (owner = (select auth.uid()));
grant select, insert, update, delete on public.notes to authenticated;`;

describe(`the MCP server (${dbKind})`, () => {
  let server: TestServer;
  let project: string;
  let operator: Client;
  let alice: Client;

  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'gw-mcp-project-'));
    // The log store keeps info lines although the test log is silent.
    server = await startTestServer({ projectDir: project, env: { GROUNDWORK_LOG_STORE_LEVEL: 'info' } });
    operator = await connectMcp(server.url, server.gw.keys.serviceRole, { elicit: () => true });
    alice = await connectMcp(server.url, await mintToken({ sub: ALICE, role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 }));
  });
  after(async () => {
    await operator?.close();
    await alice?.close();
    await server?.stop();
    rmSync(project, { recursive: true, force: true });
  });

  it("lists Supabase's tool names with their annotations and input schemas", async () => {
    const { tools } = await operator.listTools();
    const names = tools.map((t) => t.name);
    for (const name of ['search_docs', 'list_tables', 'list_extensions', 'list_migrations', 'apply_migration', 'execute_sql', 'get_project_url', 'get_publishable_keys', 'list_edge_functions', 'get_edge_function', 'deploy_edge_function']) {
      assert.ok(names.includes(name), `${name} is listed`);
    }
    const listTables = tools.find((t) => t.name === 'list_tables');
    assert.equal(listTables?.annotations?.readOnlyHint, true);
    assert.deepEqual(Object.keys(listTables?.inputSchema.properties ?? {}).sort(), ['schemas', 'verbose']);
    assert.equal(tools.find((t) => t.name === 'apply_migration')?.annotations?.destructiveHint, true);
  });

  it('applies a migration as the CLI would: recorded, and written to supabase/migrations', async () => {
    assert.deepEqual(output(await operator.callTool({ name: 'apply_migration', arguments: { name: 'create_notes', query: NOTES } })), { success: true });
    const files = readdirSync(join(project, 'supabase', 'migrations'));
    assert.equal(files.length, 1);
    assert.match(files[0] ?? '', /^\d{14}_create_notes\.sql$/);
    assert.equal(readFileSync(join(project, 'supabase', 'migrations', files[0] ?? ''), 'utf8').trim(), NOTES.trim());
    const { migrations } = output(await operator.callTool({ name: 'list_migrations', arguments: {} })) as { migrations: Array<{ version: string; name?: string }> };
    assert.deepEqual(migrations, [{ version: (files[0] ?? '').slice(0, 14), name: 'create_notes' }]);
  });

  it('keeps no file and no record of a migration that fails', async () => {
    const failed = toolError(await operator.callTool({ name: 'apply_migration', arguments: { name: 'broken', query: 'create table ok_one (id int); create tabel nope (id int);' } }));
    assert.match(failed.message, /syntax error/);
    assert.equal(readdirSync(join(project, 'supabase', 'migrations')).length, 1);
    assert.deepEqual(rowsOf(await operator.callTool({ name: 'execute_sql', arguments: { query: "select to_regclass('public.ok_one') as t" } })), [{ t: null }]);
  });

  it('runs SQL and hands rows back inside untrusted-data boundaries', async () => {
    const inserted = rowsOf(
      await operator.callTool({ name: 'execute_sql', arguments: { query: `insert into notes (owner, body) values ('${ALICE}', 'alice 1'), ('${ALICE}', 'alice 2'), ('${BOB}', 'bob 1') returning body` } }),
    );
    assert.deepEqual(inserted, [{ body: 'alice 1' }, { body: 'alice 2' }, { body: 'bob 1' }]);
    // Several statements: the rows of the last one that returned any.
    assert.deepEqual(rowsOf(await operator.callTool({ name: 'execute_sql', arguments: { query: 'select count(*)::int as n from notes; select 1 where false' } })), [{ n: 3 }]);
    assert.match(toolError(await operator.callTool({ name: 'execute_sql', arguments: { query: 'select * from missing_table' } })).message, /does not exist/);
    assert.match(toolError(await operator.callTool({ name: 'execute_sql', arguments: { query: 'begin; select 1; commit' } })).message, /transaction control/);
  });

  it('lists tables compactly or verbosely, with an advisory when RLS is off', async () => {
    const compact = output(await operator.callTool({ name: 'list_tables', arguments: {} }));
    assert.deepEqual(compact, { tables: [{ name: 'public.notes', rls_enabled: true, rows: (compact['tables'] as Array<{ rows: number }>)[0]?.rows }] });
    const verbose = output(await operator.callTool({ name: 'list_tables', arguments: { verbose: true } })) as { tables: Array<Record<string, unknown>> };
    assert.deepEqual(verbose.tables[0]?.['primary_keys'], ['id']);
    assert.deepEqual(
      (verbose.tables[0]?.['columns'] as Array<{ name: string; options: string[] }>).map((c) => [c.name, c.options]),
      [
        ['id', ['identity', 'updatable', 'unique']],
        ['owner', ['updatable']],
        ['body', ['updatable']],
      ],
    );
    assert.deepEqual(output(await operator.callTool({ name: 'apply_migration', arguments: { name: 'open_table', query: 'create table public.open_table (id int primary key)' } })), { success: true });
    const advised = output(await operator.callTool({ name: 'list_tables', arguments: { schemas: ['public'] } })) as { advisory?: { id: string; remediation_sql: string } };
    assert.equal(advised.advisory?.id, 'rls_disabled');
    assert.equal(advised.advisory?.remediation_sql, 'ALTER TABLE public.open_table ENABLE ROW LEVEL SECURITY;');
    assert.match(toolError(await operator.callTool({ name: 'list_tables', arguments: { verbose: true, extra: 1 } })).message, /extra|Unrecognized/i);
  });

  it('lists extensions, the project URL and the client-safe key', async () => {
    const { extensions } = output(await operator.callTool({ name: 'list_extensions', arguments: {} })) as { extensions: Array<{ name: string; installed_version: string | null }> };
    assert.ok(extensions.some((e) => e.name === 'plpgsql' && e.installed_version !== null));
    assert.deepEqual(output(await operator.callTool({ name: 'get_project_url', arguments: {} })), { url: server.url });
    const { keys } = output(await operator.callTool({ name: 'get_publishable_keys', arguments: {} })) as { keys: Array<{ api_key: string; name: string; type: string }> };
    assert.deepEqual(keys.map((k) => [k.name, k.type, k.api_key]), [['anon', 'legacy', server.gw.keys.anon]]);
  });

  it('generates TypeScript types for createClient<Database>', async () => {
    const { types } = output(await operator.callTool({ name: 'generate_typescript_types', arguments: { included_schemas: ['public'] } })) as { types: string };
    assert.match(types, /^export type Json =/);
    assert.match(types, /__InternalSupabase: \{\n\s+PostgrestVersion: "13\.0\.0-groundwork"/);
    assert.match(types, /notes: \{\n\s+Row: \{\n\s+body: string\n\s+id: number\n\s+owner: string/);
  });

  it("searches Groundwork's docs through Supabase's GraphQL-shaped search_docs", async () => {
    const { result } = output(await operator.callTool({ name: 'search_docs', arguments: { graphql_query: '{ searchDocs(query: "row level security", limit: 2) { nodes { title href content } } }' } })) as {
      result: { searchDocs: { nodes: Array<{ title: string; href: string }> } };
    };
    assert.equal(result.searchDocs.nodes.length, 2);
    assert.match(result.searchDocs.nodes[0]?.href ?? '', /\.md/);
  });

  it('asks before SQL that loses data, and runs nothing when declined', async () => {
    const wary = await connectMcp(server.url, server.gw.keys.serviceRole, { elicit: () => false });
    try {
      assert.match(toolError(await wary.callTool({ name: 'execute_sql', arguments: { query: 'delete from notes' } })).message, /declined/);
      assert.match(toolError(await wary.callTool({ name: 'apply_migration', arguments: { name: 'drop_open', query: 'drop table open_table' } })).message, /declined/);
      assert.deepEqual(rowsOf(await wary.callTool({ name: 'execute_sql', arguments: { query: "select count(*)::int as n, to_regclass('open_table') is not null as kept from notes" } })), [{ n: 3, kept: true }]);
    } finally {
      await wary.close();
    }
    assert.deepEqual(output(await operator.callTool({ name: 'apply_migration', arguments: { name: 'drop_open', query: 'drop table open_table' } })), { success: true });
  });

  it('in read-only mode, hides and refuses every write', async () => {
    const ro = await connectMcp(server.url, server.gw.keys.serviceRole, { query: '?read_only=true' });
    try {
      const names = (await ro.listTools()).tools.map((t) => t.name);
      assert.ok(!names.includes('apply_migration') && !names.includes('deploy_edge_function'));
      assert.ok(names.includes('execute_sql') && names.includes('list_tables'));
      assert.equal(toolError(await ro.callTool({ name: 'apply_migration', arguments: { name: 'x', query: 'create table x (id int)' } })).name, 'McpError');
      assert.match(toolError(await ro.callTool({ name: 'execute_sql', arguments: { query: "insert into notes (owner, body) values (gen_random_uuid(), 'x')" } })).message, /read-only transaction/);
      assert.match(toolError(await ro.callTool({ name: 'execute_sql', arguments: { query: 'set transaction read write; delete from notes' } })).message, /read-only mode/);
      assert.deepEqual(rowsOf(await ro.callTool({ name: 'execute_sql', arguments: { query: 'select count(*)::int as n from notes' } })), [{ n: 3 }]);
    } finally {
      await ro.close();
    }
  });

  it('offers only the feature groups asked for', async () => {
    const docsOnly = await connectMcp(server.url, server.gw.keys.serviceRole, { query: '?features=docs' });
    try {
      assert.deepEqual((await docsOnly.listTools()).tools.map((t) => t.name), ['search_docs']);
    } finally {
      await docsOnly.close();
    }
  });

  it("runs a signed-in user's session as that user, under RLS", async () => {
    const names = (await alice.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('execute_sql') && names.includes('list_tables'));
    assert.ok(!names.includes('apply_migration') && !names.includes('list_migrations') && !names.includes('deploy_edge_function'));
    assert.deepEqual(rowsOf(await alice.callTool({ name: 'execute_sql', arguments: { query: 'select body from notes order by body' } })), [{ body: 'alice 1' }, { body: 'alice 2' }]);
    assert.deepEqual(rowsOf(await alice.callTool({ name: 'execute_sql', arguments: { query: `select count(*)::int as n from notes where owner = '${BOB}'` } })), [{ n: 0 }]);
    // A row for someone else is refused by the policy's WITH CHECK.
    assert.match(toolError(await alice.callTool({ name: 'execute_sql', arguments: { query: `insert into notes (owner, body) values ('${BOB}', 'forged')` } })).message, /row-level security/);
    // No way out of her role or claims.
    for (const query of ['set role service_role; select * from notes', "select set_config('request.jwt.claims', '{\"sub\":\"" + BOB + "\"}', true)", 'reset session authorization', "select query_to_xml('select * from notes', true, true, '')"]) {
      assert.match(toolError(await alice.callTool({ name: 'execute_sql', arguments: { query } })).message, /signed-in user may/, query);
    }
  });

  it('runs the advisors: RLS off and an unindexed foreign key are found', async () => {
    const fixtures = 'create table public.unguarded (id int primary key); create table public.comments (id int primary key, note bigint references public.notes (id)); alter table public.comments enable row level security;';
    assert.deepEqual(output(await operator.callTool({ name: 'apply_migration', arguments: { name: 'advisor_fixtures', query: fixtures } })), { success: true });
    const lintsOf = async (type: string) =>
      (output(await operator.callTool({ name: 'get_advisors', arguments: { type } })) as { result: { lints: Array<{ name: string; count: number; findings: Array<{ metadata: { name?: string } }> }> } }).result.lints;
    const security = await lintsOf('security');
    const open = security.find((l) => l.name === 'rls_disabled_in_public');
    assert.ok(open?.findings.some((f) => f.metadata.name === 'unguarded'));
    assert.ok(security.some((l) => l.name === 'rls_enabled_no_policy' && l.findings.some((f) => f.metadata.name === 'comments')));
    const performance = await lintsOf('performance');
    assert.ok(performance.some((l) => l.name === 'unindexed_foreign_keys' && l.findings.some((f) => f.metadata.name === 'comments')));
    const health = output(await operator.callTool({ name: 'get_advisors', arguments: { type: 'health' } })) as { result: { metrics?: { database_size_bytes: number } } };
    assert.ok((health.result.metrics?.database_size_bytes ?? 0) > 0);
    assert.match(toolError(await operator.callTool({ name: 'get_advisors', arguments: { type: 'style' } })).message, /type|Invalid/);
  });

  it('reads the log store: get_logs per service, query_logs by request id', async () => {
    const requestId = `mcp-log-${Date.now()}`;
    const res = await fetch(`${server.url}/rest/v1/notes?select=id`, { headers: { apikey: server.gw.keys.anon, 'x-request-id': requestId } });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    let found: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      found = (output(await operator.callTool({ name: 'query_logs', arguments: { requestId } })) as { result: Array<Record<string, unknown>> }).result;
      if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(found.length, 1);
    assert.equal(found[0]?.['request_id'], requestId);
    assert.equal(found[0]?.['event'], 'request');
    const { result } = output(await operator.callTool({ name: 'get_logs', arguments: { service: 'api' } })) as { result: Array<{ event_message: string }> };
    assert.ok(result.some((r) => r.event_message.includes('/rest/v1/notes')));
    assert.match(toolError(await operator.callTool({ name: 'query_logs', arguments: { since: 'yesterday' } })).message, /ISO 8601/);
  });

  it('refuses requests without the right credentials, with stable codes', async () => {
    const post = (headers: Record<string, string>, query = '') =>
      fetch(`${server.url}/mcp${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    const none = await post({});
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { code: string }).code, 'MCP_UNAUTHORIZED');
    const anon = await post({ authorization: `Bearer ${server.gw.keys.anon}` });
    assert.equal(anon.status, 403);
    assert.equal(((await anon.json()) as { code: string }).code, 'MCP_FORBIDDEN');
    const bad = await post({ authorization: 'Bearer not.a.jwt' });
    assert.equal(bad.status, 401);
    const option = await post({ authorization: `Bearer ${server.gw.keys.serviceRole}` }, '?read_only=maybe');
    assert.equal(option.status, 400);
    assert.equal(((await option.json()) as { code: string }).code, 'MCP_BAD_OPTION');
    // A stateless call (no session) is answered as JSON.
    const stateless = await post({ authorization: `Bearer ${server.gw.keys.serviceRole}` });
    assert.equal(stateless.status, 200);
    const listed = (await stateless.json()) as { result: { tools: unknown[] } };
    assert.ok(listed.result.tools.length > 5);
    const get = await fetch(`${server.url}/mcp`, { headers: { authorization: `Bearer ${server.gw.keys.serviceRole}` } });
    assert.equal(get.status, 405);
    const gone = await fetch(`${server.url}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${server.gw.keys.serviceRole}`, 'mcp-session-id': 'no-such-session' } });
    assert.equal(gone.status, 404);
  });

  it('deploys an Edge Function into supabase/functions, then lists, reads and serves it', async () => {
    const source = 'Deno.serve(() => new Response(JSON.stringify({ hello: "from mcp" }), { headers: { "content-type": "application/json" } }));\n';
    const deployed = output(
      await operator.callTool({ name: 'deploy_edge_function', arguments: { name: 'hello-mcp', verify_jwt: false, files: [{ name: 'index.ts', content: source }] } }),
    );
    assert.equal(deployed['slug'], 'hello-mcp');
    assert.equal(deployed['verify_jwt'], false);
    assert.equal(deployed['entrypoint_path'], './functions/hello-mcp/index.ts');
    assert.ok(existsSync(join(project, 'supabase', 'functions', 'hello-mcp', 'index.ts')));
    assert.match(readFileSync(join(project, 'supabase', 'config.toml'), 'utf8'), /\[functions\.hello-mcp\]\nverify_jwt = false/);
    const { functions } = output(await operator.callTool({ name: 'list_edge_functions', arguments: {} })) as { functions: Array<{ slug: string }> };
    assert.deepEqual(functions.map((f) => f.slug), ['hello-mcp']);
    const got = output(await operator.callTool({ name: 'get_edge_function', arguments: { function_slug: 'hello-mcp' } })) as { files: Array<{ name: string; content: string }> };
    assert.deepEqual(got.files, [{ name: 'index.ts', content: source }]);
    assert.match(toolError(await operator.callTool({ name: 'get_edge_function', arguments: { function_slug: 'nope' } })).message, /not found/);
    assert.match(
      toolError(await operator.callTool({ name: 'deploy_edge_function', arguments: { name: 'evil', files: [{ name: '../escape.ts', content: '' }], entrypoint_path: '../escape.ts' } })).message,
      /relative path inside/,
    );
    // Served once the watcher has seen it.
    let answer: unknown;
    for (let i = 0; i < 100 && answer === undefined; i++) {
      const res = await fetch(`${server.url}/functions/v1/hello-mcp`);
      if (res.status === 200) answer = await res.json();
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(answer, { hello: 'from mcp' });
  });
});
