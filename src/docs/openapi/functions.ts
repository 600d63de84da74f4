// The admin document: Edge Functions at /functions/v1 (src/functions/http/routes.ts). What a
// function answers passes through untouched; the gateway's own errors carry `sb-error-code`.
import { jsonResponse, pathParam, schemaRef, type DocumentedPath, type Operation, type PathItem } from '../../lib/openapi.ts';
import { CLIENT } from './components.ts';

const gatewayError = (description: string) =>
  jsonResponse(description, schemaRef('ApiError'), {
    'sb-error-code': { description: "Supabase's gateway code (`NOT_FOUND`, `UNAUTHORIZED_*`, `BOOT_ERROR`, `WORKER_LIMIT`, …)", schema: { type: 'string' } },
    'x-relay-error': { description: '`true` when the function could not answer (supabase-js: FunctionsRelayError)', schema: { type: 'string' } },
  });

const name = pathParam('name', 'The function: a folder in supabase/functions', { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$' });
const subpath = pathParam('subpath', 'The rest of the path, which the function sees after `/<name>`');

function invoke(withSubpath: boolean): Operation {
  return {
    tags: ['Functions'],
    summary: withSubpath ? 'Invoke a function on a sub-path' : 'Invoke a function',
    description:
      'Any body and content type goes to the function as it arrives. With `verify_jwt` (the default; config.toml can turn it off) a valid JWT is required in `Authorization: Bearer`; OPTIONS (preflight) is never checked.',
    security: CLIENT,
    parameters: withSubpath ? [name, subpath] : [name],
    requestBody: { required: false, content: { '*/*': { schema: {} } } },
    responses: {
      default: { description: "The function's own answer" },
      '400': gatewayError('`INVALID_URL`: no or a bad function name'),
      '401': gatewayError('`UNAUTHORIZED_*`: no or an invalid JWT (verify_jwt)'),
      '404': gatewayError('`NOT_FOUND`: no such function'),
      '405': gatewayError('`METHOD_NOT_ALLOWED`'),
      '500': gatewayError('`WORKER_ERROR`: the function crashed'),
      '503': gatewayError('`BOOT_ERROR`: the function did not start'),
      '504': gatewayError('`IDLE_TIMEOUT`: no answer in time'),
      '546': gatewayError('`WORKER_LIMIT`: over its CPU or memory limit, or too many workers busy'),
    },
  };
}

/** Every method Supabase's gateway passes (HEAD answers as GET). */
function anyMethod(op: Operation): PathItem {
  return { get: op, post: op, put: op, patch: op, delete: op, options: op };
}

export const functionsPaths: readonly DocumentedPath[] = [
  // /functions/v1 alone is the same route: it answers INVALID_URL (no name).
  { path: '/functions/v1/{name}', routes: ['/functions/v1', '/functions/v1/*'], item: anyMethod(invoke(false)) },
  { path: '/functions/v1/{name}/{subpath}', routes: ['/functions/v1/*'], item: anyMethod(invoke(true)) },
];
