// The end-of-run report: counts per status and family, then the failures grouped into
// classes (kind, status, error code, the first frame of ours in the server's stack), each
// failure with the command that replays it.
import type { Failure, RunResult } from './runner.ts';

function firstOwnFrame(stack: string | undefined): string {
  const m = stack === undefined ? null : /(src\/[^\s):]+:\d+)/.exec(stack);
  return m?.[1] ?? '';
}

function codeOf(f: Failure): string {
  try {
    const body = JSON.parse(f.response ?? '') as { code?: unknown; error_code?: unknown; message?: unknown; msg?: unknown };
    const code = body.code ?? body.error_code;
    const message = body.message ?? body.msg;
    return [code, typeof message === 'string' ? message.slice(0, 80) : undefined].filter((x) => x !== undefined && x !== null).join(' ');
  } catch {
    return '';
  }
}

/** The thrown error's first line, numbers masked (so one cause makes one class). */
function errorLine(stack: string | undefined): string {
  return (stack?.split('\n')[0] ?? '').replace(/\d+/g, 'N').slice(0, 120);
}

/** What groups failures: same kind, same detail shape, same error code and cause, same place in our code. */
export function failureClass(f: Failure): string {
  const detail = f.kind === 'connection' || f.kind === 'timeout' || f.kind === 'unreadable' ? f.detail.replace(/\d+/g, 'N').slice(0, 100) : f.detail;
  // A reset on a reused keep-alive socket is usually the previous answer's doing (it closed without saying so);
  // a parse error, the answer to this request (a body on HEAD…).
  const context =
    f.kind !== 'connection' ? '' : /HPE_/.test(f.detail) ? `on ${f.method ?? '?'}` : f.previousOnSocket !== undefined ? `after a ${f.previousOnSocket.replace(/^#\d+ → /, '')} on the same socket` : '';
  return [f.kind, detail, context, codeOf(f), errorLine(f.serverStack), firstOwnFrame(f.serverStack)].filter((x) => x !== '').join(' | ');
}

/** Control characters escaped, so the report stays text whatever the requests held. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatReport(r: RunResult, replay: (index: number) => string, maxLines = 200): string {
  const out: string[] = [];
  const secs = r.ms / 1000;
  out.push(`== ${r.label}: seed ${r.seed}, ${r.requests} requests in ${secs.toFixed(1)} s (${Math.round(r.requests / Math.max(secs, 0.001))} req/s)`);
  out.push(`   families: ${[...r.families].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const family of [...r.families.keys()].sort()) {
    const mine = [...r.statuses].filter(([k]) => k.startsWith(`${family} `)).sort(([a], [b]) => a.localeCompare(b));
    out.push(`   ${family} statuses: ${mine.map(([k, v]) => `${k.slice(family.length + 1)}×${v}`).join(' ')}`);
  }
  out.push(`   5xx: ${r.counts['5xx']}, connection errors: ${r.counts.connection}, timeouts: ${r.counts.timeout}, unreadable: ${r.counts.unreadable}${r.unsendable > 0 ? `, not sendable by node:http (skipped): ${r.unsendable}` : ''}`);
  const other = r.failures.filter((f) => f.kind === 'health' || f.kind === 'rows' || f.kind === 'crash');
  for (const f of other) out.push(`   ${f.kind.toUpperCase()}: ${f.detail}${f.response === undefined ? '' : ` — ${f.response.slice(0, 200)}`}${f.serverStack === undefined ? '' : `\n${f.serverStack}`}`);
  if (r.failures.length === 0) {
    out.push('   no failures');
    return printable(out.join('\n'));
  }
  const classes = new Map<string, Failure[]>();
  for (const f of r.failures) if (f.index >= 0) classes.set(failureClass(f), [...(classes.get(failureClass(f)) ?? []), f]);
  out.push(`   ${classes.size} failure class(es):`);
  for (const [name, list] of classes) {
    const first = list[0] as Failure;
    out.push(`   • ${list.length}× ${name}`);
    out.push(`     e.g. #${first.index}: ${first.request.slice(0, 300)}`);
    if (first.response !== undefined) out.push(`     response: ${first.response.slice(0, 300).replace(/\s+/g, ' ')}`);
    if (first.serverStack !== undefined) out.push(`     server stack:\n${first.serverStack.split('\n').slice(0, 8).map((l) => `       ${l.trim()}`).join('\n')}`);
  }
  out.push('   failures (replay one with the command shown):');
  const listed = r.failures.filter((f) => f.index >= 0);
  for (const f of listed.slice(0, maxLines)) out.push(`   #${f.index} ${f.kind} ${f.detail.slice(0, 80)} — ${replay(f.index)} — ${f.request.slice(0, 160)}${f.previousOnSocket === undefined ? '' : ` (after ${f.previousOnSocket} on this socket)`}`);
  if (listed.length > maxLines) out.push(`   … and ${listed.length - maxLines} more`);
  return printable(out.join('\n'));
}
