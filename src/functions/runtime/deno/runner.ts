// Runs one function inside a Deno process that Groundwork started (src/functions/runtime/
// worker.ts). It captures the handler the function gives `Deno.serve` (or exports), serves
// it on the Unix socket Groundwork names, and reports to Groundwork on stdout, one JSON line
// each: `ready`, a `boot-error`, or a `log` line tagged with its request id. Deno, not Node,
// runs this file; Groundwork's own TypeScript build leaves this folder out.
import { AsyncLocalStorage } from 'node:async_hooks';

type Handler = (request: Request, info?: unknown) => Response | Promise<Response>;

const socketPath = Deno.env.get('GROUNDWORK_FN_SOCKET') ?? '';
const entry = Deno.env.get('GROUNDWORK_FN_ENTRY') ?? '';
const functionName = Deno.env.get('GROUNDWORK_FN_NAME') ?? '';
// The function sees the environment Supabase gives it, not Groundwork's plumbing.
for (const name of ['GROUNDWORK_FN_SOCKET', 'GROUNDWORK_FN_ENTRY', 'GROUNDWORK_FN_NAME']) Deno.env.delete(name);

const encoder = new TextEncoder();
function report(message: Record<string, unknown>): void {
  const bytes = encoder.encode(JSON.stringify(message) + '\n');
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

// console.* become log lines carrying the request they were written for.
const requestIds = new AsyncLocalStorage<string>();
const LOG_LIMIT = 10_000; // characters per message, as Supabase keeps
const levels = { debug: 'debug', trace: 'debug', log: 'info', info: 'info', warn: 'warn', error: 'error' } as const;
for (const [method, level] of Object.entries(levels)) {
  (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
    const text = args.map((a) => (typeof a === 'string' ? a : Deno.inspect(a, { depth: 4, colors: false }))).join(' ');
    report({ k: 'log', level, req: requestIds.getStore() ?? null, msg: text.length > LOG_LIMIT ? text.slice(0, LOG_LIMIT) + '…' : text });
  };
}

// EdgeRuntime.waitUntil: background work outlives its response; the worker waits for it
// before it stops (Groundwork sends SIGTERM and allows its wall-clock limit).
const background = new Set<Promise<unknown>>();
(globalThis as Record<string, unknown>)['EdgeRuntime'] = {
  waitUntil(work: Promise<unknown>): Promise<unknown> {
    const tracked = Promise.resolve(work).catch((e) => console.error(e));
    background.add(tracked);
    void tracked.finally(() => background.delete(tracked));
    return work;
  },
};

let handler: Handler | undefined;
let finish: () => void = () => undefined;
const finished = new Promise<void>((resolve) => (finish = resolve));
const realServe = Deno.serve.bind(Deno) as (options: Record<string, unknown>, handler: Handler) => unknown;

// Every form of Deno.serve: (handler), (options, handler), ({ handler, ...options }).
(Deno as unknown as Record<string, unknown>)['serve'] = (a: unknown, b?: unknown) => {
  const options = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
  const given = typeof a === 'function' ? a : typeof b === 'function' ? b : options['handler'];
  if (typeof given !== 'function') throw new TypeError('Deno.serve needs a handler function');
  handler = given as Handler;
  const addr = { transport: 'tcp', hostname: '0.0.0.0', port: Number(options['port'] ?? 8000) };
  return { addr, finished, shutdown: async () => finish(), ref() {}, unref() {}, [Symbol.asyncDispose]: async () => finish() };
};

function errorResponse(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ code, message }), {
    status,
    headers: { 'content-type': 'application/json', 'sb-error-code': code, 'x-relay-error': 'true' },
  });
}

async function boot(): Promise<void> {
  const module = (await import(entry)) as { default?: unknown };
  const exported = module.default;
  if (handler === undefined && typeof exported === 'function') handler = exported as Handler;
  if (handler === undefined && typeof exported === 'object' && exported !== null && typeof (exported as { fetch?: unknown }).fetch === 'function') {
    const target = exported as { fetch: Handler };
    handler = (request, info) => target.fetch(request, info);
  }
  if (handler === undefined) throw new Error(`the function ${functionName} neither calls Deno.serve nor exports a handler`);
}

try {
  await boot();
} catch (e) {
  report({ k: 'boot-error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  Deno.exit(1);
}

const serve = handler as Handler;
const server = realServe(
  {
    path: socketPath,
    onListen: () => report({ k: 'ready' }),
    onError: (e: unknown) => {
      console.error(e);
      return errorResponse(500, 'WORKER_ERROR', 'Function exited due to an error (please check logs)');
    },
  },
  (request: Request, info?: unknown) => requestIds.run(request.headers.get('x-request-id') ?? '', () => serve(request, info)),
) as { shutdown(): Promise<void> };

// Stopping: no new requests, then background work and `beforeunload` listeners finish.
Deno.addSignalListener('SIGTERM', () => {
  void (async () => {
    await server.shutdown();
    await Promise.allSettled([...background]);
    globalThis.dispatchEvent(new CustomEvent('beforeunload', { detail: { reason: 'termination' } }));
    finish();
    Deno.exit(0);
  })();
});
