// Broadcast over HTTP (realtime.md §7.4–7.5): the batch endpoint servers and `send()`'s
// fallback use, and the one-message endpoint of supabase-js `httpSend`. Both answer 202; a
// private message the caller's policies refuse is skipped silently, as Supabase does.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { resolveCaller } from '../../http/request-context.ts';
import type { Caller } from '../../db/port.ts';
import { RealtimeError, realtimeErrors } from '../errors.ts';
import { bodySize, type BroadcastMessage } from '../hub/broadcast.ts';
import type { BroadcastBody } from '../protocol/frames.ts';
import type { RealtimeContext } from '../socket/context.ts';

const MAX_BATCH = 1000;

const batch = z.object({
  messages: z
    .array(
      z.object({
        topic: z.string().min(1),
        event: z.string(),
        payload: z.unknown().optional(),
        private: z.boolean().optional(),
        id: z.string().optional(),
      }),
    )
    .max(MAX_BATCH),
});

export interface RouteDeps {
  readonly ctx: RealtimeContext;
  readonly anonRole: string;
}

function send(reply: FastifyReply, error: RealtimeError): FastifyReply {
  return reply.code(error.status).send({ code: error.code, message: error.message });
}

function json(body: Buffer): unknown {
  try {
    return body.length === 0 ? undefined : (JSON.parse(body.toString('utf8')) as unknown);
  } catch {
    throw realtimeErrors.badBody('The body is not valid JSON');
  }
}

export function registerRealtimeRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;
  const caller = async (request: FastifyRequest): Promise<Caller> =>
    (await resolveCaller({ method: request.method, path: request.url.split('?')[0] ?? '', headers: request.headers }, { verify: ctx.verify, roles: ctx.roles(), anonRole: deps.anonRole })).caller;

  const deliver = async (who: Caller, messages: readonly BroadcastMessage[]): Promise<void> => {
    for (const m of messages) if (bodySize(m.body) > ctx.limits.maxPayloadBytes) throw realtimeErrors.payloadTooLarge(ctx.limits.maxPayloadBytes);
    if (!ctx.eventRate.add(messages.length)) throw realtimeErrors.rateLimited();
    for (const m of messages) {
      if (m.private && !(await ctx.policies.canWrite(who, m.name, 'broadcast'))) continue;
      ctx.hub.broadcast(m);
    }
  };

  void app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

      scope.post('/api/broadcast', async (request, reply) => {
        try {
          const who = await caller(request);
          const parsed = batch.safeParse(json(request.body as Buffer));
          if (!parsed.success) {
            const tooMany = parsed.error.issues.some((i) => i.code === 'too_big' && i.path.length === 1);
            throw tooMany ? realtimeErrors.tooManyMessages(MAX_BATCH) : realtimeErrors.badBody(parsed.error.issues[0]?.message ?? 'invalid body');
          }
          await deliver(
            who,
            parsed.data.messages.map((m) => ({
              name: m.topic.startsWith('realtime:') ? m.topic.slice('realtime:'.length) : m.topic,
              private: m.private ?? false,
              event: m.event,
              body: { kind: 'json', value: m.payload ?? {} },
              meta: m.id === undefined ? null : { id: m.id },
              binary: false,
            })),
          );
          return reply.code(202).send();
        } catch (error) {
          if (error instanceof RealtimeError) return send(reply, error);
          throw error;
        }
      });

      scope.post<{ Params: { topic: string; event: string }; Querystring: { private?: string } }>('/api/broadcast/:topic/events/:event', async (request, reply) => {
        try {
          const who = await caller(request);
          const raw = request.body as Buffer | undefined;
          const binary = (request.headers['content-type'] ?? '').startsWith('application/octet-stream');
          const body: BroadcastBody = binary ? { kind: 'binary', bytes: new Uint8Array(raw ?? Buffer.alloc(0)) } : { kind: 'json', value: json(raw ?? Buffer.alloc(0)) ?? {} };
          await deliver(who, [{ name: request.params.topic, private: request.query.private === 'true', event: request.params.event, body, meta: null, binary }]);
          return reply.code(202).send();
        } catch (error) {
          if (error instanceof RealtimeError) return send(reply, error);
          throw error;
        }
      });
    },
    { prefix: '/realtime/v1' },
  );
}
