// Runs a fuzz campaign against one target: `concurrency` workers take case indexes in order
// until the request count or the time bound is reached, each outcome is judged, failures
// are kept with what replays them; afterwards /health must answer 200 and the rows must be
// those of before.
import { summarize, type FuzzCase } from './case.ts';
import { generateCase } from './gen/index.ts';
import { judge, type FailureKind } from './oracle.ts';
import { createSender, type Outcome } from './send.ts';
import { changedTables } from './snapshot.ts';
import type { FuzzTarget } from './target.ts';

export interface RunOptions {
  readonly seed: number;
  readonly requests: number;
  /** Stop starting new requests after this many seconds. */
  readonly seconds?: number;
  readonly concurrency: number;
  /** Only these case indexes (a replay). */
  readonly only?: readonly number[];
  readonly progress?: (line: string) => void;
  readonly progressEveryMs?: number;
  /** Called with every case and outcome (replays print them). */
  readonly onOutcome?: (index: number, c: FuzzCase, o: Outcome) => void;
}

export interface Failure {
  readonly index: number;
  readonly kind: FailureKind | 'health' | 'rows' | 'crash';
  readonly detail: string;
  readonly request: string;
  /** The request's method (raw cases: RAW), part of a failure's class. */
  readonly method?: string;
  readonly response?: string;
  readonly serverStack?: string;
  readonly previousOnSocket?: string;
}

export interface RunResult {
  readonly label: string;
  readonly seed: number;
  readonly requests: number;
  readonly ms: number;
  /** Answers per family and status (`rest 200`, `raw 400+200`…). */
  readonly statuses: ReadonlyMap<string, number>;
  readonly families: ReadonlyMap<string, number>;
  readonly counts: Readonly<Record<FailureKind, number>>;
  readonly unsendable: number;
  readonly failures: readonly Failure[];
}

const MAX_KEPT = 500;

function responseText(o: Outcome): string | undefined {
  if (o.kind === 'raw') return `${o.responses.map((r) => r.status).join(', ') || 'none'} (${o.received} bytes${o.closed ? ', closed' : ''}): ${JSON.stringify(o.head.slice(0, 600))}`;
  if (o.body === undefined) return undefined;
  const text = o.body.toString('utf8');
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

export async function runFuzz(target: FuzzTarget, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const deadline = options.seconds === undefined ? Infinity : started + options.seconds * 1000;
  const sender = createSender(target.url, options.concurrency);
  const statuses = new Map<string, number>();
  const families = new Map<string, number>();
  const counts: Record<FailureKind, number> = { '5xx': 0, connection: 0, timeout: 0, unreadable: 0 };
  const failures: Failure[] = [];
  let unsendable = 0;
  let done = 0;
  const keep = (f: Failure) => {
    if (failures.length < MAX_KEPT) failures.push(f);
  };

  // An exception escaping the server (it runs in this process) is a failure too.
  const onCrash = (e: unknown) => keep({ index: -1, kind: 'crash', detail: 'uncaught exception in the server process', request: '', serverStack: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  const before = await target.snapshot();
  const indexes = options.only ?? Array.from({ length: options.requests }, (_, i) => i);
  let next = 0;
  const tick = setInterval(() => {
    const secs = (performance.now() - started) / 1000;
    options.progress?.(`[${target.label}] ${done}/${indexes.length} requests, ${counts['5xx']} × 5xx, ${counts.connection} connection errors, ${counts.timeout} timeouts, ${counts.unreadable} unreadable, ${Math.round(done / secs)} req/s`);
  }, options.progressEveryMs ?? 5000);

  const worker = async () => {
    while (next < indexes.length && performance.now() < deadline) {
      const index = indexes[next++] as number;
      const c = generateCase(options.seed, index, target.creds);
      const requestId = `fuzz-${options.seed}-${index}`;
      const o = await sender.send(c, index, requestId);
      done++;
      families.set(c.family, (families.get(c.family) ?? 0) + 1);
      options.onOutcome?.(index, c, o);
      if (o.kind === 'http' && o.unsendable !== undefined) {
        unsendable++;
        continue;
      }
      const status = `${c.family} ${o.kind === 'http' ? String(o.status ?? 'none') : o.responses.map((r) => r.status).join('+') || 'none'}`;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const verdict = judge(c, o);
      if (verdict === undefined) continue;
      counts[verdict.kind]++;
      const echoed = o.kind === 'http' ? o.headers?.['x-request-id'] : /^x-request-id: (.*)$/im.exec(o.head)?.[1]?.trim();
      const stack = target.serverError(typeof echoed === 'string' ? echoed : requestId);
      const response = responseText(o);
      keep({
        index,
        kind: verdict.kind,
        detail: verdict.detail,
        request: summarize(c),
        method: c.kind === 'http' ? c.method : 'RAW',
        ...(response === undefined ? {} : { response }),
        ...(stack === undefined ? {} : { serverStack: stack }),
        ...(o.kind === 'http' && o.previousOnSocket !== undefined ? { previousOnSocket: o.previousOnSocket } : {}),
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    clearInterval(tick);
    sender.close();
  }

  // Let the server settle (requests the client gave up on may still be running) before the checks.
  const health = await fetch(`${target.url}/health`).then(
    async (r) => ({ status: r.status, text: await r.text() }),
    (e: unknown) => ({ status: 0, text: String(e) }),
  );
  if (health.status !== 200) keep({ index: -1, kind: 'health', detail: `GET /health answered ${health.status}`, request: 'GET /health', response: health.text });
  const changed = changedTables(before, await target.snapshot());
  for (const t of changed) keep({ index: -1, kind: 'rows', detail: `rows changed in ${t}`, request: '' });
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);

  return { label: target.label, seed: options.seed, requests: done, ms: Math.round(performance.now() - started), statuses, families, counts, unsendable, failures };
}

/** Whether a run passed: no failure of any kind. */
export function passed(r: RunResult): boolean {
  return r.failures.length === 0 && Object.values(r.counts).every((n) => n === 0);
}
