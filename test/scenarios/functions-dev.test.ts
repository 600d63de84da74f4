// The development loop while `start` runs: `groundwork functions new` writes a starter that
// is served at once (the folder may not even exist when the server starts), an edited file
// is picked up by the next invocation, a deleted function is gone, and a config.toml change
// (verify_jwt) applies, all without a restart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { runFunctionsNew } from '../../src/cli/functions-commands.ts';
import { dbKind } from '../support/db.ts';
import { eventually } from '../support/jobs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';

describe(`functions while developing (${dbKind})`, () => {
  let projectDir: string;
  let server: TestServer;
  let client: SupabaseClient;
  const lines: string[] = [];

  before(async () => {
    projectDir = mkdtempSync(join(tmpdir(), 'gw-fn-dev-'));
    server = await startTestServer({ projectDir });
    client = supabase(server.url, server.gw.keys.anon);
  });
  after(async () => {
    await server.stop();
    rmSync(projectDir, { recursive: true, force: true });
  });

  const status = async (name: string, token: string | null = server.gw.keys.anon) =>
    (await fetch(`${server.url}/functions/v1/${name}`, { method: 'POST', headers: token === null ? {} : { authorization: `Bearer ${token}` } })).status;

  it('serves the starter `functions new` writes, through functions.invoke', { timeout: 60_000 }, async () => {
    assert.equal(await status('hello-world'), 404);
    const config = server.database.config;
    runFunctionsNew(config, { out: (l) => lines.push(l), progress: () => undefined, observe: () => undefined }, 'hello-world');
    assert.match(lines[0] ?? '', /served at \/functions\/v1\/hello-world/);
    await eventually('the starter served', async () => ((await status('hello-world')) === 200 ? true : undefined));
    const { data, error } = await client.functions.invoke('hello-world', { body: { name: 'Groundwork' } });
    assert.equal(error, null);
    assert.deepEqual(data, { message: 'Hello Groundwork!' });
  });

  it('picks up an edited file on the next invocation', async () => {
    const file = join(projectDir, 'supabase/functions/hello-world/index.ts');
    writeFileSync(file, "Deno.serve(() => Response.json({ version: 2 }));\n");
    const seen = await eventually('the new code', async () => {
      const { data } = await client.functions.invoke('hello-world');
      return (data as { version?: number } | null)?.version === 2 ? true : undefined;
    });
    assert.equal(seen, true);
    assert.ok(server.events.some((e) => e.type === 'function-worker' && e.name === 'hello-world' && e.reason === 'changed'));
  });

  it('applies a config.toml change (verify_jwt) and a deleted function without a restart', { timeout: 30_000 }, async () => {
    assert.equal(await status('hello-world', null), 401);
    const toml = join(projectDir, 'supabase/config.toml');
    writeFileSync(toml, '[functions.hello-world]\nverify_jwt = false\n');
    await eventually('verify_jwt off', async () => ((await status('hello-world', null)) === 200 ? true : undefined));
    rmSync(join(projectDir, 'supabase/functions/hello-world'), { recursive: true });
    await eventually('the function gone', async () => ((await status('hello-world')) === 404 ? true : undefined));
  });
});
