// Stands in for `https://deno.land/std@<version>/http/server.ts` (older Supabase templates
// import `serve` from it), so those functions run offline: `serve` is `Deno.serve`, which
// Groundwork's runner captures.
type Handler = (request: Request, info?: unknown) => Response | Promise<Response>;

export function serve(handler: Handler, options: Record<string, unknown> = {}): Promise<void> {
  const server = Deno.serve({ ...options, handler } as never) as unknown as { finished: Promise<void> };
  return server.finished;
}
