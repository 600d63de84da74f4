// `npm run fuzz`: a seeded fuzzer of the REST and Auth APIs on loopback. It starts a server
// on the fuzz fixture project (test/fuzz/fixture) on a throwaway database, sends generated
// requests (malformed grammar, headers, bodies, Auth payloads, raw bytes) and fails on any
// 5xx, connection error, timeout or unreadable response, on /health not answering 200
// afterwards, and on any row that changed. The seed is printed; `--index` replays cases.
//
//   npm run fuzz -- [--seed N] [--requests N] [--seconds N] [--db pglite|postgres|both]
//                   [--concurrency N] [--index I[,J…]] [--json FILE]
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { FuzzCase } from '../test/fuzz/case.ts';
import { formatReport } from '../test/fuzz/report.ts';
import { passed, runFuzz, type RunResult } from '../test/fuzz/runner.ts';
import type { Outcome } from '../test/fuzz/send.ts';
import { startFuzzTarget } from '../test/fuzz/target.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    requests: { type: 'string', default: '20000' },
    seconds: { type: 'string' },
    db: { type: 'string', default: 'both' },
    concurrency: { type: 'string', default: '4' },
    index: { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function usage(message?: string): never {
  if (message !== undefined) process.stderr.write(`${message}\n`);
  process.stderr.write('usage: npm run fuzz -- [--seed N] [--requests N] [--seconds N] [--db pglite|postgres|both] [--concurrency N] [--index I[,J…]] [--json FILE]\n');
  process.exit(message === undefined ? 0 : 2);
}

function whole(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) usage(`--${name} must be a whole number`);
  return Number(v);
}

if (values.help === true) usage();
const seed = whole('seed', values.seed) ?? randomInt(2 ** 31);
const requests = whole('requests', values.requests) ?? 20000;
const seconds = whole('seconds', values.seconds);
const concurrency = Math.max(1, whole('concurrency', values.concurrency) ?? 4);
const only = values.index?.split(',').map((s) => whole('index', s.trim()) as number);
const dbChoice = values.db;
const dbs: ReadonlyArray<'pglite' | 'postgres'> =
  dbChoice === 'both' ? ['pglite', 'postgres'] : dbChoice === 'pglite' || dbChoice === 'postgres' ? [dbChoice] : usage('--db must be pglite, postgres or both');

function replayCommand(db: string, index: number): string {
  return `npm run fuzz -- --seed ${seed} --db ${db} --index ${index}`;
}

/** A replay prints each case and its answer in full (bodies cut at 4 KB). */
function show(index: number, c: FuzzCase, o: Outcome): void {
  const cut = (b: Buffer | undefined) => (b === undefined ? '(none)' : `${b.length} bytes: ${JSON.stringify(b.subarray(0, 4096).toString('utf8'))}`);
  const lines = [`--- case #${index} (${c.family})`];
  if (c.kind === 'raw') lines.push(`raw bytes (${c.label}): ${JSON.stringify(c.bytes.subarray(0, 4096).toString('latin1'))}`);
  else lines.push(`${c.method} ${c.path}`, ...Object.entries(c.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' | ') : String(v)}`), `body: ${cut(c.body)}${c.chunked === true ? ' (chunked)' : ''}`);
  if (o.kind === 'raw') lines.push(`→ responses ${JSON.stringify(o.responses)}, ${o.leftover} leftover bytes, ${o.received} received${o.error === undefined ? '' : `, error ${o.error}`}`);
  else lines.push(`→ ${o.unsendable ?? o.error ?? o.status} in ${o.ms} ms`, ...Object.entries(o.headers ?? {}).map(([k, v]) => `  ${k}: ${String(v)}`), `  body: ${cut(o.body)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

process.stdout.write(`fuzz: seed ${seed}, ${only === undefined ? `${requests} requests` : `cases ${only.join(',')}`}${seconds === undefined ? '' : `, at most ${seconds} s`}, concurrency ${concurrency}, on ${dbs.join(' and ')}\n`);
const results: RunResult[] = [];
for (const db of dbs) {
  process.stderr.write(`[${db}] starting a server on a throwaway database …\n`);
  const target = await startFuzzTarget(db);
  try {
    const result = await runFuzz(target, {
      seed,
      requests,
      concurrency,
      ...(seconds === undefined ? {} : { seconds }),
      ...(only === undefined ? {} : { only, onOutcome: show }),
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    results.push(result);
    process.stdout.write(`${formatReport(result, (i) => replayCommand(db, i))}\n`);
  } finally {
    await target.stop();
  }
}
if (values.json !== undefined) {
  writeFileSync(values.json, JSON.stringify(results.map((r) => ({ ...r, statuses: Object.fromEntries(r.statuses), families: Object.fromEntries(r.families) })), null, 2));
}
const ok = results.every(passed);
process.stdout.write(`fuzz: ${ok ? 'PASS' : 'FAIL'} (seed ${seed})\n`);
process.exit(ok ? 0 : 1);
