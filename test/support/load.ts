// Concurrent HTTP clients for fault-injection scenarios: each loops over a request until
// told to stop, recording every outcome with its latency, so a test can check what callers
// saw while the database went away and came back.
export interface Outcome {
  readonly client: number;
  /** The client's request number. */
  readonly n: number;
  /** Milliseconds since the load started, when the request was sent. */
  readonly at: number;
  readonly ms: number;
  /** HTTP status, or 0 when the request failed without a response. */
  readonly status: number;
  readonly code?: string | undefined;
  readonly error?: string | undefined;
  /** Whatever the request function chose to keep (e.g. the id of a written row). */
  readonly value?: unknown;
}

export type Request = (client: number, n: number) => Promise<{ status: number; code?: string; value?: unknown }>;

export interface Load {
  readonly outcomes: Outcome[];
  /** Milliseconds since the load started. */
  now(): number;
  stop(): Promise<void>;
}

export function startLoad(clients: number, request: Request, pauseMs = 10): Load {
  const started = performance.now();
  const now = () => performance.now() - started;
  const outcomes: Outcome[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let n = 0; running; n++) {
      const at = now();
      try {
        const r = await request(client, n);
        outcomes.push({ client, n, at, ms: now() - at, ...r });
      } catch (e) {
        outcomes.push({ client, n, at, ms: now() - at, status: 0, error: e instanceof Error ? `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` : String(e) });
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  });
  return {
    outcomes,
    now,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
