// The cinema fixture (test/fixtures/rest) as a schema cache without a database, and a
// request builder, for planner tests and SQL snapshots.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchemaCache } from '../../src/schema-cache/build.ts';
import type { RestConfig } from '../../src/rest/config.ts';
import { parseApiRequest, type ApiRequest } from '../../src/rest/request/api-request.ts';

export const cinema = buildSchemaCache(JSON.parse(readFileSync(join(import.meta.dirname, '../../src/rest/plan/fixtures/cinema.json'), 'utf8')));

export const restConfig: RestConfig = {
  schemas: ['public'],
  extraSearchPath: ['public', 'extensions'],
  maxRows: 1000,
  aggregatesEnabled: false,
  planEnabled: false,
  txEnd: 'commit-allow-override',
  preRequest: undefined,
  anonRole: 'anon',
};

export function request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): ApiRequest {
  const [path = '/', query = ''] = url.split('?');
  return parseApiRequest({ method, path, query, headers, body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)) }, restConfig);
}
