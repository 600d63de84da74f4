// `groundwork mcp`: the same tools over stdio, as clients configured with a command launch
// it. The operator's session, read-only mode, and a per-user session under RLS.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/open.ts';
import { sql } from '../../src/lib/sql.ts';
import { CLI, cliEnv, dbEnv } from '../support/cli.ts';
import { createTestDatabase, dbKind, quiet, type TestDatabase } from '../support/db.ts';
import { output, rowsOf, toolError } from '../support/mcp.ts';
import { ALICE, BOB, mintToken } from '../support/tokens.ts';

async function launch(database: TestDatabase, args: string[] = [], confirm?: boolean): Promise<Client> {
  const client = new Client({ name: 'groundwork-stdio-test', version: '1.0.0' }, { capabilities: confirm === undefined ? {} : { elicitation: { form: {} } } });
  if (confirm !== undefined) client.setRequestHandler(ElicitRequestSchema, async () => (confirm ? { action: 'accept', content: { confirm: true } } : { action: 'decline' }));
  const env = cliEnv(dbEnv(database));
  await client.connect(new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', CLI, 'mcp', ...args], env: env as Record<string, string>, stderr: 'pipe' }));
  return client;
}

describe(`groundwork mcp over stdio (${dbKind})`, () => {
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase();
    const db = await openDatabase(database.config, quiet);
    try {
      await db.script(`
        create table public.diary (id serial primary key, owner uuid not null, entry text not null);
        alter table public.diary enable row level security;
        create policy "own entries" on public.diary to authenticated using (owner = (select auth.uid()));
        grant select on public.diary to authenticated;`);
      await db.query(sql`insert into public.diary (owner, entry) values (${ALICE}, 'alice'), (${BOB}, 'bob')`);
    } finally {
      await db.close();
    }
  });
  after(async () => database?.dispose());

  it("serves the operator's tools", async () => {
    const client = await launch(database);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('apply_migration') && names.includes('execute_sql') && names.includes('get_advisors'));
      assert.deepEqual(rowsOf(await client.callTool({ name: 'execute_sql', arguments: { query: 'select entry from diary order by entry' } })), [{ entry: 'alice' }, { entry: 'bob' }]);
      const { tables } = output(await client.callTool({ name: 'list_tables', arguments: {} })) as { tables: Array<{ name: string }> };
      assert.deepEqual(tables.map((t) => t.name), ['public.diary']);
    } finally {
      await client.close();
    }
  });

  it('serves every tool over stdio', async () => {
    const project = mkdtempSync(join(tmpdir(), 'gw-mcp-stdio-'));
    const client = await launch(database, ['--project-dir', project], false);
    try {
      const called = new Set<string>();
      const call = async (name: string, args: Record<string, unknown> = {}) => {
        called.add(name);
        return client.callTool({ name, arguments: args });
      };
      assert.deepEqual(output(await call('apply_migration', { name: 'stdio_table', query: 'create table public.stdio_table (id int primary key)' })), { success: true });
      assert.ok(existsSync(join(project, 'supabase', 'migrations')));
      assert.deepEqual((output(await call('list_migrations')) as { migrations: Array<{ name: string }> }).migrations.map((m) => m.name), ['stdio_table']);
      assert.ok((output(await call('list_tables', { verbose: true })) as { tables: unknown[] }).tables.length >= 2);
      assert.ok((output(await call('list_extensions')) as { extensions: unknown[] }).extensions.length > 0);
      assert.deepEqual(rowsOf(await call('execute_sql', { query: 'select count(*)::int as n from stdio_table' })), [{ n: 0 }]);
      // The client declines: nothing is dropped.
      assert.match(toolError(await call('execute_sql', { query: 'drop table stdio_table' })).message, /declined/);
      assert.ok(Array.isArray((output(await call('get_logs', { service: 'postgres' })) as { result: unknown[] }).result));
      assert.ok(Array.isArray((output(await call('query_logs', { level: 'error', limit: 5 })) as { result: unknown[] }).result));
      assert.ok(Array.isArray((output(await call('get_advisors', { type: 'security' })) as { result: { lints: unknown[] } }).result.lints));
      assert.match(String(output(await call('generate_typescript_types'))['types']), /stdio_table: \{/);
      assert.match(String(output(await call('get_project_url'))['url']), /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((output(await call('get_publishable_keys')) as { keys: unknown[] }).keys.length, 1);
      assert.ok((output(await call('search_docs', { graphql_query: 'migrations' })) as { result: { searchDocs: { nodes: unknown[] } } }).result.searchDocs.nodes.length > 0);
      output(await call('deploy_edge_function', { name: 'stdio-fn', files: [{ name: 'index.ts', content: 'Deno.serve(() => new Response("ok"));\n' }] }));
      assert.deepEqual((output(await call('list_edge_functions')) as { functions: Array<{ slug: string }> }).functions.map((f) => f.slug), ['stdio-fn']);
      assert.equal((output(await call('get_edge_function', { function_slug: 'stdio-fn' })) as { files: unknown[] }).files.length, 1);
      const listed = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual([...called].sort(), listed);
    } finally {
      await client.close();
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('hides the writing tools with --read-only', async () => {
    const client = await launch(database, ['--read-only']);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(!names.includes('apply_migration') && names.includes('execute_sql'));
      assert.match(toolError(await client.callTool({ name: 'execute_sql', arguments: { query: 'delete from diary where true' } })).message, /read-only transaction/);
    } finally {
      await client.close();
    }
  });

  it("runs as a user with --user-token: their rows only, and no way out of their claims", async () => {
    const token = await mintToken({ sub: BOB, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 600 });
    const client = await launch(database, ['--user-token', token]);
    try {
      assert.deepEqual(rowsOf(await client.callTool({ name: 'execute_sql', arguments: { query: 'select entry from diary' } })), [{ entry: 'bob' }]);
      assert.match(toolError(await client.callTool({ name: 'execute_sql', arguments: { query: 'reset role' } })).message, /signed-in user may/);
    } finally {
      await client.close();
    }
  });
});
