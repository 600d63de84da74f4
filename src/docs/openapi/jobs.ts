// The admin document: the jobs admin API at /jobs/v1 (src/jobs/http/routes.ts), for the
// service_role: database webhooks, outbound requests and their attempts, queues, cron.
import { jsonResponse, pathParam, queryParam, type DocumentedPath, type Operation, type Parameter, type Schema } from '../../lib/openapi.ts';
import { failures, SERVICE_ROLE } from './components.ts';

const tags = ['Jobs'];
const text = (description?: string): Schema => ({ type: 'string', ...(description === undefined ? {} : { description }) });
const maybe = (description?: string): Schema => ({ type: ['string', 'null'], ...(description === undefined ? {} : { description }) });
const page: Parameter[] = [
  queryParam('limit', 'How many, newest first', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }),
  queryParam('before', 'Only ids below this one (the next page)', { type: 'integer', minimum: 1 }),
];
const requestId = pathParam('id', 'The request', { type: 'string', pattern: '^\\d{1,18}$' });
const list = (items: Schema): Schema => ({ type: 'array', items });

const delivery: Schema = {
  type: 'object',
  required: ['id', 'method', 'url', 'message_id', 'state', 'attempts'],
  properties: {
    id: text('A bigint, as text'),
    method: { type: 'string', enum: ['GET', 'POST', 'DELETE'] },
    url: text(),
    webhook: maybe('The webhook (trigger) that queued it'),
    webhook_table: maybe(),
    message_id: text('The Standard Webhooks `webhook-id`, kept across retries and redeliveries'),
    state: { type: 'string', enum: ['pending', 'succeeded', 'failed', 'dead'] },
    attempts: { type: 'integer' },
    next_attempt_at: maybe(),
    created: text(),
    finished_at: maybe(),
    last_status: { type: ['integer', 'null'] },
    last_error: maybe(),
  },
};

const deliveryDetail: Schema = {
  allOf: [
    delivery,
    {
      type: 'object',
      required: ['attempt_log'],
      properties: {
        params: { type: 'object' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        body: maybe(),
        timeout_milliseconds: { type: 'integer' },
        attempt_log: list({
          type: 'object',
          properties: { attempt: { type: 'integer' }, at: text(), status: { type: ['integer', 'null'] }, latency_ms: { type: 'integer' }, error: maybe(), response_excerpt: maybe() },
        }),
      },
    },
  ],
};

const get = (operationId: string, summary: string, schema: Schema, parameters: readonly Parameter[] = [], extra: readonly (400 | 404)[] = []): Operation => ({
  operationId,
  tags,
  summary,
  security: SERVICE_ROLE,
  ...(parameters.length === 0 ? {} : { parameters }),
  responses: { '200': jsonResponse('OK', schema), ...failures(...extra, 403, 503) },
});

export const jobsPaths: readonly DocumentedPath[] = [
  {
    path: '/jobs/v1/webhooks',
    item: {
      get: get(
        'listWebhooks',
        'Database webhooks',
        list({
          type: 'object',
          properties: {
            schema: text(),
            table: text(),
            name: text(),
            events: list({ type: 'string', enum: ['INSERT', 'UPDATE', 'DELETE'] }),
            url: text(),
            method: text(),
            headers: maybe(),
            timeout_ms: { type: ['integer', 'null'] },
            own_secret: { type: 'boolean' },
            max_attempts: { type: ['integer', 'null'] },
            enabled: { type: 'boolean' },
          },
        }),
      ),
    },
  },
  {
    path: '/jobs/v1/deliveries',
    item: {
      get: get('listDeliveries', 'Outbound requests (webhooks and net.http_*), newest first', list(delivery), [...page, queryParam('state', 'Only this state', { type: 'string', enum: ['pending', 'succeeded', 'failed', 'dead'] })], [400]),
    },
  },
  { path: '/jobs/v1/deliveries/{id}', item: { get: get('getDelivery', 'One request with its body, headers and every attempt', deliveryDetail, [requestId], [400, 404]) } },
  {
    path: '/jobs/v1/deliveries/{id}/redeliver',
    item: {
      post: {
        operationId: 'redeliver',
        tags,
        summary: 'Send a finished request again (same webhook-id)',
        security: SERVICE_ROLE,
        parameters: [requestId],
        responses: {
          '200': jsonResponse('Queued again', { type: 'object', required: ['id', 'state'], properties: { id: text(), state: { const: 'pending' } } }),
          '409': jsonResponse('Still pending (`JOB409`): it will be tried again anyway', { $ref: '#/components/schemas/ApiError' }),
          ...failures(400, 403, 404, 503),
        },
      },
    },
  },
  {
    path: '/jobs/v1/queues',
    item: {
      get: get(
        'listQueues',
        'Queues (pgmq) with their metrics',
        list({
          type: 'object',
          properties: {
            queue_name: text(),
            queue_length: text('A bigint, as text'),
            queue_visible_length: text(),
            newest_msg_age_sec: { type: ['integer', 'null'] },
            oldest_msg_age_sec: { type: ['integer', 'null'] },
            total_messages: text(),
            scrape_time: text(),
            max_reads: { type: ['integer', 'null'], description: 'Reads before a message is dead-lettered; null: no limit' },
            dead_letter_queue: maybe(),
          },
        }),
      ),
    },
  },
  {
    path: '/jobs/v1/cron/jobs',
    item: {
      get: get(
        'listCronJobs',
        'Cron jobs',
        list({ type: 'object', properties: { jobid: text(), jobname: maybe(), schedule: text(), command: text(), username: text(), active: { type: 'boolean' } } }),
      ),
    },
  },
  {
    path: '/jobs/v1/cron/runs',
    item: {
      get: get(
        'listCronRuns',
        'Cron runs, newest first',
        list({
          type: 'object',
          properties: { jobid: text(), runid: text(), username: maybe(), command: maybe(), status: maybe(), return_message: maybe(), start_time: maybe(), end_time: maybe() },
        }),
        [...page, queryParam('jobid', "Only this job's runs", { type: 'integer', minimum: 1 })],
        [400],
      ),
    },
  },
];
