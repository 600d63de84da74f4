// The MCP family's error catalogue, for what is refused before the MCP transport reads the
// request (credentials, options, sessions). Failures inside a tool are tool results
// (`isError`), as the MCP specification and Supabase's server answer them.
import { apiError, type ApiError } from '../errors/api-error.ts';

const challenge = (message: string) => ({ headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${message.replaceAll('"', "'")}"` } });

export const mcpErrors = {
  noCredentials: (): ApiError =>
    apiError(401, 'MCP_UNAUTHORIZED', 'the MCP server needs the service-role key, or a signed-in user’s access token, as `Authorization: Bearer …`', { headers: { 'www-authenticate': 'Bearer' } }),
  badToken: (reason: string): ApiError => apiError(401, 'MCP_UNAUTHORIZED', `invalid token: ${reason}`, challenge(reason)),
  anonymous: (): ApiError => apiError(403, 'MCP_FORBIDDEN', 'the anon key cannot use the MCP server: send the service-role key, or a signed-in user’s access token'),
  usersOff: (): ApiError => apiError(403, 'MCP_FORBIDDEN', 'per-user MCP sessions are turned off (GROUNDWORK_MCP_USERS=false): send the service-role key'),
  notYourSession: (): ApiError => apiError(403, 'MCP_FORBIDDEN', 'this MCP session belongs to other credentials'),
  badOption: (name: string, problem: string): ApiError => apiError(400, 'MCP_BAD_OPTION', `query parameter ${name}: ${problem}`),
  sessionNotFound: (): ApiError => apiError(404, 'MCP_SESSION_NOT_FOUND', 'no such MCP session (it ended or expired): initialize a new one'),
  tooManySessions: (max: number): ApiError => apiError(503, 'MCP_TOO_MANY_SESSIONS', `this node holds ${max} MCP sessions already; end one (DELETE /mcp) or try later`),
  methodNotAllowed: (method: string): ApiError => apiError(405, 'MCP_METHOD_NOT_ALLOWED', `${method} /mcp needs an MCP session (Mcp-Session-Id); POST starts one`, { headers: { allow: 'GET, POST, DELETE' } }),
};
