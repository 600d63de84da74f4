// Parse stage: a /functions/v1 URL into the function's name and the path its handler sees.
// As behind Supabase's gateway, the handler's path starts with `/<name>` (only
// `/functions/v1` is stripped), so in-function routers written for Supabase match.
import type { ApiError } from '../../errors/api-error.ts';
import { functionsErrors } from '../errors.ts';

export interface FunctionRoute {
  readonly name: string;
  /** `/<name>[/<sub-path>][?query]`, as the function's `new URL(req.url).pathname` reads it. */
  readonly path: string;
}

const PREFIX = '/functions/v1';
/** Folder names the Supabase CLI accepts for functions; `_`-led folders hold shared code. */
export const FUNCTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function parseRoute(method: string, url: string): FunctionRoute | ApiError {
  if (!url.startsWith(PREFIX)) return functionsErrors.missingName();
  const rest = url.slice(PREFIX.length);
  if (rest === '' || rest.startsWith('?') || rest === '/' || rest.startsWith('/?')) return functionsErrors.missingName();
  if (!rest.startsWith('/')) return functionsErrors.notFound();
  const end = rest.slice(1).search(/[/?]/);
  const raw = end === -1 ? rest.slice(1) : rest.slice(1, end + 1);
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return functionsErrors.badName(raw);
  }
  if (!FUNCTION_NAME.test(name)) return functionsErrors.badName(name);
  if (!METHODS.has(method)) return functionsErrors.methodNotAllowed(method);
  return { name, path: `/${name}${end === -1 ? '' : rest.slice(end + 1)}` };
}
