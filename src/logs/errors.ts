// The log store's error catalogue: what its readers (the MCP log tools) report to callers.
import { apiError, type ApiError } from '../errors/api-error.ts';

const MISSING: Readonly<Record<string, string>> = { storage: 'Storage service', 'branch-action': 'branches' };

export const logsErrors = {
  badFilter: (problem: string): ApiError => apiError(400, 'LOG400', `invalid log query: ${problem}`),
  unsupportedService: (service: string): ApiError =>
    apiError(404, 'LOG404', `Groundwork has no ${MISSING[service] ?? service}, so there are no ${service} logs`, {
      hint: 'ask for api, postgres, edge-function, auth or realtime logs',
    }),
  storeOff: (): ApiError =>
    apiError(503, 'LOG503', 'the log store is off: logs go to stdout only', { hint: 'start Groundwork with GROUNDWORK_LOG_STORE=true (the default)' }),
};
