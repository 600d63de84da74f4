// Which requests were function invocations, and how each ended. The gateway's own refusals
// (an unknown name, a bad URL) are not invocations; a name counts once a worker started for
// it or the gateway reported a failure for it, so a client cannot grow the `function` label
// by calling made-up names. The gateway reports a failure before the request's own
// observation, which then takes it. Pure.

/** Function names remembered at most (a project has far fewer). */
const MAX_NAMES = 500;
/** Failures waiting for their request's observation at most (a request that never completes leaves one). */
const MAX_PENDING = 1000;

const PREFIX = '/functions/v1/';

/** The function a `/functions/v1/<name>[/…][?…]` URL calls, or undefined. */
export function functionName(url: string): string | undefined {
  if (!url.startsWith(PREFIX)) return undefined;
  let end = PREFIX.length;
  while (end < url.length && url[end] !== '/' && url[end] !== '?') end++;
  return end === PREFIX.length ? undefined : url.slice(PREFIX.length, end);
}

export interface Invocation {
  readonly name: string;
  /** `success` (below 400), `client_error` (4xx), `error` (5xx), or the gateway's code in lower case. */
  readonly outcome: string;
}

export class Invocations {
  readonly #known = new Set<string>();
  readonly #failed = new Map<string, string>();

  /** A worker started for `name`. */
  know(name: string): void {
    if (this.#known.size < MAX_NAMES) this.#known.add(name);
  }

  /** The gateway answered `requestId` with `code` because the function could not. */
  failed(requestId: string, name: string, code: string): void {
    this.know(name);
    this.#failed.set(requestId, code);
    if (this.#failed.size > MAX_PENDING) {
      const oldest = this.#failed.keys().next();
      if (oldest.done !== true) this.#failed.delete(oldest.value);
    }
  }

  /** The invocation a request under /functions/v1 made, if it reached a known function. */
  ofRequest(requestId: string, url: string, status: number): Invocation | undefined {
    const code = this.#failed.get(requestId);
    if (code !== undefined) this.#failed.delete(requestId);
    const name = functionName(url);
    if (name === undefined || !this.#known.has(name)) return undefined;
    const outcome = code !== undefined ? code.toLowerCase() : status < 400 ? 'success' : status < 500 ? 'client_error' : 'error';
    return { name, outcome };
  }
}
