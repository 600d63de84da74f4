// `npm test`: unit tests, then every database test twice, on embedded PGlite and on a real
// PostgreSQL cluster this script starts in a temporary directory and removes afterwards.
// Database tests are the files named *.db.test.ts and everything under test/.
// `--only unit|pglite|postgres` runs one phase; extra arguments filter files by substring.
import { readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { startPgCluster } from '../test/support/pg-cluster.ts';
import { prepareTemplate } from '../test/support/pglite-template.ts';

const root = join(import.meta.dirname, '..');
type Phase = 'unit' | 'pglite' | 'postgres';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : walk(path);
    return e.name.endsWith('.test.ts') ? [path] : [];
  });
}

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] as Phase) : undefined;
const filters = args.filter((a, i) => i !== onlyAt && i !== onlyAt + 1);
const all = [...walk(join(root, 'src')), ...walk(join(root, 'test'))].filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
const isDb = (f: string) => f.endsWith('.db.test.ts') || relative(root, f).startsWith('test/');
const unitFiles = all.filter((f) => !isDb(f));
const dbFiles = all.filter(isDb);

const totals = { passed: 0, failed: 0 };
const lines: string[] = [];

async function runPhase(phase: Phase, files: string[], env: Record<string, string>): Promise<void> {
  if (files.length === 0) return;
  process.stdout.write(`\n=== ${phase}: ${files.length} file(s) ===\n`);
  Object.assign(process.env, env);
  let passed = 0;
  let failed = 0;
  const stream = run({ files, concurrency: phase === 'unit' ? true : 2, timeout: 180_000 });
  stream.on('test:pass', (d) => {
    if (d.details.type !== 'suite') passed++;
  });
  stream.on('test:fail', (d) => {
    if (d.details.type !== 'suite') failed++;
  });
  await new Promise<void>((resolve, reject) => {
    stream.compose(new spec()).on('end', resolve).on('error', reject).pipe(process.stdout, { end: false });
  });
  totals.passed += passed;
  totals.failed += failed;
  lines.push(`${phase}: ${passed} passed, ${failed} failed`);
}

const phases: Phase[] = only === undefined ? ['unit', 'pglite', 'postgres'] : [only];
if (phases.includes('unit')) await runPhase('unit', unitFiles, {});
if (phases.includes('pglite') && dbFiles.length > 0) {
  const template = mkdtempSync(join(tmpdir(), 'gw-pglite-template-'));
  try {
    process.stdout.write('\nPreparing a bootstrapped PGlite template ...\n');
    await prepareTemplate(template);
    await runPhase('pglite', dbFiles, { GW_TEST_DB: 'pglite', GW_TEST_PGLITE_TEMPLATE: template });
  } finally {
    rmSync(template, { recursive: true, force: true });
  }
}
if (phases.includes('postgres') && dbFiles.length > 0) {
  process.stdout.write('\nStarting a PostgreSQL cluster for the server-mode run ...\n');
  const cluster = await startPgCluster();
  try {
    await runPhase('postgres', dbFiles, { GW_TEST_DB: 'postgres', GW_TEST_PG_URL: cluster.url });
  } finally {
    cluster.destroy();
  }
}

process.stdout.write(`\n${lines.join('\n')}\n${totals.passed} passed, ${totals.failed} failed\n`);
process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;
