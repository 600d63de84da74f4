// GET /rest/v1/: the OpenAPI document of the selected schema.
import type { SchemaCache } from '../../schema-cache/types.ts';
import type { RestConfig } from '../config.ts';
import { restErrors } from '../errors.ts';
import { openApiDocument } from '../openapi.ts';
import type { ApiRequest } from '../request/api-request.ts';
import type { RestPlan } from './common.ts';

export function planRoot(req: ApiRequest, cache: SchemaCache, _config: RestConfig): RestPlan {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw restErrors.unsupportedMethod(req.method);
  const ok = req.accept.some((m) => ['*/*', 'application/*', 'application/json', 'application/openapi+json'].includes(`${m.type}/${m.subtype}`));
  if (!ok) throw restErrors.notAcceptable(req.accept.map((m) => m.raw));
  const headers: Record<string, string> = { 'content-type': 'application/openapi+json; charset=utf-8' };
  if (req.negotiatedSchema) headers['content-profile'] = req.schema;
  return { kind: 'document', headers, body: req.method === 'HEAD' ? undefined : JSON.stringify(openApiDocument(cache, req.schema, '13.0.0-groundwork')) };
}
