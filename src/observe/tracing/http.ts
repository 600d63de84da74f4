// One server span per HTTP request. It starts as Node hands the request to Fastify,
// continues an incoming `traceparent`, and ends when the HTTP core's onResponse hook reports
// the status and route, or when the client leaves first.
//
// How the request's work finds its span: a sampled request's own `traceparent` header is
// replaced by this span's, so what the request passes on carries it: the caller's headers
// every REST transaction takes (database.ts reads its parent there), `request.headers` in
// SQL, the headers a function receives. With `asyncContext` the request also runs inside the span's context
// (AsyncLocalStorage), which reaches every database call and log line, at the price of
// Node 20's promise hooks (see setup.ts). A traced request's answer carries `traceresponse`
// (W3C Trace Context level 2) so a client can find its trace; one not sampled has none.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { context, defaultTextMapGetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { routeFamily } from '../metrics/family.ts';
import type { RequestTracing } from './types.ts';

const SPAN = Symbol('groundwork.span');
type Traced = IncomingMessage & { [SPAN]?: Span };

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']);

/** The span's attributes known at the start (OpenTelemetry's HTTP server conventions, the cheap ones). */
export function startAttributes(req: Pick<IncomingMessage, 'method' | 'url'>, clientAddress: string | undefined): Attributes {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const method = req.method ?? 'GET';
  // The query stays out: it may hold an API key (realtime's `apikey`) or a user's filter values.
  const attributes: Attributes = {
    'http.request.method': METHODS.has(method) ? method : '_OTHER',
    'url.path': q < 0 ? url : url.slice(0, q),
    'url.scheme': 'http',
    'groundwork.route_family': routeFamily(url),
  };
  if (!METHODS.has(method)) attributes['http.request.method_original'] = method;
  if (clientAddress !== undefined) attributes['client.address'] = clientAddress;
  return attributes;
}

/** `traceparent` (and `traceresponse`) naming `span`: version, trace id, span id, sampled flag. */
export function traceParentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-0${traceFlags & 1}`;
}

export interface RequestTracingOptions {
  /** Run each request inside its span's context (AsyncLocalStorage). */
  readonly asyncContext: boolean;
  /** The share of requests without a caller's `traceparent` that are traced. */
  readonly sampleRatio: number;
}

export function requestTracing(tracer: Tracer, options: RequestTracingOptions): RequestTracing {
  const propagator = new W3CTraceContextPropagator();

  const end = (req: Traced, status: number, outcome?: { route: string | undefined; requestId: string }): string | undefined => {
    const span = req[SPAN];
    if (span === undefined) return undefined;
    req[SPAN] = undefined;
    const traceId = span.spanContext().traceId;
    span.setAttribute('http.response.status_code', status);
    if (outcome === undefined) {
      // The client left before the answer was complete: not the server's failure.
      span.setAttribute('groundwork.client_aborted', true);
    } else {
      span.setAttribute('groundwork.request_id', outcome.requestId);
      if (outcome.route !== undefined) {
        span.setAttribute('http.route', outcome.route);
        span.updateName(`${req.method ?? 'GET'} ${outcome.route}`);
      }
    }
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    return traceId;
  };

  /** The request's span, or undefined when it is not traced. */
  const start = (req: Traced, res: ServerResponse): Span | undefined => {
    const incoming = req.headers.traceparent !== undefined;
    // A request nobody asked to trace is sampled here, before any object is made; a caller's
    // traceparent decides for its own requests (the provider's parent-based sampler). A
    // request not traced costs nothing more: no span, no trace id (there is no trace to find).
    if (!incoming && options.sampleRatio < 1 && Math.random() >= options.sampleRatio) return undefined;
    const parent = incoming ? propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter) : ROOT_CONTEXT;
    const span = tracer.startSpan(req.method ?? 'GET', { kind: SpanKind.SERVER }, parent);
    if (!span.isRecording()) return undefined;
    req[SPAN] = span;
    span.setAttributes(startAttributes(req, req.socket.remoteAddress));
    req.headers.traceparent = traceParentOf(span);
    // After a complete answer the onResponse hook has ended it already (it runs on 'finish').
    res.once('close', () => end(req, res.statusCode));
    return span;
  };

  return {
    instrument(server: Server) {
      const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
      server.removeAllListeners('request');
      const handle = (req: IncomingMessage, res: ServerResponse) => {
        for (const listener of listeners) listener.call(server, req, res);
      };
      server.on(
        'request',
        options.asyncContext
          ? (req: IncomingMessage, res: ServerResponse) => {
              const span = start(req, res);
              if (span === undefined) handle(req, res);
              else context.with(trace.setSpan(ROOT_CONTEXT, span), handle, undefined, req, res);
            }
          : (req: IncomingMessage, res: ServerResponse) => {
              start(req, res);
              handle(req, res);
            },
      );
    },
    // This span in traceparent form, for the HTTP core's onRequest hook to set with its other headers.
    traceResponse: (req) => {
      const span = (req as Traced)[SPAN];
      return span === undefined ? undefined : traceParentOf(span);
    },
    finish: (req, outcome) => end(req, outcome.status, outcome),
  };
}
