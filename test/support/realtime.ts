// supabase-js realtime clients for scenarios: a client per protocol version (ws as the
// transport: Node 20 has no global WebSocket), channels subscribed and awaited, and
// collectors that wait for what a channel receives.
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { startTestServer, type TestServer } from './server.ts';
import { supabase } from './supabase.ts';

export type Vsn = '1.0.0' | '2.0.0';
export const VERSIONS: readonly Vsn[] = ['1.0.0', '2.0.0'];

export function realtimeClient(url: string, key: string, vsn: Vsn, accessToken?: string): SupabaseClient {
  type Options = NonNullable<Parameters<typeof createClient>[2]>;
  const realtime = { transport: ws, vsn, heartbeatIntervalMs: 25_000 } as unknown as Options['realtime'];
  const client = createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime,
    ...(accessToken === undefined ? {} : { accessToken: async () => accessToken }),
  });
  return client;
}

/** A client whose channels join with `token`: what supabase-js does after a sign-in. */
export async function signedInClient(url: string, key: string, vsn: Vsn, token: string): Promise<SupabaseClient> {
  const client = realtimeClient(url, key, vsn, token);
  await client.realtime.setAuth(token);
  return client;
}

/** Resolves once the channel is SUBSCRIBED; rejects with the status and error otherwise. */
export function subscribed(channel: RealtimeChannel, timeoutMs = 8000): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no SUBSCRIBED within ${timeoutMs} ms`)), timeoutMs);
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') {
        clearTimeout(timer);
        resolve(channel);
      } else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') {
        clearTimeout(timer);
        reject(new Error(`${status}: ${err?.message ?? ''}`));
      }
    });
  });
}

/** Everything a listener received, and a way to wait for more. */
export class Inbox<T> {
  readonly items: T[] = [];
  readonly #waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly push = (item: T): void => {
    this.items.push(item);
    for (const w of [...this.#waiters]) {
      if (this.items.length >= w.count) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  /** Waits until `count` items arrived; rejects after `timeoutMs` showing what did. */
  async atLeast(count: number, timeoutMs = 5000): Promise<T[]> {
    if (this.items.length < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} items within ${timeoutMs} ms, got ${this.items.length}: ${JSON.stringify(this.items).slice(0, 500)}`)), timeoutMs);
        this.#waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    }
    return this.items;
  }

  /** Waits `ms` and returns what arrived: for asserting that nothing (more) did. */
  async after(ms: number): Promise<T[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.items;
  }
}

/** The system message that says postgres_changes are live. */
export function changesLive(channel: RealtimeChannel, timeoutMs = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no "Subscribed to PostgreSQL" system message')), timeoutMs);
    channel.on('system', {}, (payload: { extension?: string; status?: string; message?: string }) => {
      if (payload.extension !== 'postgres_changes') return;
      clearTimeout(timer);
      if (payload.status === 'ok') resolve();
      else reject(new Error(payload.message ?? 'postgres_changes error'));
    });
  });
}

/** A server on the realtime fixture project, and a service_role client for its writes. */
export async function startRealtime(projectDir: string): Promise<{ server: TestServer; admin: SupabaseClient }> {
  const server = await startTestServer({ projectDir });
  return { server, admin: supabase(server.url, server.gw.keys.serviceRole) };
}

/** Removes every client's channels (their sockets close), then stops the server. */
export async function stopRealtime(server: TestServer, clients: readonly SupabaseClient[]): Promise<void> {
  for (const c of clients) await c.removeAllChannels();
  await server.stop();
}
