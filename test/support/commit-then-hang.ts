// Child process for the durability test: commits ROWS rows one transaction at a time in
// the given embedded data directory, says so, then opens a transaction and waits forever.
import { openEmbeddedDatabase } from '../../src/db/embedded/adapter.ts';
import { sql } from '../../src/lib/sql.ts';

const dataDir = process.argv[2] as string;
const rows = Number(process.argv[3]);
const db = await openEmbeddedDatabase({ dataDir });
await db.script('create table if not exists public.kill_test (n int)');
for (let i = 1; i <= rows; i++) await db.query(sql`insert into public.kill_test values (${i})`);
process.stdout.write(`committed ${rows}\n`);
await db.transaction(async (tx) => {
  await tx.query(sql`insert into public.kill_test values (-1)`);
  process.stdout.write('open transaction\n');
  await new Promise(() => undefined); // killed here
});
