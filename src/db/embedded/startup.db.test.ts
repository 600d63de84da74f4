// How the embedded database opens: with the configured shared_buffers, and a new data
// directory copied from the template kept in the cache directory (taken when one is first
// initialised; a template that does not open is dropped and initdb runs instead).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '../../lib/sql.ts';
import { dbKind } from '../../../test/support/db.ts';
import { openEmbeddedDatabase } from './adapter.ts';
import { templatePath } from './template.ts';

if (dbKind === 'pglite') {
  describe('embedded database start-up', () => {
    let scratch: string;
    before(() => {
      scratch = mkdtempSync(join(tmpdir(), 'gw-startup-'));
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it('runs with the shared_buffers it is given', async () => {
      const db = await openEmbeddedDatabase({ dataDir: join(scratch, 'sized'), sharedBuffers: '8MB' });
      try {
        assert.deepEqual((await db.query(sql`show shared_buffers`)).rows, [{ shared_buffers: '8MB' }]);
      } finally {
        await db.close();
      }
    });

    it('keeps a template when it initialises a data directory, and copies the next new one from it', async () => {
      const cacheDir = join(scratch, 'cache');
      const template = templatePath(cacheDir) as string;
      const first = await openEmbeddedDatabase({ dataDir: join(scratch, 'first'), cacheDir });
      await first.script('create table public.only_in_first (id int)');
      await first.close();
      assert.ok(existsSync(join(template, 'PG_VERSION')), 'the template was kept');
      // A file only the template has: a copy of it carries it, an initdb would not.
      writeFileSync(join(template, 'marker'), 'template');

      const second = await openEmbeddedDatabase({ dataDir: join(scratch, 'second'), cacheDir });
      try {
        assert.equal(readFileSync(join(scratch, 'second', 'data', 'marker'), 'utf8'), 'template', 'copied from the template');
        const { rows } = await second.query(sql`select to_regclass('public.only_in_first')::text as t, current_setting('server_version_num')::int >= 180000 as pg18`);
        assert.deepEqual(rows, [{ t: null, pg18: true }], 'a fresh database, not the first one');
      } finally {
        await second.close();
      }
    });

    it('drops a template that does not open, initialises instead and keeps a new one', async () => {
      const cacheDir = join(scratch, 'broken-cache');
      const template = templatePath(cacheDir) as string;
      mkdirSync(template, { recursive: true });
      writeFileSync(join(template, 'PG_VERSION'), '99\n');
      const db = await openEmbeddedDatabase({ dataDir: join(scratch, 'after-broken'), cacheDir });
      try {
        assert.deepEqual((await db.query(sql`select 1 as one`)).rows, [{ one: 1 }]);
      } finally {
        await db.close();
      }
      assert.equal(readFileSync(join(template, 'PG_VERSION'), 'utf8').trim(), '18', 'a working template replaced it');
    });
  });
}
