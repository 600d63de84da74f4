// /functions/v1/<name>[/<sub-path>], every method: parse the URL → find the function and
// check its JWT → get a warm worker → forward the request and stream the answer back. What
// the function answers passes through untouched; what it could not answer (boot failure,
// crash, limits, timeout) is answered here with Supabase's codes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors/api-error.ts';
import { sendApiError } from '../../http/render-error.ts';
import type { TokenVerifier } from '../../keys/verify-token.ts';
import type { Observer } from '../../observe/events.ts';
import { functionsErrors } from '../errors.ts';
import { checkJwt } from '../gateway/verify-jwt.ts';
import { parseRoute } from '../parse/route.ts';
import { PoolBusyError } from '../runtime/pool.ts';
import type { FunctionWorker } from '../runtime/worker.ts';
import type { FunctionsService } from '../service.ts';
import { fromFunction, toFunction } from './headers.ts';

export interface RouteDeps {
  readonly service: FunctionsService;
  readonly verifyToken: TokenVerifier;
  readonly timeoutMs: number;
  readonly observe: Observer;
}

/** How long to wait, after a worker's connection broke, to learn why it died. */
const EXIT_WAIT_MS = 1000;

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

async function failure(worker: FunctionWorker, timedOut: boolean, timeoutMs: number): Promise<ApiError> {
  if (timedOut) return functionsErrors.timeout(timeoutMs);
  await Promise.race([worker.exited, new Promise((r) => setTimeout(r, EXIT_WAIT_MS))]);
  const reason = worker.stopReason;
  if (reason === 'memory' || reason === 'cpu') return functionsErrors.resourceLimit(reason === 'cpu' ? 'CPU time' : 'memory');
  if (reason === 'timeout') return functionsErrors.resourceLimit('wall-clock');
  return functionsErrors.workerError();
}

export function registerFunctionsRoutes(http: FastifyInstance, deps: RouteDeps): void {
  const { service, timeoutMs, observe } = deps;

  const fail = (reply: FastifyReply, name: string, requestId: string, error: ApiError, why: string) => {
    observe({ type: 'function-failed', name, requestId, code: error.code, message: why });
    return sendApiError(reply, error);
  };

  async function handle(request: FastifyRequest, reply: FastifyReply) {
    const route = parseRoute(request.method, request.url);
    if (route instanceof ApiError) return sendApiError(reply, route);
    const project = service.project();
    if (project.problem !== undefined) return fail(reply, route.name, request.id, functionsErrors.bootError(), project.problem);
    const spec = project.functions.get(route.name);
    if (spec === undefined) return sendApiError(reply, functionsErrors.notFound());
    if (spec.verifyJwt) {
      const refused = await checkJwt(request.method, request.headers.authorization, deps.verifyToken);
      if (refused !== undefined) return sendApiError(reply, refused);
    }
    const deadline = Date.now() + timeoutMs;
    let worker: FunctionWorker;
    try {
      worker = await service.worker(spec, deadline);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return fail(reply, spec.name, request.id, e instanceof PoolBusyError ? functionsErrors.busy() : functionsErrors.bootError(), why);
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      worker.kill('timeout');
    }, deadline - Date.now());
    try {
      const caller = { ip: request.ip, host: request.headers.host, requestId: request.id };
      const res = await worker.forward(request.method, route.path, toFunction(request.headers, caller), hasBody(request) ? request.raw : undefined, reply.raw);
      res.once('close', () => clearTimeout(timer));
      return reply.code(res.statusCode ?? 500).headers(fromFunction(res.headers)).send(res);
    } catch (e) {
      clearTimeout(timer);
      const error = await failure(worker, timedOut, timeoutMs);
      return fail(reply, spec.name, request.id, error, `${worker.stopReason ?? 'connection failed'}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // Bodies go to the function as they arrive, unparsed (any type, any size it accepts).
  void http.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.all('/functions/v1', handle);
    scope.all('/functions/v1/*', handle);
  });
}
