// The observe family's error catalogue: what `/metrics` answers a caller it does not serve.
import { apiError, type ApiError } from '../../errors/api-error.ts';

export const observeErrors = {
  metricsUnauthorized: (): ApiError =>
    apiError(401, 'OBS401', 'Metrics need the service_role key (apikey or Authorization: Bearer) or the metrics token', { headers: { 'www-authenticate': 'Bearer' } }),
};
