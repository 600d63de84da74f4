// The error value every API family renders. Catalogues (one per family) build these;
// routes throw or return them and never pick a status code themselves.

export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  /** Usually text; PGRST201 (ambiguous embedding) lists its candidates as objects. */
  readonly details: string | readonly unknown[] | null;
  readonly hint: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  /** The stable code, as every family's errors carry it (src/http/module.ts). */
  get code(): string {
    return this.body.code;
  }
}

export function apiError(
  status: number,
  code: string,
  message: string,
  extra: { details?: string | readonly unknown[] | null; hint?: string | null; headers?: Record<string, string> } = {},
): ApiError {
  return new ApiError(status, { code, message, details: extra.details ?? null, hint: extra.hint ?? null }, extra.headers ?? {});
}
