// The REST API's error catalogue: PostgREST v13's codes, statuses and messages, so that
// postgrest-js (and code written against Supabase) sees the same errors. Routes and stages
// throw these; src/rest/render.ts adds Proxy-Status.
import { apiError, type ApiError } from '../errors/api-error.ts';
import type { LimitFailure, ParseFailure } from './request/cursor.ts';

export const restErrors = {
  parse: (f: ParseFailure): ApiError => apiError(400, 'PGRST100', `"${f.message}" (line 1, column ${f.column})`, { details: f.expected }),
  /** Groundwork's limits on a query parameter (README "Limits"), refused as PostgREST refuses what it cannot parse. */
  limit: (f: LimitFailure): ApiError => apiError(400, 'PGRST100', f.message, { details: `In the ${f.what}, at column ${f.column}` }),
  tooManyColumns: (relation: string, count: number, max: number): ApiError =>
    apiError(400, 'PGRST100', `A select can return at most ${max} columns per level; this one asks for ${count}`, {
      details: `The columns selected from '${relation}', counting each column a * stands for and each embedded resource`,
    }),
  rpcMethod: (method: string): ApiError => apiError(405, 'PGRST101', `Cannot use the ${method} method on RPC`),
  invalidBody: (message: string): ApiError => apiError(400, 'PGRST102', message),
  range: (details: string): ApiError => apiError(416, 'PGRST103', 'Requested range not satisfiable', { details }),
  putFilters: (): ApiError => apiError(405, 'PGRST105', "Filters must include all and only primary key columns with 'eq' operators"),
  invalidSchema: (schema: string, exposed: readonly string[]): ApiError =>
    apiError(406, 'PGRST106', `Invalid schema: ${schema}`, { hint: `Only the following schemas are exposed: ${exposed.join(', ')}` }),
  notAcceptable: (requested: readonly string[]): ApiError => apiError(406, 'PGRST107', `None of these media types are available: ${requested.join(', ')}`),
  notEmbedded: (name: string): ApiError =>
    apiError(400, 'PGRST108', `'${name}' is not an embedded resource in this request`, { hint: `Verify that '${name}' is included in the 'select' query parameter.` }),
  putLimit: (): ApiError => apiError(400, 'PGRST114', 'limit/offset querystring parameters are not allowed for PUT'),
  putMismatch: (): ApiError => apiError(400, 'PGRST115', 'Payload values do not match URL in primary key column(s)'),
  singular: (rows: number): ApiError => apiError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', { details: `The result contains ${rows} rows` }),
  unsupportedMethod: (method: string): ApiError => apiError(405, 'PGRST117', `Unsupported HTTP method: ${method}`),
  relatedOrder: (origin: string, target: string): ApiError =>
    apiError(400, 'PGRST118', `A related order on '${target}' is not possible`, { details: `'${origin}' and '${target}' do not form a many-to-one or one-to-one relationship` }),
  invalidPreferences: (invalid: readonly string[]): ApiError =>
    apiError(400, 'PGRST122', 'Invalid preferences given with handling=strict', { details: `Invalid preferences: ${invalid.join(', ')}` }),
  aggregatesDisabled: (): ApiError => apiError(400, 'PGRST123', 'Use of aggregate functions is not allowed'),
  maxAffected: (n: number): ApiError => apiError(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', { details: `The query affects ${n} rows` }),
  invalidPath: (): ApiError => apiError(404, 'PGRST125', 'Invalid path specified in request URL'),
  notImplemented: (details: string): ApiError => apiError(400, 'PGRST127', 'Feature not implemented', { details }),
  maxAffectedRpc: (): ApiError => apiError(400, 'PGRST128', 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict'),
  noRelationship: (origin: string, target: string, schema: string, hint: string | undefined, suggestion: { readonly name: string; readonly instead: string } | undefined): ApiError =>
    apiError(400, 'PGRST200', `Could not find a relationship between '${origin}' and '${target}' in the schema cache`, {
      details: `Searched for a foreign key relationship between '${origin}' and '${target}'${hint === undefined ? '' : ` using the hint '${hint}'`} in the schema '${schema}', but no matches were found.`,
      hint: suggestion === undefined ? null : `Perhaps you meant '${suggestion.name}' instead of '${suggestion.instead}'.`,
    }),
  ambiguousRelationship: (origin: string, target: string, details: readonly unknown[], hint: string): ApiError =>
    apiError(300, 'PGRST201', `Could not embed because more than one relationship was found for '${origin}' and '${target}'`, { details, hint }),
  noFunction: (schema: string, name: string, args: readonly string[], suggestion: string | undefined): ApiError =>
    apiError(404, 'PGRST202', `Could not find the function ${schema}.${name}${args.length === 0 ? ' without parameters' : `(${args.join(', ')})`} in the schema cache`, {
      details: `Searched for the function ${schema}.${name}${args.length === 0 ? ' without parameters' : ` with parameter${args.length > 1 ? 's' : ''} ${args.join(', ')}`} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
      hint: suggestion === undefined ? null : `Perhaps you meant to call the function ${schema}.${suggestion}`,
    }),
  ambiguousFunction: (candidates: readonly string[]): ApiError =>
    apiError(300, 'PGRST203', `Could not choose the best candidate function between: ${candidates.join(', ')}`, {
      hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
    }),
  unknownColumn: (column: string, table: string): ApiError => apiError(400, 'PGRST204', `Could not find the '${column}' column of '${table}' in the schema cache`),
  unknownTable: (schema: string, name: string, suggestion: string | undefined): ApiError =>
    apiError(404, 'PGRST205', `Could not find the table '${schema}.${name}' in the schema cache`, {
      hint: suggestion === undefined ? null : `Perhaps you meant the table '${schema}.${suggestion}'`,
    }),
  responseHeaders: (): ApiError => apiError(500, 'PGRST111', 'response.headers guc must be a JSON array composed of objects with a single key and a string value'),
  responseStatus: (): ApiError => apiError(500, 'PGRST112', 'response.status guc must be a valid status code'),
};
