// The bench's load generator side: raw vsn 2.0.0 sockets (supabase-js per client would
// measure the client library), opened and joined in bounded parallel.
import WebSocket from 'ws';

export type Frame = [string | null, string | null, string, string, Record<string, unknown>];

export class BenchSocket {
  readonly ws: WebSocket;
  #ref = 0;
  readonly #replies = new Map<string, (f: Frame) => void>();
  onFrame: (f: Frame) => void = () => undefined;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data, binary) => {
      if (binary) return;
      const f = JSON.parse(String(data)) as Frame;
      const waiter = f[3] === 'phx_reply' && f[1] !== null ? this.#replies.get(f[1]) : undefined;
      if (waiter !== undefined) {
        this.#replies.delete(f[1] as string);
        waiter(f);
      } else this.onFrame(f);
    });
  }

  static open(url: string): Promise<BenchSocket> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new BenchSocket(ws)));
      ws.once('error', reject);
    });
  }

  push(topic: string, event: string, payload: Record<string, unknown>, joinRef: string | null = null): Promise<Frame> {
    const ref = String(++this.#ref);
    const reply = new Promise<Frame>((resolve) => this.#replies.set(ref, resolve));
    this.ws.send(JSON.stringify([joinRef ?? ref, ref, topic, event, payload]));
    return reply;
  }

  /** A push nobody answers (a broadcast without ack). */
  cast(topic: string, event: string, payload: Record<string, unknown>): void {
    this.ws.send(JSON.stringify([null, String(++this.#ref), topic, event, payload]));
  }

  async join(topic: string, payload: Record<string, unknown>): Promise<Frame> {
    const reply = await this.push(topic, 'phx_join', payload);
    if ((reply[4] as { status?: string }).status !== 'ok') throw new Error(`join refused: ${JSON.stringify(reply[4])}`);
    return reply;
  }
}

/** Runs `make` for 0..n-1, `parallel` at a time. */
export async function inParallel<T>(n: number, parallel: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await make(i);
      }
    }),
  );
  return out;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 50);
