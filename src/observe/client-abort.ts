// A request that failed because its client went away is the client's doing, not a bug:
// logged at info, never as an error. Node reports it as the request stream's "aborted"
// (ECONNRESET) when the connection closes before the body is read.

export function isClientAbort(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  // AbortedWhileWaiting (src/lib/mutex.ts): its request gave up its place at the database.
  return (code === 'ECONNRESET' && message === 'aborted') || code === 'ERR_STREAM_PREMATURE_CLOSE' || name === 'AbortedWhileWaiting';
}
