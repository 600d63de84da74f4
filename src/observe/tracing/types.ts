// What the HTTP core asks of tracing (src/http/server.ts), without OpenTelemetry's types: the
// core takes it as an optional dependency, absent when tracing is off, so an untraced server
// does no tracing work at all.
import type { IncomingMessage, Server } from 'node:http';

export interface RequestTracing {
  /** Runs each request `server` receives inside its own server span (wraps its request listener). */
  instrument(server: Server): void;
  /** The `traceresponse` header for the request's answer (its span, in `traceparent` form), when traced. */
  traceResponse(req: IncomingMessage): string | undefined;
  /** Ends the request's span with what routing learned; returns its trace id (undefined when it was not traced). */
  finish(req: IncomingMessage, outcome: { readonly status: number; readonly route: string | undefined; readonly requestId: string }): string | undefined;
}
