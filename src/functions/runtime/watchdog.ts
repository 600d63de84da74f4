// Reads a worker process's CPU time and resident memory from /proc (Linux). Elsewhere both
// read as undefined and only the heap limit (V8's) and the wall clock apply.
import { readFile } from 'node:fs/promises';

/** Linux's USER_HZ, fixed at 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

export interface Usage {
  readonly cpuMs: number;
  readonly rssBytes: number;
}

export async function usageOf(pid: number): Promise<Usage | undefined> {
  if (process.platform !== 'linux') return undefined;
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rss = Number(fields[21]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime) || !Number.isFinite(rss)) return undefined;
  return { cpuMs: ((utime + stime) * 1000) / TICKS_PER_SECOND, rssBytes: rss * PAGE_BYTES };
}
