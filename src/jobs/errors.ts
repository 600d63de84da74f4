// The jobs family's error catalogue (its admin endpoints at /jobs/v1). Errors raised by the
// SQL API itself (pgmq, cron, net, webhooks) are PostgreSQL errors with their SQLSTATE and
// reach REST callers through PostgREST's mapping.
import { apiError, type ApiError } from '../errors/api-error.ts';

export const jobsErrors = {
  serviceRoleRequired: (): ApiError => apiError(403, 'JOB403', 'The jobs admin API needs the service_role key'),
  notFound: (what: string): ApiError => apiError(404, 'JOB404', `${what} not found`),
  badRequest: (message: string): ApiError => apiError(400, 'JOB400', message),
  stillPending: (id: string): ApiError => apiError(409, 'JOB409', `request ${id} is still pending: it will be attempted again without being asked`),
};
