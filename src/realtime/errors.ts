// Realtime's error catalogue. The REST broadcast endpoints answer `{code, message}` (realtime-js
// shows `message`); the socket's handshake answers `{error}` before upgrading, as Supabase does.
// Join refusals are not here: they are reply reasons (`Code: message`, src/realtime/socket/admit.ts).

export class RealtimeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RealtimeError';
  }
}

const e = (status: number, code: string, message: string) => new RealtimeError(status, code, message);

export const realtimeErrors = {
  apiKeyMissing: (): RealtimeError => e(401, 'RT401', 'API key is missing'),
  unauthorized: (message: string): RealtimeError => e(401, 'RT401', message),
  badVsn: (vsn: string): RealtimeError => e(400, 'RT400', `Unsupported protocol version ${JSON.stringify(vsn)}: use 1.0.0 or 2.0.0`),
  notFound: (): RealtimeError => e(404, 'RT404', 'Not found'),
  badBody: (message: string): RealtimeError => e(422, 'RT422', message),
  payloadTooLarge: (max: number): RealtimeError => e(413, 'RT413', `Payload size exceeds the limit of ${max} bytes`),
  rateLimited: (): RealtimeError => e(429, 'RT429', 'You have exceeded your rate limit'),
  tooManyMessages: (max: number): RealtimeError => e(429, 'RT429', `Too many messages to broadcast, please reduce the batch size (at most ${max})`),
  unavailable: (message: string): RealtimeError => e(503, 'RT503', message),
};
